public import EventHTTP
/// How to reach and authenticate with the ClientLoop GraphQL API upstream.
public struct ClientLoopSettings: Sendable, Equatable {
    /// The API key (`clientloop.api_key`, `CLIENTLOOP_API_KEY`, or read from `clientloop.api_key_file`).
    public var apiKey: Secret

    /// The file the API key was read from (`clientloop.api_key_file`, `CLIENTLOOP_API_KEY_FILE`),
    /// or `nil` when the key was given directly.
    public var apiKeyFile: String?

    /// The organisation the service acts for (`clientloop.org_id`, `CLIENTLOOP_ORG_ID`).
    public var orgId: String

    /// The ClientLoop deployment (`clientloop.env`, `CLIENTLOOP_ENV`).
    public var environment: ClientLoopEnvironment

    /// The GraphQL endpoint (`clientloop.graph_url`, `CLIENTLOOP_GRAPH_URL`).
    public var graphURL: UpstreamURL

    /// An extra PEM bundle of CA certificates trusted for the upstream
    /// (`clientloop.ca_file`, `CLIENTLOOP_CA_FILE`), checked to be readable.
    public var caFile: String?

    /// How long to wait for the upstream, in milliseconds (`clientloop.timeout_ms`, `CLIENTLOOP_TIMEOUT_MS`).
    public var timeoutMilliseconds: Int

    /// ``timeoutMilliseconds`` in seconds, as the upstream client takes it.
    public var timeoutSeconds: Double { Double(timeoutMilliseconds) / 1000 }

    /// Upstream keep-alive connections per event-loop thread (`clientloop.pool_size`, `CLIENTLOOP_POOL_SIZE`).
    public var poolSize: Int

    /// The pool size when none is set.
    public static let defaultPoolSize = 16

    /// The pool sizes accepted.
    public static let poolSizeRange = 1...1024

    /// The upstream timeout when none is set.
    public static let defaultTimeoutMilliseconds = 10_000

    /// The upstream timeouts accepted, in milliseconds.
    public static let timeoutMillisecondsRange = 100...120_000

    /// Creates ClientLoop settings.
    /// - Parameters:
    ///   - apiKey: The API key.
    ///   - apiKeyFile: The file the key was read from, if any.
    ///   - orgId: The organisation the service acts for.
    ///   - environment: The ClientLoop deployment.
    ///   - graphURL: The GraphQL endpoint.
    ///   - caFile: An extra PEM bundle of trusted CA certificates.
    ///   - timeoutMilliseconds: How long to wait for the upstream.
    ///   - poolSize: Upstream connections per event-loop thread.
    public init(
        apiKey: Secret,
        apiKeyFile: String? = nil,
        orgId: String,
        environment: ClientLoopEnvironment = .prod,
        graphURL: UpstreamURL = .clientLoopProduction,
        caFile: String? = nil,
        timeoutMilliseconds: Int = ClientLoopSettings.defaultTimeoutMilliseconds,
        poolSize: Int = ClientLoopSettings.defaultPoolSize
    ) {
        self.apiKey = apiKey
        self.apiKeyFile = apiKeyFile
        self.orgId = orgId
        self.environment = environment
        self.graphURL = graphURL
        self.caFile = caFile
        self.timeoutMilliseconds = timeoutMilliseconds
        self.poolSize = poolSize
    }
}
