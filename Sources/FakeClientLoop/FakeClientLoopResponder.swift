public import EventHTTP
public import Foundation

/// Decides what the fake ClientLoop GraphQL endpoint answers; the network layer only carries answers out.
///
/// `POST` on any path is the GraphQL endpoint of ClientLoop's schema (`Schema/clientloop.graphql`). Requests are
/// checked in the order a GraphQL-over-HTTP server checks them (method, credentials, media types, idv-bff's headers
/// when ``FakeClientLoopOptions/expectsIDVBFFHeaders`` is set, body), then run by ``FakeGraphQLExecution`` (parse,
/// validate, operation, variables, execution); then the contact id of a minted session may pick a
/// ``FakeClientLoopTrigger``; then `--fail-rate` may turn a success into a 500. Every GraphQL answer waits
/// `latencyMilliseconds`. `GET /__stats` bypasses all of that and answers ``FakeClientLoopStats`` at once;
/// `GET /jwks.json` serves the `--jwks-file` document.
///
/// GraphQL errors are answered with 200, as GraphQL over HTTP asks of an `application/json` response to a
/// well-formed request (request errors without `data`, field errors with it); only a body that is not a
/// GraphQL-over-HTTP request at all gets a 400.
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
    private let documents = FakeGraphQLExecution.ValidatedDocuments()

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
        if let rejection = FakeTransportChecks.rejection(of: request, options: options) {
            return (.respond(rejection, afterMilliseconds: latency), false)
        }
        if let index = FakeTransportChecks.keyIndex(of: request, apiKeys: options.apiKeys) {
            stats.count(requestWithKey: index, of: options.apiKeys.count)
        }
        let graphQLRequest: FakeGraphQLRequest
        do {
            graphQLRequest = try FakeGraphQLRequest(body: request.body)
        } catch {
            return (.respond(error.response, afterMilliseconds: latency), false)
        }
        // Copies: the ledger's closure escapes, and a mutating method's self cannot be captured.
        let (now, makeUUID) = (now, makeUUID)
        let ledger = FakeSessionLedger { FakeSession(uuid: makeUUID(), now: now()) }
        let response = FakeGraphQLExecution.response(to: graphQLRequest, ledger: ledger, documents: documents)
        let minted = ledger.entries
        stats.lastOrgId = minted.first?.input.orgId
        stats.lastContactId = minted.first?.input.contactId

        // Triggers stand for the whole server misbehaving, so the first triggering field decides the answer.
        for entry in minted {
            if let trigger = entry.input.contactId.flatMap(FakeClientLoopTrigger.init(contactId:)) {
                let answer = trigger.answer(session: entry.session, normalBody: response.body, latencyMilliseconds: latency)
                return (answer, trigger.mintsSession)
            }
        }
        // A document that did not run, a field error, or an operation that minted nothing (a query) is no session.
        guard response.errors.isEmpty, !minted.isEmpty else {
            return (.respond(.json(status: 200, body: response.body), afterMilliseconds: latency), false)
        }
        if options.failRate > 0, random() < options.failRate {
            let error = FakeGraphQLError(
                message: "Internal server error (simulated by --fail-rate)", code: "INTERNAL_SERVER_ERROR"
            )
            return (.respond(error.response(status: 500), afterMilliseconds: latency), false)
        }
        return (.respond(.json(status: 200, body: response.body), afterMilliseconds: latency), true)
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
