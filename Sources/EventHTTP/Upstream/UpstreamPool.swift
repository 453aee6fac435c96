import CLibevent
public import Logging

/// One event loop's connections to the upstream: up to `poolSize` keep-alive connections, each carrying one
/// request at a time, and a bounded queue of requests waiting for one. At most `maxConcurrentHandshakes` of them
/// are being opened at once, so a burst grows the pool in steps rather than with hundreds of handshakes at a time.
///
/// Everything runs on the loop's thread. Exchanges are never resent once a request byte may have reached the
/// upstream; a failure before the TLS handshake finished is tried once more on a fresh connection. When an
/// exchange's deadline passes, the connection carrying it is closed.
public final class UpstreamPool: UpstreamTransport {
    private let options: UpstreamPoolOptions
    private let loop: EventLoopContext
    private let resolver: DNSResolver
    private let tls: TLSClientContext?
    private let logger: Logger
    /// The part of every request head that only the URL decides.
    private let targetAndHost: [UInt8]

    private var connections: [UpstreamConnection] = []
    /// The open connections carrying no request, the most recently used last: taken from the end, so that traffic
    /// stays on warm connections and the least used ones are those an upstream's idle timeout closes.
    private var idle: [UpstreamConnection] = []
    private var waiting: [PendingExchange] = []
    /// TLS connections opened and not yet through their handshake (bounded by `maxConcurrentHandshakes`).
    private var handshaking = 0
    /// Starts queued requests on a later turn once a handshake slot is free.
    private var handshakeSlotFreed: LoopEvent!
    /// Connections that closed, freed on the next loop turn: never inside one of their own callbacks.
    private var closedConnections: [UpstreamConnection] = []
    private var reaper: LoopEvent!
    /// The exchanges not finished yet, on one timer.
    private var deadlines: DeadlineTimer<PendingExchange>!

    /// Called on the loop's thread for each connection the pool opens (how well connections are reused shows here).
    public var onConnectionOpened: (() -> Void)?

    public init(options: UpstreamPoolOptions, loop: EventLoopContext, tls: TLSClientContext?, logger: Logger) throws(EventLoopError) {
        self.options = options
        self.loop = loop
        self.tls = tls
        self.logger = logger
        targetAndHost = UpstreamCall.targetAndHost(for: options.url)
        resolver = try DNSResolver(base: loop.base)
        reaper = try LoopEvent.user(on: loop.base) { [unowned self] in closedConnections.removeAll() }
        handshakeSlotFreed = try LoopEvent.user(on: loop.base) { [unowned self] in startWaiting() }
        deadlines = try DeadlineTimer(base: loop.base, timeout: .seconds(options.timeoutSeconds)) { [unowned self] exchange in
            timedOut(exchange)
        }
    }

    /// Sends `request` on an idle connection (opening one while under ``UpstreamPoolOptions/poolSize``) or queues it;
    /// `completion` runs exactly once on this loop's thread, at the latest when the deadline passes.
    public func send(_ request: UpstreamRequest, completion: @escaping (Result<UpstreamResponse, UpstreamTransportError>) -> Void) {
        let now = ContinuousClock.now
        let exchange = PendingExchange(request: request, deadline: now + deadlines.timeout, completion: completion)
        deadlines.start(exchange, now: now)
        dispatch(exchange)
    }

    // MARK: Dispatching

    private func dispatch(_ exchange: PendingExchange) {
        if let connection = idleConnection() ?? openConnection() {
            start(exchange, on: connection)
        } else if waiting.count < options.queueLimit + max(0, options.poolSize - connections.count) {
            // Beyond the queue limit, a place for each connection the pool may still open: a request waiting only
            // for a handshake slot has not been refused a connection.
            waiting.append(exchange)
        } else {
            finish(exchange, .failure(.busy))
        }
    }

    private func idleConnection() -> UpstreamConnection? {
        idle.popLast()  // a closed connection has already been retired
    }

    private func openConnection(ignoringLimit: Bool = false) -> UpstreamConnection? {
        guard ignoringLimit || (connections.count < options.poolSize && handshaking < options.maxConcurrentHandshakes) else {
            return nil
        }
        do {
            let connection = try UpstreamConnection(base: loop.base, resolver: resolver, tls: tls, options: options)
            connection.onClose = { [unowned self, unowned connection] in retire(connection) }
            if connection.isHandshaking {
                handshaking += 1
                connection.onHandshakeDone = { [unowned self] in handshakeEnded() }
            }
            connections.append(connection)
            onConnectionOpened?()
            return connection
        } catch {
            logger.error("cannot create an upstream connection")
            return nil
        }
    }

    /// Takes a closed connection out of the pool; it is freed on the next loop turn, never inside its own callbacks.
    private func retire(_ connection: UpstreamConnection) {
        guard let index = connections.firstIndex(where: { $0 === connection }) else { return }
        remove(at: index)
        closedConnections.append(connection)
        reaper.activate()
    }

    private func remove(at index: Int) {
        let connection = connections.remove(at: index)
        idle.removeAll { $0 === connection }
        if connection.isHandshaking {
            connection.onHandshakeDone = nil
            handshakeEnded()
        }
    }

    /// A handshake finished or its connection went: queued requests may open another connection, on the next
    /// turn (this may be inside OpenSSL's handshake processing).
    private func handshakeEnded() {
        handshaking -= 1
        if !waiting.isEmpty { handshakeSlotFreed.activate() }
    }

    private func start(_ exchange: PendingExchange, on connection: UpstreamConnection) {
        exchange.attempts += 1
        let call = UpstreamCall(exchange: exchange, connection: connection, pool: self, maxResponseBytes: options.maxResponseBytes)
        connection.call = call
        guard call.send(targetAndHost: targetAndHost) else {
            connection.call = nil
            retire(connection)
            finish(exchange, .failure(.unavailable("could not start the upstream request")))
            return
        }
    }

    /// Called by `UpstreamCall` when its request has ended, with an answer or not.
    func callEnded(_ call: UpstreamCall, result: Result<UpstreamResponseParser.Answer, UpstreamCall.Failure>) {
        let connection = call.connection
        connection.call = nil
        let exchange = call.exchange

        switch result {
        case .success(let answer):
            if answer.reusable {
                idle.append(connection)
            } else {
                retire(connection)
            }
            finish(exchange, .success(answer.response))
        case .failure(let failure):
            retire(connection)
            if failure.nothingSent, !failure.certificateRejected, exchange.attempts < 2, !exchange.isFinished {
                // No request byte reached the upstream: one more try on a fresh connection is safe.
                logger.debug("retrying upstream request on a fresh connection", metadata: ["reason": .string(failure.detail)])
                if let fresh = openConnection(ignoringLimit: true) {
                    start(exchange, on: fresh)
                    return
                }
            }
            finish(exchange, .failure(failure.upstreamFailure))
        }
        startWaiting()
    }

    private func startWaiting() {
        while !waiting.isEmpty, let connection = idleConnection() ?? openConnection() {
            let exchange = waiting.removeFirst()
            if !exchange.isFinished {
                start(exchange, on: connection)
            }
        }
    }

    /// The deadline passed: the exchange fails with a timeout, and a connection still carrying it is closed at
    /// once, so that a trickling upstream cannot hold connections past the deadline (and `max_in_flight` bounds
    /// what is really open upstream).
    private func timedOut(_ exchange: PendingExchange) {
        waiting.removeAll { $0 === exchange }
        if let index = connections.firstIndex(where: { $0.call?.exchange === exchange }) {
            // Freed now (this is a timer callback, not one of the connection's own): its socket closes, and a DNS
            // lookup still pending is cancelled.
            remove(at: index)
        }
        finish(exchange, .failure(.timeout))
        startWaiting()
    }

    /// Delivers the exchange's result (unless it had one) and stops its deadline.
    private func finish(_ exchange: PendingExchange, _ result: Result<UpstreamResponse, UpstreamTransportError>) {
        deadlines.stop(exchange)
        exchange.finish(result)
    }

    /// Sends one request on a private event loop run on the calling thread, and waits for its outcome: for what must
    /// be fetched before any loop serves (an identity provider's keys at start-up, say).
    public static func exchangeOnce(
        _ request: UpstreamRequest, options: UpstreamPoolOptions, tls: TLSClientContext?, logger: Logger
    ) throws(EventLoopError) -> Result<UpstreamResponse, UpstreamTransportError> {
        let base = try EventBase()
        var outcome: Result<UpstreamResponse, UpstreamTransportError> = .failure(.unavailable("the exchange did not finish"))
        // The pool and its events hold the base, so it is freed after them.
        let pool = try UpstreamPool(options: options, loop: EventLoopContext(index: 0, base: base), tls: tls, logger: logger)
        withExtendedLifetime(pool) {
            pool.send(request) { result in
                outcome = result
                base.exit()
            }
            base.dispatch()
        }
        return outcome
    }

    deinit {
        waiting.removeAll()
        idle.removeAll()
        connections.removeAll()
        closedConnections.removeAll()
        reaper = nil
        handshakeSlotFreed = nil
        deadlines = nil
    }
}
