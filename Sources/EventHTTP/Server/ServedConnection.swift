import CEventShim
import CLibevent

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
/// frees the bufferevent: the deadline must never fire on a freed one. The deadlines of a loop's connections share one
/// timer (``DeadlineTimer``): they all have the same length.
final class ServedConnection: DeadlineListed {
    /// The bufferevent evhttp serves the connection with.
    let bufferevent: OpaquePointer
    /// Whether it arrived over `http.max_connections`: it is closed before a byte of it is read.
    let isOverCapacity: Bool
    /// Whether a response is being written: the loop waits for it before stopping.
    private(set) var isWriting = false
    /// Whether a complete request is with the handler.
    private(set) var isHandling = false
    /// Whether a response has been written on it: a kept-alive connection, as opposed to one just opened, whose
    /// first request is most likely on its way.
    private var hasAnswered = false

    /// Whether the connection is kept alive between requests: answered before, neither handling nor answering a
    /// request now. (A next request may have begun to arrive; evhttp does not say.)
    var isIdleKeepAlive: Bool { hasAnswered && !isHandling && !isWriting }
    private var permit: ConcurrencyLimit.Permit?
    /// The peer's address as evhttp reports it and parsed, once for all the connection's requests.
    var peer: (text: String, address: IPAddress?)?
    /// When the request awaited must have arrived.
    private(set) var deadline: ContinuousClock.Instant
    var deadlineLinks = DeadlineLinks<ServedConnection>()
    /// The loop's timer for its connections' deadlines, which aborts a connection whose deadline passed.
    private unowned let deadlines: DeadlineTimer<ServedConnection>

    /// - Parameters:
    ///   - permit: the connection's slot under the cap; `nil` when it arrived over the cap or is not counted.
    ///   - overCapacity: whether it arrived over the cap.
    init(
        bufferevent: OpaquePointer, permit: ConcurrencyLimit.Permit?, overCapacity: Bool,
        deadlines: DeadlineTimer<ServedConnection>
    ) {
        self.bufferevent = bufferevent
        self.permit = permit
        self.deadlines = deadlines
        isOverCapacity = overCapacity
        deadline = .now
    }

    /// The client has a new request to send: starts its deadline.
    func awaitRequest() {
        deadlines.stop(self)
        let now = ContinuousClock.now
        deadline = now + deadlines.timeout
        deadlines.start(self, now: now)
    }

    /// A response is being written; the loop waits for it before stopping.
    func responseStarted() {
        isWriting = true
    }

    /// The response left: the connection is kept alive, and the deadline for the next request starts now.
    func responseWritten() {
        isWriting = false
        isHandling = false
        hasAnswered = true
        awaitRequest()
    }

    /// The request is complete and goes to a handler: no deadline until its response has been written.
    func requestReceived() {
        isHandling = true
        deadlines.stop(self)
    }

    /// Drops the connection without an answer; evhttp's close callback follows at once.
    func abort() {
        cevent_connection_abort(bufferevent)
    }

    /// evhttp is closing the connection: the timers stop and the slot is free again.
    func closed() {
        deadlines.stop(self)
        permit?.release()
        permit = nil
    }
}
