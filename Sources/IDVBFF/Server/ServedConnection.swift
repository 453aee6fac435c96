import CEventShim

/// One client connection of an ``HTTPServerLoop``, from the moment evhttp asks for its bufferevent until evhttp
/// closes it: holds the connection's slot under `http.max_connections`, enforces the request deadline, and knows
/// whether a response is still being written.
///
/// libevent's own timeouts measure inactivity, so a client sending one byte every few seconds would never hit
/// them. The deadline instead bounds the whole request: the head and body must arrive within
/// `http.request_timeout_seconds` of the connection opening or of the previous response being written. It is
/// suspended while a handler works on the request, and enforced by making evhttp drop the connection exactly as on
/// its own read timeout.
///
/// Used only on its loop's thread. The loop must call ``closed()`` from evhttp's close callback, before libevent
/// frees the bufferevent: the deadline must never fire on a freed one.
final class ServedConnection {
    /// The bufferevent evhttp serves the connection with.
    let bufferevent: OpaquePointer
    /// Whether the connection arrived over the cap and is to be closed unread.
    let isRefused: Bool
    /// Whether a response is being written: the loop waits for it before stopping.
    var isWriting = false
    /// Drops the connection after a deliberately truncated response (the fake's `fail-reset`).
    var dropTimer: LoopTimer?
    private var permit: ConcurrencyLimit.Permit?
    private var deadline: LoopEvent?
    private let requestTimeoutSeconds: Double

    /// - Parameters:
    ///   - permit: the connection's slot under the cap; `nil` when it arrived over the cap or is not counted.
    ///   - isRefused: whether it arrived over the cap.
    init(bufferevent: OpaquePointer, permit: ConcurrencyLimit.Permit?, isRefused: Bool, requestTimeoutSeconds: Double, base: EventBase) {
        self.bufferevent = bufferevent
        self.permit = permit
        self.isRefused = isRefused
        self.requestTimeoutSeconds = requestTimeoutSeconds
        deadline = try? LoopEvent.user(on: base) { [unowned self] in abort() }
    }

    /// The client has a new request to send: starts its deadline.
    func awaitRequest() {
        deadline?.schedule(after: requestTimeoutSeconds)
    }

    /// The request is complete and goes to a handler: no deadline until its response has been written.
    func requestReceived() {
        deadline?.cancel()
    }

    /// Drops the connection without an answer; evhttp's close callback follows at once.
    func abort() {
        cevent_connection_abort(bufferevent)
    }

    /// evhttp is closing the connection: the timers stop and the slot is free again.
    func closed() {
        deadline = nil
        dropTimer?.cancel()
        dropTimer = nil
        permit?.release()
        permit = nil
    }
}
