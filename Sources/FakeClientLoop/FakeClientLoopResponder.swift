public import EventHTTP
public import Foundation

/// Decides what the fake ClientLoop GraphQL endpoint answers; the network layer only carries answers out.
///
/// `POST` on any path is the GraphQL endpoint and serves only `contactCreateIdvSession`. Requests are checked in the
/// order a GraphQL-over-HTTP server checks them (method, credentials, media types, idv-bff's headers, body,
/// document, variables); then the contact id may pick a ``FakeClientLoopTrigger``; then `--fail-rate` may turn a
/// success into a 500. Every GraphQL answer waits `latencyMilliseconds`. `GET /__stats` bypasses all of that and
/// answers ``FakeClientLoopStats`` at once; `GET /jwks.json` serves the `--jwks-file` document.
///
/// Each event loop owns one responder, so its counters need no lock.
public struct FakeClientLoopResponder: Sendable {
    /// The path of the stats endpoint.
    public static let statsPath = "/__stats"
    /// Where the `--jwks-file` document is served, standing in for an identity provider's JWKS URL.
    public static let jwksPath = "/jwks.json"

    /// What the endpoint has seen so far.
    public private(set) var stats = FakeClientLoopStats()

    private let options: FakeClientLoopOptions
    private let now: @Sendable () -> Date
    private let makeUUID: @Sendable () -> UUID
    private let random: @Sendable () -> Double

    /// Creates a responder.
    /// - Parameters:
    ///   - options: Key, latency and failure rate.
    ///   - now: The clock that dates session expiries.
    ///   - makeUUID: The source of session token UUIDs.
    ///   - random: Numbers in `0..<1`, compared with `failRate`; consulted only for requests that would succeed.
    public init(
        options: FakeClientLoopOptions,
        now: @escaping @Sendable () -> Date = { Date() },
        makeUUID: @escaping @Sendable () -> UUID = { UUID() },
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.options = options
        self.now = now
        self.makeUUID = makeUUID
        self.random = random
    }

    /// The answer to one request, counted in ``stats`` unless it is for the stats endpoint.
    /// - Parameters:
    ///   - request: The request as received.
    ///   - extraStats: Counters the network layer keeps (such as `handshakes`), added to a `GET /__stats` answer.
    public mutating func answer(_ request: HTTPRequest, extraStats: [String: Int] = [:]) -> FakeAnswer {
        if (request.method == .get || request.method == .head) && request.path == Self.statsPath {
            return .respond(statsResponse(extra: extraStats), afterMilliseconds: 0)
        }
        if request.method == .get && request.path == Self.jwksPath {
            stats.jwksRequests += 1
            return .respond(jwksResponse(), afterMilliseconds: 0)
        }
        stats.requests += 1
        stats.lastRequestId = request.headers[RequestID.headerName]
        stats.lastTraceparent = request.headers["traceparent"]
        stats.lastTracestate = request.headers["tracestate"]
        stats.lastOrgId = nil
        stats.lastContactId = nil
        let (answer, mintsSession) = decide(request)
        if mintsSession {
            stats.successes += 1
        } else {
            stats.failures += 1
        }
        return answer
    }

    /// The stats as JSON, with `extra` counters merged in (see ``FakeClientLoopStats/json(extra:)``).
    public func statsJSON(extra: [String: Int] = [:]) -> [UInt8] {
        stats.json(extra: extra)
    }

    /// The `GET /jwks.json` answer: the `--jwks-file` document as it is on disk now, or 404.
    private func jwksResponse() -> HTTPResponse {
        guard let path = options.jwksFile, let document = FileManager.default.contents(atPath: path) else {
            return .json(status: 404, body: Array(#"{"error":"no JWKS is served here"}"#.utf8))
        }
        return .json(status: 200, body: Array(document))
    }

    /// The `GET /__stats` answer: 200 with ``statsJSON(extra:)``.
    public func statsResponse(extra: [String: Int] = [:]) -> HTTPResponse {
        .json(status: 200, body: statsJSON(extra: extra))
    }

    private mutating func decide(_ request: HTTPRequest) -> (FakeAnswer, mintsSession: Bool) {
        let latency = max(0, options.latencyMilliseconds)
        if let rejection = FakeTransportChecks.rejection(of: request, apiKeys: options.apiKeys) {
            return (.respond(rejection, afterMilliseconds: latency), false)
        }
        if let index = FakeTransportChecks.keyIndex(of: request, apiKeys: options.apiKeys) {
            stats.count(requestWithKey: index, of: options.apiKeys.count)
        }
        let input: FakeSessionInput
        do {
            let graphQLRequest = try FakeGraphQLRequest(body: request.body)
            try FakeSessionMutation.validate(graphQLRequest)
            input = try FakeSessionInput(variables: graphQLRequest.variables)
        } catch {
            return (.respond(error.response, afterMilliseconds: latency), false)
        }
        stats.lastOrgId = input.orgId
        stats.lastContactId = input.contactId

        let session = FakeSession(uuid: makeUUID(), now: now())
        if let trigger = input.contactId.flatMap(FakeClientLoopTrigger.init(contactId:)) {
            return (trigger.answer(session: session, latencyMilliseconds: latency), trigger.mintsSession)
        }
        if options.failRate > 0, random() < options.failRate {
            let error = FakeGraphQLError(
                message: "Internal server error (simulated by --fail-rate)", code: "INTERNAL_SERVER_ERROR"
            )
            return (.respond(error.response(status: 500), afterMilliseconds: latency), false)
        }
        return (.respond(.json(status: 200, body: session.successBody), afterMilliseconds: latency), true)
    }
}

/// What the fake ClientLoop endpoint does with one request; the network layer carries it out.
public struct FakeAnswer: Sendable {
    /// The response to send; a truncated delivery simulates a server that crashes mid-answer.
    public var response: HTTPResponse
    /// How long to wait before sending it.
    public var delayMilliseconds: Int

    /// Send `response` once `afterMilliseconds` have passed.
    public static func respond(_ response: HTTPResponse, afterMilliseconds: Int) -> FakeAnswer {
        FakeAnswer(response: response, delayMilliseconds: afterMilliseconds)
    }
}
