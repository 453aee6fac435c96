public import Logging
public import EventHTTP

/// `idv-bff fake-clientloop`: the fake ClientLoop GraphQL endpoint on the same libevent server as the product,
/// over HTTPS when given a certificate. Tests, integrators' CI and the demo mode point idv-bff at it.
public final class FakeClientLoopService {
    private let server: Server

    /// Where the fake listens and how it behaves.
    public struct Options: Sendable {
        public var host: String
        public var port: Int
        public var tls: TLSServerContext?
        public var behaviour: FakeClientLoopOptions
        /// Whether the fake owns SIGTERM/SIGINT (standalone) or lives inside another server's process (demo).
        public var handlesSignals: Bool

        public init(host: String, port: Int, tls: TLSServerContext?, behaviour: FakeClientLoopOptions, handlesSignals: Bool) {
            self.host = host
            self.port = port
            self.tls = tls
            self.behaviour = behaviour
            self.handlesSignals = handlesSignals
        }
    }

    public init(options: Options, logger: Logger) throws {
        // Built here rather than on the first request, which would otherwise pay for it.
        _ = FakeClientLoopSchema.shared
        // One loop: the counters behind GET /__stats then cover every request.
        let serverOptions = HTTPServerOptions(
            host: options.host, port: options.port, threads: 1, maxBodyBytes: 64 * 1024,
            shutdownGraceSeconds: 1, tls: options.tls, handlesSignals: options.handlesSignals
        )
        let behaviour = options.behaviour
        let tls = options.tls
        server = try Server(options: serverOptions, lifecycle: Lifecycle(), logger: logger) { loop in
            FakeClientLoopHandler(responder: FakeClientLoopResponder(options: behaviour), loop: loop, tls: tls)
        }
    }

    /// The port the fake listens on, known after `start()`.
    public var port: Int { server.port }

    /// Binds and starts serving on the fake's own thread.
    public func start() throws {
        try server.start()
    }

    /// Serves until a stop signal (standalone use); returns the exit status.
    public func run() -> Int32 {
        server.run()
    }
}

/// Carries out the responder's answers on the network: answers every path (the fake routes by itself), delays
/// answers on the loop's timers, counts handshakes.
final class FakeClientLoopHandler: HTTPResponder {
    private var responder: FakeClientLoopResponder
    private let loop: EventLoopContext
    private let tls: TLSServerContext?

    init(responder: FakeClientLoopResponder, loop: EventLoopContext, tls: TLSServerContext?) {
        self.responder = responder
        self.loop = loop
        self.tls = tls
    }

    func respond(to request: HTTPRequest, context: RequestContext, respond: @escaping ResponseCallback) {
        let answer = responder.answer(request, extraStats: [
            "handshakes": tls?.handshakes ?? 0, "resumedHandshakes": tls?.resumedHandshakes ?? 0,
        ])
        if answer.delayMilliseconds > 0 {
            do {
                try loop.schedule(after: Double(answer.delayMilliseconds) / 1000) { respond(answer.response) }
            } catch {
                respond(FakeGraphQLError(message: "the fake could not delay its answer", code: "INTERNAL_SERVER_ERROR").response(status: 500))
            }
        } else {
            respond(answer.response)
        }
    }

    /// What a GraphQL server answers to a request it cannot read.
    func answer(_ refusal: ServerRefusal, to request: HTTPRequest, context: RequestContext) -> HTTPResponse {
        switch refusal {
        case .ambiguousFraming: FakeGraphQLError(message: "Bad request framing.", code: "BAD_REQUEST").response(status: 400)
        case .bodyTooLarge: FakeGraphQLError(message: "Request body too large.", code: "BAD_REQUEST").response(status: 413)
        }
    }
}
