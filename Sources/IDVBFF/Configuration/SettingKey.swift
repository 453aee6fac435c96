/// Every setting the service reads, named by its dotted key as it appears in a configuration file.
///
/// The environment variable for a key is derived the same way swift-configuration's
/// `EnvironmentVariablesProvider` derives it: upper-cased, with dots turned into underscores
/// (`http.max_body_bytes` → `HTTP_MAX_BODY_BYTES`).
enum SettingKey: String, CaseIterable, Sendable {
    case httpHost = "http.host"
    case httpPort = "http.port"
    case httpThreads = "http.threads"
    case httpMaxBodyBytes = "http.max_body_bytes"
    case httpMaxConnections = "http.max_connections"
    case httpRequestTimeoutSeconds = "http.request_timeout_seconds"
    case clientLoopAPIKey = "clientloop.api_key"
    case clientLoopAPIKeyFile = "clientloop.api_key_file"
    case clientLoopOrgID = "clientloop.org_id"
    case clientLoopEnvironment = "clientloop.env"
    case clientLoopGraphURL = "clientloop.graph_url"
    case clientLoopCAFile = "clientloop.ca_file"
    case clientLoopTimeoutMilliseconds = "clientloop.timeout_ms"
    case clientLoopPoolSize = "clientloop.pool_size"
    case corsAllowedOrigins = "cors.allowed_origins"
    case corsMaxAgeSeconds = "cors.max_age_seconds"
    case rateLimitPerMinute = "rate_limit.per_minute"
    case rateLimitBurst = "rate_limit.burst"
    case clientLoopMaxInFlight = "clientloop.max_in_flight"
    case proxyTrustedCIDRs = "proxy.trusted_cidrs"
    case contactPolicy = "contact.policy"
    case jwtJWKSFile = "jwt.jwks_file"
    case jwtJWKSURL = "jwt.jwks_url"
    case jwtJWKSRefreshSeconds = "jwt.jwks_refresh_seconds"
    case jwtIssuer = "jwt.issuer"
    case jwtAudience = "jwt.audience"
    case jwtAlgorithms = "jwt.algorithms"
    case jwtLeewaySeconds = "jwt.leeway_seconds"
    case jwtContactClaim = "jwt.contact_claim"
    case jwtAllowNewContacts = "jwt.allow_new_contacts"
    case idempotencyTTLSeconds = "idempotency.ttl_seconds"
    case idempotencyMaxEntries = "idempotency.max_entries"
    case logLevel = "log.level"
    case metricsEnabled = "metrics.enabled"
    case metricsPort = "metrics.port"
    case shutdownDelaySeconds = "shutdown.delay_seconds"
    case shutdownGraceSeconds = "shutdown.grace_seconds"

    /// The dotted key, as written in YAML or JSON files.
    var name: String { rawValue }

    /// The environment variable that sets this key.
    var environmentVariable: String {
        rawValue.uppercased().map { $0 == "." ? "_" : String($0) }.joined()
    }

    /// Whether the value must never be logged, printed or echoed in a problem.
    var isSecret: Bool { self == .clientLoopAPIKey }

    /// `key (ENV_VAR)`, the way problems and help texts refer to a setting.
    var reference: String { "\(name) (\(environmentVariable))" }
}
