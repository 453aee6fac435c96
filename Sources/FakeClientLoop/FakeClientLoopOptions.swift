/// How the fake ClientLoop endpoint behaves (`idv-bff fake-clientloop` flags).
public struct FakeClientLoopOptions: Sendable, Equatable {
    /// The keys callers may present as `Authorization: Bearer <key>` (`--api-key`, repeatable, so that a test can
    /// rotate from one to the next); empty accepts any caller.
    public var apiKeys: [String]
    /// How long every GraphQL answer waits before it is sent, in milliseconds (`--latency-ms`).
    public var latencyMilliseconds: Int
    /// The share of otherwise successful requests answered with a 500 instead, from 0 to 1 (`--fail-rate`).
    public var failRate: Double
    /// A JWKS document to serve at ``FakeClientLoopResponder/jwksPath`` (`--jwks-file`), read afresh for every request
    /// so that tests can rotate keys; `nil` serves none.
    public var jwksFile: String?
    /// Whether to refuse a client that does not send the headers idv-bff promises (`Accept`,
    /// `User-Agent: idv-bff/<version>` and `X-Request-Id`), so that idv-bff's own tests prove it sends them
    /// (`--expect-idv-bff-headers`); off, any GraphQL-over-HTTP client is served.
    public var expectsIDVBFFHeaders: Bool

    /// Creates options.
    /// - Parameters:
    ///   - apiKeys: The accepted bearer keys, or none to accept any caller.
    ///   - latencyMilliseconds: The delay before each GraphQL answer.
    ///   - failRate: The probability of a simulated 500 for a request that would otherwise succeed.
    ///   - jwksFile: A JWKS document to serve, or `nil`.
    ///   - expectsIDVBFFHeaders: Whether to refuse requests without idv-bff's `User-Agent` and `X-Request-Id`.
    public init(
        apiKeys: [String] = [], latencyMilliseconds: Int = 0, failRate: Double = 0, jwksFile: String? = nil,
        expectsIDVBFFHeaders: Bool = false
    ) {
        self.apiKeys = apiKeys
        self.latencyMilliseconds = latencyMilliseconds
        self.failRate = failRate
        self.jwksFile = jwksFile
        self.expectsIDVBFFHeaders = expectsIDVBFFHeaders
    }

    /// What is wrong with these options, one sentence per problem naming its flag; empty when they are usable.
    public var problems: [String] {
        var problems: [String] = []
        if apiKeys.contains(where: \.isEmpty) {
            problems.append("--api-key must not be empty; leave it out to accept any caller")
        }
        if latencyMilliseconds < 0 {
            problems.append("--latency-ms must be 0 or more, got \(latencyMilliseconds)")
        }
        if !(0...1).contains(failRate) {
            problems.append("--fail-rate must be between 0 and 1, got \(failRate)")
        }
        return problems
    }
}
