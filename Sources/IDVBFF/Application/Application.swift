import CoreMetrics
import Foundation
public import Logging
public import EventHTTP
import Prometheus

/// Wires a validated configuration into a running server: routes, per-loop ClientLoop clients, lifecycle.
public final class Application {
    /// The configuration the application was started with.
    public let configuration: AppConfiguration
    private let lifecycle = Lifecycle()
    private let logger: Logger
    private let server: Server
    /// `GET /metrics` on `metrics.port`, when one is set.
    private let metricsServer: Server?

    /// Builds the server and its routes; nothing is bound yet.
    /// - Parameters:
    ///   - contactPolicy: from ``makeContactPolicy(_:tls:logger:)``, which loads keys and so runs before.
    ///   - tls: from ``makeTLSContext(for:)``: one for the process, every loop's upstream connections use it.
    public init(configuration: AppConfiguration, contactPolicy: ContactPolicy, tls: TLSClientContext?, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        let lifecycle = self.lifecycle
        let settings = configuration.clientLoop
        let remoteJWKS = configuration.security.jwt?.keySource.remote
        let poolOptions = UpstreamPoolOptions(url: settings.graphURL, poolSize: settings.poolSize, timeoutSeconds: settings.timeoutSeconds)
        // Shared by every loop: a client's connections may land on any of them.
        let security = configuration.security
        let clientAddresses = ClientAddressResolver(trustedProxies: security.trustedProxies)
        let cors = CORSPolicy(security.cors, proxies: clientAddresses)
        let limiter = RateLimiter(policy: security.rateLimit)
        let forwardedForWarnings = WarningThrottle(interval: .seconds(300))
        let inFlight = ConcurrencyLimit(maximum: security.maxInFlight)
        let apiKey = APIKeyHolder(settings.apiKey)
        let idempotency = IdempotencyTable(ttlSeconds: configuration.idempotency.ttlSeconds, capacity: configuration.idempotency.maxEntries)
        let metricsEndpoint = configuration.metrics.enabled ? MetricsEndpoint(registry: PrometheusCollectorRegistry()) : nil
        let metrics = metricsEndpoint.map { ServiceMetrics(factory: MetricsEndpoint.makeFactory(registry: $0.registry)) } ?? .disabled
        let metricsOnMainListener = configuration.metrics.port == nil ? metricsEndpoint : nil
        for warning in configuration.startupWarnings {
            logger.warning("\(warning)")
        }
        for note in configuration.startupNotes {
            logger.info("\(note)")
        }

        server = try Server(options: HTTPServerOptions(configuration), lifecycle: lifecycle, logger: logger) { loop in
            var router = Router()
            router.trace = RequestTrace()
            HealthRoutes.register(on: &router, lifecycle: lifecycle)
            if let metricsOnMainListener {
                router.add(.get, MetricsEndpoint.path, ImmediateHandler { _, _ in metricsOnMainListener.response() })
            }
            let loopMetrics = metrics.forLoop()
            // POST /idv-session, outermost first, each step refusing before the next runs:
            //   1. CORS          an origin that is not allowed gets 403 (IDVSessionRoutes wraps the route in it)
            //   2. rate limit    a client over its bucket gets 429
            //   2b. idempotency  a repeated Idempotency-Key gets the first answer (or waits for it), a reused one 422
            //   3. contact policy and body validation, in the handler: 403/401/400/415
            //   4. in-flight cap at most clientloop.max_in_flight calls across all loops, else 503 at once
            //   5. the ClientLoop client over this loop's pool of verified HTTPS connections
            let pool = try UpstreamPool(options: poolOptions, loop: loop, tls: tls, logger: logger)
            pool.onConnectionOpened = { metrics.upstreamConnectionsOpened.increment() }
            let graphClient = ClientLoopGraphClient(settings: settings, apiKey: apiKey, transport: pool, metrics: metrics)
            let client = ConcurrencyLimitedClient(wrapping: graphClient, limit: inFlight)
            let session = IDVSessionHandler(client: client, environment: settings.environment, contactPolicy: contactPolicy, metrics: loopMetrics)
            let mailbox = try LoopMailbox(on: loop)
            loop.attach(mailbox)
            let idempotent = IdempotentHandler(store: idempotency, resolver: clientAddresses, mailbox: mailbox, wrapped: session)
            // Without a rate limit the client's address decides nothing, so it is not worked out.
            let limited: any RouteHandler = security.rateLimit.isEnabled
                ? RateLimitedHandler(limiter: limiter, resolver: clientAddresses, wrapped: idempotent,
                                     forwardedForWarnings: forwardedForWarnings, metrics: metrics)
                : idempotent
            IDVSessionRoutes.register(on: &router, handler: limited, cors: cors, metrics: metrics)
            WebRoutes.register(on: &router, cors: cors, demo: configuration.demo)
            // One loop keeps the shared key store current for all of them.
            if loop.index == 0, let remoteJWKS, case .jwt(let verifier) = contactPolicy {
                let jwksPool = try UpstreamPool(
                    options: UpstreamPoolOptions(url: remoteJWKS.url, poolSize: 1, timeoutSeconds: settings.timeoutSeconds),
                    loop: loop, tls: tls, logger: logger)
                let refresher = try JWKSRefresher(
                    fetcher: JWKSFetcher(transport: jwksPool), store: verifier.keyStore,
                    refreshSeconds: Double(remoteJWKS.refreshSeconds), loop: loop, logger: logger)
                refresher.start()
                loop.attach(refresher)
            }
            return metricsEndpoint == nil ? router : MetricsResponder(router: router, metrics: loopMetrics)
        }
        metricsServer = try configuration.metrics.port.flatMap { port in
            try metricsEndpoint.map { try Self.makeMetricsServer($0, host: configuration.http.host, port: port, logger: logger) }
        }
        try Self.watchAPIKeyFile(settings.apiKeyFile, holder: apiKey, server: server, logger: logger)
    }

    /// The contact policy the configuration asks for; for `jwt`, with its JWKS loaded and checked: read from
    /// `jwt.jwks_file`, or fetched from `jwt.jwks_url` over the verified HTTPS client before anything is served.
    public static func makeContactPolicy(
        _ configuration: AppConfiguration, tls: TLSClientContext?, logger: Logger
    ) async throws(ContactPolicySetupError) -> ContactPolicy {
        let security = configuration.security
        switch security.contactPolicy {
        case .body:
            return .body
        case .none:
            return .none
        case .jwt:
            guard let jwt = security.jwt else {
                // Validation never lets this through; running without the token check it asks for would be worse.
                throw ContactPolicySetupError(key: .contactPolicy, detail: "jwt needs the jwt.* settings", isUnavailable: false)
            }
            let key: SettingKey
            let document: [UInt8]
            switch jwt.keySource {
            case .file(let path):
                key = .jwtJWKSFile
                do {
                    document = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
                } catch {
                    throw ContactPolicySetupError(key: key, detail: "cannot read the file: \(error.localizedDescription)", isUnavailable: false)
                }
            case .url(let url, _):
                key = .jwtJWKSURL
                do {
                    document = try JWKSFetcher.fetchAtStartup(
                        url: url, tls: tls, timeoutSeconds: configuration.clientLoop.timeoutSeconds, logger: logger)
                } catch {
                    throw ContactPolicySetupError(key: key, detail: "cannot fetch the JWKS: \(error)", isUnavailable: true)
                }
            }
            do {
                let keySet = try await JWKSKeySet.load(jwksJSON: document)
                return .jwt(JWTContactVerifier(options: jwt.options, keyStore: JWKSKeyStore(keySet: keySet)))
            } catch {
                throw ContactPolicySetupError(key: key, detail: error.description, isUnavailable: false)
            }
        }
    }

    /// The TLS client context for the process, trusting the system store and `clientloop.ca_file`: for the
    /// ClientLoop endpoint and the JWKS URL, or `nil` when neither uses TLS.
    public static func makeTLSContext(for configuration: AppConfiguration) throws(UpstreamSetupError) -> TLSClientContext? {
        let urls = [configuration.clientLoop.graphURL] + (configuration.security.jwt?.keySource.remote.map { [$0.url] } ?? [])
        return urls.contains(where: \.usesTLS) ? try TLSClientContext(extraCAFile: configuration.clientLoop.caFile) : nil
    }

    /// How often `clientloop.api_key_file` is read for a new key. Kubernetes itself takes up to a minute or so to
    /// update a mounted Secret; a file this small costs nothing to read.
    static let apiKeyPollSeconds = 2.0

    /// SIGHUP reloads the key file, and the file is polled for a change; without a key file, SIGHUP says there
    /// is nothing to reload (and never stops the process, SIGHUP's default).
    private static func watchAPIKeyFile(_ path: String?, holder: APIKeyHolder, server: Server, logger: Logger) throws {
        guard let path else {
            try server.onSignal(SIGHUP) {
                logger.info("SIGHUP: nothing to reload; the API key is not read from clientloop.api_key_file (CLIENTLOOP_API_KEY_FILE)")
            }
            return
        }
        let reloader = APIKeyFileReloader(path: path, holder: holder, logger: logger)
        try server.onSignal(SIGHUP) { reloader.reload(trigger: "SIGHUP") }
        try server.every(seconds: apiKeyPollSeconds) { reloader.poll() }
    }

    /// Binds the listeners and starts the event loops.
    public func start() throws {
        logger.info("starting", metadata: [
            "version": .string(IDVBFFVersion.current),
            "clientloop_env": .string(configuration.clientLoop.environment.rawValue),
            "graph_url": .string(configuration.clientLoop.graphURL.description),
        ])
        try server.start()
        try metricsServer?.start()
    }

    /// A one-loop server answering only `GET /metrics`, on a port of its own: it never drains (scrapes go on until
    /// the process ends) and owns its port like the main server.
    private static func makeMetricsServer(_ endpoint: MetricsEndpoint, host: String, port: Int, logger: Logger) throws -> Server {
        let options = HTTPServerOptions(host: host, port: port, threads: 1, maxBodyBytes: 0, handlesSignals: false)
        var metricsLogger = Logger(label: "metrics")
        metricsLogger.logLevel = logger.logLevel
        return try Server(options: options, lifecycle: Lifecycle(), logger: metricsLogger) { _ in
            var router = Router()
            router.add(.get, MetricsEndpoint.path, ImmediateHandler { _, _ in endpoint.response() })
            return router
        }
    }

    /// Serves until a stop signal has been handled; returns the process exit status.
    public func run() -> Int32 {
        server.run()
    }
}

extension HTTPServerOptions {
    /// The server options a configuration asks for.
    public init(_ configuration: AppConfiguration) {
        self.init(
            host: configuration.http.host,
            port: configuration.http.port,
            threads: configuration.http.threads,
            maxBodyBytes: configuration.http.maxBodyBytes,
            requestTimeoutSeconds: Double(configuration.http.requestTimeoutSeconds),
            maxConnections: configuration.http.maxConnections,
            shutdownDelaySeconds: configuration.shutdown.delaySeconds,
            shutdownGraceSeconds: configuration.shutdown.graceSeconds
        )
    }
}
