import EventHTTP
/// Contact ids that make the fake ClientLoop misbehave in one specific way each, so that every row of the
/// real server's error table can be exercised end to end. Any other contact id gets a normal session.
///
/// The raw value is the `contactId` to send.
public enum FakeClientLoopTrigger: String, Sendable, CaseIterable {
    /// A GraphQL execution error at HTTP 200 ("Contact is archived").
    case graphQLError = "fail-graphql-error"
    /// A success document whose token is `null`.
    case missingToken = "fail-missing-token"
    /// HTTP 401, as for a revoked API key.
    case unauthorized = "fail-unauthorized"
    /// HTTP 403, as for a key without access to the organisation.
    case forbidden = "fail-forbidden"
    /// HTTP 429 with `Retry-After`.
    case rateLimited = "fail-rate-limited"
    /// HTTP 500.
    case serverError = "fail-server-error"
    /// HTTP 503.
    case unavailable = "fail-unavailable"
    /// HTTP 200 with truncated JSON.
    case malformedJSON = "fail-malformed-json"
    /// HTTP 200 with a valid body over 2 MiB.
    case oversized = "fail-oversized"
    /// The normal answer, but only after 30 seconds.
    case slow = "fail-slow"
    /// Part of a response, then an abrupt close.
    case reset = "fail-reset"
    /// The whole request read, then a close without a byte of answer.
    case closeWithoutAnswer = "fail-close"
    /// A status line that is not HTTP, then a close.
    case garbageStatusLine = "fail-garbage-status"

    /// How long `fail-slow` waits before its otherwise normal answer, in milliseconds.
    public static let slowAnswerMilliseconds = 30_000

    /// The `Retry-After` seconds `fail-rate-limited` asks for.
    public static let retryAfterSeconds = 7

    /// The size `fail-oversized` bodies exceed: 2 MiB.
    public static let oversizedBodyMinimumBytes = 2 * 1024 * 1024

    /// The `Content-Length` `fail-reset` announces; far more than it writes before closing.
    public static let resetAnnouncedContentLength = 1000

    /// What `fail-garbage-status` sends in place of a status line.
    public static let garbageStatusLineBytes = "SURPRISE 200 not-http\r\n\r\n"

    /// The trigger for a contact id, if it is one.
    public init?(contactId: String) {
        self.init(rawValue: contactId)
    }

    /// The `contactId` that sets this trigger off.
    public var contactId: String {
        rawValue
    }

    /// What the fake answers, in a phrase for documentation.
    public var summary: String {
        switch self {
        case .graphQLError:
            #"200 with `{"errors":[{"message":"Contact is archived","extensions":{"code":"BAD_REQUEST"}}],"data":null}`"#
        case .missingToken: #"200 with the success shape but `"token":null`"#
        case .unauthorized: "401 with a GraphQL errors body (`UNAUTHENTICATED`)"
        case .forbidden: "403 with a GraphQL errors body (`FORBIDDEN`)"
        case .rateLimited:
            "429 with `Retry-After: \(Self.retryAfterSeconds)` and a GraphQL errors body (`RATE_LIMITED`)"
        case .serverError: "500 with a GraphQL errors body (`INTERNAL_SERVER_ERROR`)"
        case .unavailable: "503 with a GraphQL errors body (`SERVICE_UNAVAILABLE`)"
        case .malformedJSON: #"200 `application/json` with truncated JSON: `{"data": {"contactCreateIdvSession": `"#
        case .oversized: "200 with a valid success body over 2 MiB (a long `padding` field)"
        case .slow: "the normal success answer, after \(Self.slowAnswerMilliseconds) ms"
        case .reset:
            "a status line and headers announcing `Content-Length: \(Self.resetAnnouncedContentLength)`, "
                + "20 body bytes, then an abrupt close"
        case .closeWithoutAnswer: "nothing: the request is read, then the connection closed"
        case .garbageStatusLine: "`SURPRISE 200 not-http` in place of a status line, then a close"
        }
    }

    /// The triggers as a Markdown table (`contactId` and answer), for the README.
    public static var markdownTable: String {
        let rows = allCases.map { "| `\($0.contactId)` | \($0.summary) |" }
        return (["| `contactId` | answer |", "|---|---|"] + rows).joined(separator: "\n")
    }

    /// Whether the client is meant to end up with a usable session from this answer.
    var mintsSession: Bool {
        self == .slow
    }

    /// The misbehaviour, given the session minted for the triggering contact and the body of the normal answer.
    ///
    /// The bodies are fixed, in the shape of the canonical document's answer, whatever the client selected: they
    /// stand for a server that misbehaves. Only `fail-slow` sends the normal answer, shaped by the selection.
    func answer(session: FakeSession, normalBody: [UInt8], latencyMilliseconds: Int) -> FakeAnswer {
        switch self {
        case .graphQLError:
            let error = FakeGraphQLError(message: "Contact is archived", code: "BAD_REQUEST")
            return .respond(error.response(status: 200, withNullData: true), afterMilliseconds: latencyMilliseconds)
        case .missingToken:
            return .respond(.json(status: 200, body: session.missingTokenBody), afterMilliseconds: latencyMilliseconds)
        case .unauthorized:
            let response = FakeGraphQLError.unauthorized.response(status: 401, headers: ["WWW-Authenticate": "Bearer"])
            return .respond(response, afterMilliseconds: latencyMilliseconds)
        case .forbidden:
            let error = FakeGraphQLError(message: "Forbidden", code: "FORBIDDEN")
            return .respond(error.response(status: 403), afterMilliseconds: latencyMilliseconds)
        case .rateLimited:
            let error = FakeGraphQLError(message: "Too many requests", code: "RATE_LIMITED")
            let response = error.response(status: 429, headers: ["Retry-After": String(Self.retryAfterSeconds)])
            return .respond(response, afterMilliseconds: latencyMilliseconds)
        case .serverError:
            let error = FakeGraphQLError(message: "Internal server error", code: "INTERNAL_SERVER_ERROR")
            return .respond(error.response(status: 500), afterMilliseconds: latencyMilliseconds)
        case .unavailable:
            let error = FakeGraphQLError(message: "Service unavailable", code: "SERVICE_UNAVAILABLE")
            return .respond(error.response(status: 503), afterMilliseconds: latencyMilliseconds)
        case .malformedJSON:
            let truncated = Array(#"{"data": {"contactCreateIdvSession": "#.utf8)
            return .respond(.json(status: 200, body: truncated), afterMilliseconds: latencyMilliseconds)
        case .oversized:
            let body = session.oversizedBody(minimumBytes: Self.oversizedBodyMinimumBytes)
            return .respond(.json(status: 200, body: body), afterMilliseconds: latencyMilliseconds)
        case .slow:
            let delay = max(Self.slowAnswerMilliseconds, latencyMilliseconds)
            return .respond(.json(status: 200, body: normalBody), afterMilliseconds: delay)
        case .reset:
            // A head that promises far more body than follows: the client must notice the early close.
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(Self.resetAnnouncedContentLength)\r\n\r\n"
            let response = HTTPResponse(status: 200, delivery: .rawThenClose(Array((head + #"{"data":{"contactCre"#).utf8)))
            return .respond(response, afterMilliseconds: 0)
        case .closeWithoutAnswer:
            return .respond(HTTPResponse(status: 200, delivery: .rawThenClose([])), afterMilliseconds: latencyMilliseconds)
        case .garbageStatusLine:
            let response = HTTPResponse(status: 200, delivery: .rawThenClose(Array(Self.garbageStatusLineBytes.utf8)))
            return .respond(response, afterMilliseconds: latencyMilliseconds)
        }
    }
}
