/// What the fake ClientLoop endpoint has seen, for tests to assert on through `GET /__stats`.
public struct FakeClientLoopStats: Sendable, Equatable {
    /// GraphQL requests answered (everything except the stats endpoint itself).
    public var requests = 0
    /// Requests answered with a session the client should accept: an operation that minted one and raised no
    /// error (including `fail-slow`, which succeeds late).
    public var successes = 0
    /// Every other request: rejections, documents that did not run, GraphQL errors, operations that minted nothing
    /// (a query), triggered misbehaviour and `--fail-rate` failures.
    public var failures = 0
    /// `GET /jwks.json` requests answered (not counted in ``requests``).
    public var jwksRequests = 0
    /// The `contactId` the most recent request minted for (its first session's); `nil` when it had none or
    /// minted nothing.
    public var lastContactId: String?
    /// The `orgId` the most recent request minted for (its first session's); `nil` when it minted nothing.
    public var lastOrgId: String?
    /// The `X-Request-Id` of the most recent request; `nil` when it had none.
    public var lastRequestId: String?
    /// The `traceparent` and `tracestate` of the most recent request; `nil` when it had none.
    public var lastTraceparent: String?
    public var lastTracestate: String?
    /// Requests that presented each accepted key, in `--api-key` order (never the keys themselves).
    public var requestsByKey: [Int] = []

    /// Empty stats.
    public init() {}

    /// Counts a request that presented the key at `index` of `keyCount` accepted keys.
    mutating func count(requestWithKey index: Int, of keyCount: Int) {
        if requestsByKey.count < keyCount {
            requestsByKey += Array(repeating: 0, count: keyCount - requestsByKey.count)
        }
        requestsByKey[index] += 1
    }

    /// The stats as a JSON object with keys in alphabetical order, e.g.
    /// `{"failures":0,"handshakes":2,"lastContactId":"c-1",…,"requests":1,"successes":1}`.
    ///
    /// - Parameter extra: Counters kept elsewhere, such as the network layer's TLS `handshakes`; a name that
    ///   clashes with one of the fields above is ignored.
    public func json(extra: [String: Int] = [:]) -> [UInt8] {
        var fields: [String: FakeJSON] = [
            "requests": .number(Double(requests)),
            "successes": .number(Double(successes)),
            "failures": .number(Double(failures)),
            "jwksRequests": .number(Double(jwksRequests)),
            "lastContactId": lastContactId.map(FakeJSON.string) ?? .null,
            "lastOrgId": lastOrgId.map(FakeJSON.string) ?? .null,
            "lastRequestId": lastRequestId.map(FakeJSON.string) ?? .null,
            "lastTraceparent": lastTraceparent.map(FakeJSON.string) ?? .null,
            "lastTracestate": lastTracestate.map(FakeJSON.string) ?? .null,
            "requestsByKey": .array(requestsByKey.map { .number(Double($0)) }),
        ]
        for (name, count) in extra where fields[name] == nil {
            fields[name] = .number(Double(count))
        }
        let members = fields.keys.sorted().map { FakeJSON.Member(key: $0, value: fields[$0]!) }
        return FakeJSON.object(members).bytes
    }
}
