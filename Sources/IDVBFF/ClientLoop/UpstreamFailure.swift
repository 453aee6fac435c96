public import EventHTTP

/// Why a ClientLoop call did not produce a session: from the answer itself or from the way to it.
///
/// Each failure maps to the ``APIError`` the browser sees (``apiError``) and to the detail operators need in the error
/// log (``logDescription``). Neither ever holds a session token or the API key.
public enum UpstreamFailure: Error, Sendable, Equatable {
    // MARK: Answers

    /// ClientLoop answered with a non-empty GraphQL `errors` list (even with HTTP 200 and partial data); the messages
    /// are bounded in number and length.
    case graphQLErrors([String])
    /// A successful answer without a usable `data.contactCreateIdvSession.token` and `expiresAt`.
    case missingData
    /// A successful answer whose body is not the JSON object GraphQL promises; the summary never quotes the body.
    case malformedResponse(String)
    /// HTTP 401 or 403: ClientLoop refused the API key. `messages` are any GraphQL error messages in the body.
    case authenticationRejected(status: Int, messages: [String] = [])
    /// HTTP 429, with the delay ClientLoop asked for when its `Retry-After` was usable.
    case rateLimited(retryAfterSeconds: Int?)
    /// Any other non-2xx status. `messages` are any GraphQL error messages in the body.
    case httpStatus(Int, messages: [String] = [])

    // MARK: Transport

    /// The connection pool's queue of waiting calls was full, so the call was not attempted.
    case busy
    /// No complete answer arrived within `clientloop.timeout_ms`.
    case timeout
    /// ClientLoop could not be reached: DNS failure, refused or reset connection, failed TLS verification.
    /// `detail` says which, for the log.
    case unavailable(String)
    /// The answer was larger than the client is willing to read.
    case responseTooLarge

    /// The transport's failure, as a ClientLoop call failure.
    public init(_ transport: UpstreamTransportError) {
        switch transport {
        case .busy: self = .busy
        case .timeout: self = .timeout
        case .unavailable(let detail): self = .unavailable(detail)
        case .malformedResponse(let summary): self = .malformedResponse(summary)
        case .responseTooLarge: self = .responseTooLarge
        }
    }

    /// The delay suggested to the browser when ClientLoop rate-limits without a usable `Retry-After`.
    public static let defaultRateLimitRetryAfterSeconds = 5
    /// The delay suggested to the browser when the local pool is full: a short wait usually finds a free connection.
    public static let busyRetryAfterSeconds = 1

    /// What the browser is told.
    public var apiError: APIError {
        switch self {
        case .graphQLErrors, .missingData, .malformedResponse, .httpStatus, .responseTooLarge:
            .upstreamError
        case .authenticationRejected:
            .upstreamAuthFailed
        case .rateLimited(let seconds):
            .upstreamBusy(retryAfterSeconds: seconds ?? Self.defaultRateLimitRetryAfterSeconds)
        case .busy:
            .upstreamBusy(retryAfterSeconds: Self.busyRetryAfterSeconds)
        case .unavailable:
            .upstreamUnavailable
        case .timeout:
            .upstreamTimeout
        }
    }

    /// Whether ClientLoop refused the API key: an operator must fix the configuration, so it is logged as such.
    public var isAuthenticationFailure: Bool {
        if case .authenticationRejected = self { true } else { false }
    }

    /// The detail for the error log: statuses, GraphQL messages, transport detail. Never a token.
    public var logDescription: String {
        switch self {
        case .graphQLErrors(let messages):
            "GraphQL errors: " + Self.joined(messages)
        case .missingData:
            "the answer lacks data.contactCreateIdvSession.token or expiresAt"
        case .malformedResponse(let summary):
            "malformed answer: \(summary)"
        case .authenticationRejected(let status, let messages):
            "HTTP \(status), API key rejected" + Self.suffix(messages)
        case .rateLimited(let seconds):
            "HTTP 429, rate limited" + (seconds.map { ", Retry-After \($0) s" } ?? ", no usable Retry-After")
        case .httpStatus(let status, let messages):
            "HTTP \(status)" + Self.suffix(messages)
        case .busy:
            "no upstream capacity (this loop's queue is full or clientloop.max_in_flight is reached); the call was not attempted"
        case .timeout:
            "no complete answer within the deadline"
        case .unavailable(let detail):
            "unreachable: \(detail)"
        case .responseTooLarge:
            "the answer exceeds the size limit"
        }
    }

    private static func joined(_ messages: [String]) -> String {
        messages.isEmpty ? "(none)" : messages.joined(separator: " | ")
    }

    private static func suffix(_ messages: [String]) -> String {
        messages.isEmpty ? "" : "; GraphQL errors: " + joined(messages)
    }
}
