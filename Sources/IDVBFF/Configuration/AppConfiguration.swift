import EventHTTP
import Logging

/// The service's effective configuration: parsed and validated once at start-up, then only read.
///
/// Sources, highest precedence first: command-line overrides, environment variables,
/// the configuration file, built-in defaults. See ``load(overrides:environment:processorCount:)``.
public struct AppConfiguration: Sendable, Equatable, CustomStringConvertible {
    /// How the HTTP server listens.
    public var http: HTTPSettings

    /// How to reach the ClientLoop upstream.
    public var clientLoop: ClientLoopSettings

    /// How much to log.
    public var log: LogSettings

    /// How to stop.
    public var shutdown: ShutdownSettings

    /// Who may call the API, how often, and whose contacts (`cors.*`, `rate_limit.*`, `proxy.*`, `contact.*`,
    /// `jwt.*`, `clientloop.max_in_flight`).
    public var security: SecuritySettings

    /// Whether and where Prometheus metrics are served.
    public var metrics: MetricsSettings

    /// How `Idempotency-Key` answers are kept.
    public var idempotency: IdempotencySettings

    /// `--demo`: ClientLoop is the in-process fake, and `GET /` serves the demo page.
    public var demo: Bool

    /// Creates a configuration from settings already validated, as tests of other components do.
    /// - Parameters:
    ///   - http: How the HTTP server listens.
    ///   - clientLoop: How to reach the ClientLoop upstream.
    ///   - log: How much to log.
    ///   - shutdown: How to stop.
    public init(
        http: HTTPSettings,
        clientLoop: ClientLoopSettings,
        log: LogSettings = LogSettings(),
        shutdown: ShutdownSettings = ShutdownSettings(),
        security: SecuritySettings = SecuritySettings(),
        metrics: MetricsSettings = MetricsSettings(),
        idempotency: IdempotencySettings = IdempotencySettings(),
        demo: Bool = false
    ) {
        self.demo = demo
        self.http = http
        self.clientLoop = clientLoop
        self.log = log
        self.shutdown = shutdown
        self.security = security
        self.metrics = metrics
        self.idempotency = idempotency
    }

    private var jwtLines: [(SettingKey, String)] {
        guard let jwt = security.jwt else { return [] }
        return jwksLines(jwt.keySource) + [
            (.jwtIssuer, jwt.options.issuer),
            (.jwtAudience, jwt.options.audience),
            (.jwtAlgorithms, jwt.options.algorithms.joined(separator: ",")),
            (.jwtLeewaySeconds, String(jwt.options.leewaySeconds)),
            (.jwtContactClaim, jwt.options.contactClaim),
            (.jwtAllowNewContacts, String(jwt.options.allowNewContacts)),
        ]
    }

    private func jwksLines(_ source: JWKSSource) -> [(SettingKey, String)] {
        switch source {
        case .file(let path):
            [(.jwtJWKSFile, path)]
        case .url(let url, let refreshSeconds):
            [(.jwtJWKSURL, url.description), (.jwtJWKSRefreshSeconds, String(refreshSeconds))]
        }
    }

    /// One `key = value` line per setting, secrets redacted, as printed by `--check-config`.
    /// Valid but probably unmeant combinations, logged as warnings at start-up and printed by `--check-config`.
    public var startupWarnings: [String] {
        security.contactPolicy.startupWarnings
            + CORSPolicy(security.cors).startupWarnings(contactPolicyIsBody: security.contactPolicy == .body)
    }

    /// How settings that are easy to misread will be applied, logged at start-up and printed by `--check-config`.
    public var startupNotes: [String] {
        CORSPolicy(security.cors).startupNotes
    }

    public var description: String {
        let notSet = "(not set)"
        let lines: [(SettingKey, String)] = [
            (.httpHost, http.host),
            (.httpPort, String(http.port)),
            (.httpThreads, String(http.threads)),
            (.httpMaxBodyBytes, String(http.maxBodyBytes)),
            (.httpMaxConnections, String(http.maxConnections)),
            (.httpRequestTimeoutSeconds, String(http.requestTimeoutSeconds)),
            (.clientLoopAPIKey, clientLoop.apiKey.description),
            (.clientLoopAPIKeyFile, clientLoop.apiKeyFile ?? notSet),
            (.clientLoopOrgID, clientLoop.orgId),
            (.clientLoopEnvironment, clientLoop.environment.rawValue),
            (.clientLoopGraphURL, clientLoop.graphURL == ClientLoopSettings.demoGraphURL
                ? "(the in-process fake ClientLoop, on a port chosen at start-up)" : clientLoop.graphURL.description),
            (.clientLoopCAFile, clientLoop.caFile ?? notSet),
            (.clientLoopTimeoutMilliseconds, String(clientLoop.timeoutMilliseconds)),
            (.clientLoopPoolSize, String(clientLoop.poolSize)),
            (.clientLoopMaxInFlight, String(security.maxInFlight)),
            (.corsAllowedOrigins, security.cors.allowedOrigins.configurationText),
            (.corsMaxAgeSeconds, String(security.cors.maxAgeSeconds)),
            (.rateLimitPerMinute, String(security.rateLimit.perMinute)),
            (.rateLimitBurst, String(security.rateLimit.burst)),
            (.proxyTrustedCIDRs, security.trustedProxies.isEmpty ? notSet : security.trustedProxies.blocks.map(\.description).joined(separator: ",")),
            (.contactPolicy, security.contactPolicy.rawValue),
        ] + jwtLines + [
            (.idempotencyTTLSeconds, String(idempotency.ttlSeconds)),
            (.idempotencyMaxEntries, String(idempotency.maxEntries)),
            (.logLevel, log.level.rawValue),
            (.metricsEnabled, String(metrics.enabled)),
            (.metricsPort, metrics.port.map(String.init) ?? "(not set: /metrics on the main listener)"),
            (.shutdownDelaySeconds, ShutdownSettings.describe(seconds: shutdown.delaySeconds)),
            (.shutdownGraceSeconds, ShutdownSettings.describe(seconds: shutdown.graceSeconds)),
        ]
        let width = lines.map(\.0.name.count).max() ?? 0
        return lines.map { key, value in
            key.name + String(repeating: " ", count: width - key.name.count) + " = " + value
        }
        .joined(separator: "\n")
    }
}
