import Foundation
public import EventHTTP

/// Every error the service answers with: a stable machine-readable `code`, its HTTP status and a safe message.
///
/// Messages never contain configuration secrets (the API key, the organisation id) or upstream text; those details
/// go to the log.
public enum APIError: Error, Sendable, Equatable {
    /// No route has this path.
    case notFound
    /// The path exists but not with this method; `allowed` feeds the `Allow` header.
    case methodNotAllowed(allowed: [HTTPMethod])
    /// A bug: something that should not fail did.
    case internalError
    /// The request's framing is ambiguous or malformed (``RequestFraming``); answered with `Connection: close`, so
    /// nothing else on the connection is read.
    case badRequest(RequestFraming.Violation)
    /// The body is chunked: only bodies framed by `Content-Length` are read (``RequestFraming``).
    case lengthRequired
    /// The body is not acceptable JSON; `detail` is the parser's own description, which never quotes the input.
    case invalidJSON(detail: String)
    /// The body is JSON but `field` is not allowed or has a bad value; `reason` is a fixed phrase such as
    /// `"is not a known field"`, written by the service, never by the client.
    case invalidRequest(field: String, reason: String)
    /// The body is not sent as `application/json` in UTF-8.
    case unsupportedMediaType
    /// The body is larger than this endpoint accepts.
    case payloadTooLarge
    /// ClientLoop answered, but not with what the contract promises.
    case upstreamError
    /// ClientLoop refused the service's API key: a configuration problem, not the client's.
    case upstreamAuthFailed
    /// ClientLoop, or the service's own connection pool for it, is saturated; retry after the given seconds.
    case upstreamBusy(retryAfterSeconds: Int)
    /// ClientLoop could not be reached (DNS, refused or reset connection, TLS verification).
    case upstreamUnavailable
    /// ClientLoop did not answer within the configured deadline.
    case upstreamTimeout
    /// A browser request from an origin the CORS policy does not allow, or a preflight asking for more than it allows.
    case originNotAllowed
    /// The request lacks a valid bearer token from the integrator's identity provider. Which check failed is logged,
    /// never answered.
    case unauthorized
    /// The request names a contact that its bearer token, or the contact policy, does not allow.
    case contactForbidden
    /// The request names a contact, but `contact.policy` is `none`: this server verifies new contacts only. Shares
    /// the code `contact_forbidden`; its message tells the operator which setting to change.
    case newContactsOnly
    /// The client sent too many requests; retry after the given seconds. `rateLimitHeaders` are the `RateLimit-Policy`
    /// and `RateLimit` fields that go with the answer.
    case rateLimited(retryAfterSeconds: Int, rateLimitHeaders: HTTPHeaders = [:])
    /// A preflight from an allowed origin asks for a method or header the API does not allow; `refused` says which.
    case preflightRefused(refused: String)
    /// `Idempotency-Key` is not one string of 1 to 255 visible ASCII characters.
    case invalidIdempotencyKey
    /// The `Idempotency-Key` was already used for a different request.
    case idempotencyKeyReused

    /// The longest field name quoted back in a message, in characters.
    static let maximumQuotedFieldLength = 64

    /// The stable code clients can branch on.
    public var code: String {
        switch self {
        case .notFound: "not_found"
        case .methodNotAllowed: "method_not_allowed"
        case .internalError: "internal_error"
        case .badRequest: "bad_request"
        case .lengthRequired: "length_required"
        case .invalidJSON: "invalid_json"
        case .invalidRequest: "invalid_request"
        case .unsupportedMediaType: "unsupported_media_type"
        case .payloadTooLarge: "payload_too_large"
        case .upstreamError: "upstream_error"
        case .upstreamAuthFailed: "upstream_auth_failed"
        case .upstreamBusy: "upstream_busy"
        case .upstreamUnavailable: "upstream_unavailable"
        case .upstreamTimeout: "upstream_timeout"
        case .originNotAllowed: "origin_not_allowed"
        case .unauthorized: "unauthorized"
        case .contactForbidden, .newContactsOnly: "contact_forbidden"
        case .rateLimited: "rate_limited"
        case .preflightRefused: "cors_preflight_refused"
        case .invalidIdempotencyKey: "invalid_idempotency_key"
        case .idempotencyKeyReused: "idempotency_key_reused"
        }
    }

    /// The HTTP status that goes with the code.
    public var status: Int {
        switch self {
        case .notFound: 404
        case .methodNotAllowed: 405
        case .internalError: 500
        case .badRequest, .invalidJSON, .invalidRequest: 400
        case .lengthRequired: 411
        case .unsupportedMediaType: 415
        case .payloadTooLarge: 413
        // Upstream failures are the gateway's: 502 for a bad or missing answer, 503 to slow down, 504 for a timeout.
        case .upstreamError, .upstreamAuthFailed, .upstreamUnavailable: 502
        case .upstreamBusy: 503
        case .upstreamTimeout: 504
        case .originNotAllowed: 403
        case .unauthorized: 401
        case .contactForbidden, .newContactsOnly: 403
        case .rateLimited: 429
        case .preflightRefused: 403
        case .invalidIdempotencyKey: 400
        case .idempotencyKeyReused: 422
        }
    }

    /// A human sentence, safe to show in a browser.
    public var message: String {
        switch self {
        case .notFound: "No resource at this path."
        case .methodNotAllowed(let allowed):
            "This path does not accept that method; use \(allowed.map(\.rawValue).joined(separator: " or "))."
        case .internalError: "The server failed unexpectedly."
        case .badRequest(let violation): "The request's framing is ambiguous: it has \(violation.rawValue)."
        case .lengthRequired: "Send the request body with Content-Length, not chunked."
        case .invalidJSON(let detail): "The request body is not acceptable JSON: \(detail)."
        case .invalidRequest(let field, let reason): "Invalid field \"\(Self.quotable(field))\": \(reason)."
        case .unsupportedMediaType: "Send the request body as application/json in UTF-8."
        case .payloadTooLarge: "The request body is too large."
        case .upstreamError: "ClientLoop gave an unexpected answer; try again later."
        case .upstreamAuthFailed: "The server could not authenticate with ClientLoop."
        case .upstreamBusy(let seconds): "ClientLoop is busy; retry in \(Self.clampedSeconds(seconds)) seconds."
        case .upstreamUnavailable: "ClientLoop cannot be reached; try again later."
        case .upstreamTimeout: "ClientLoop did not answer in time; try again later."
        case .originNotAllowed: "This origin may not call this API."
        case .unauthorized: "A valid bearer token is required."
        case .contactForbidden: "This request may not start a verification for that contact."
        case .newContactsOnly:
            "This server verifies new contacts only and does not accept a contactId; to verify existing contacts, "
                + "its operator sets CONTACT_POLICY=jwt, so that a signed token names the contact."
        case .rateLimited(let seconds, _):
            "Too many requests; retry in \(Self.clampedSeconds(seconds)) second\(Self.clampedSeconds(seconds) == 1 ? "" : "s")."
        case .preflightRefused(let refused):
            "This origin is allowed, but its \(Self.quotable(refused)); allowed are POST with "
                + CORSPolicy.allowedRequestHeaders.joined(separator: ", ") + "."
        case .invalidIdempotencyKey:
            "Idempotency-Key must be one string of 1 to 255 visible ASCII characters."
        case .idempotencyKeyReused:
            "This Idempotency-Key was used for a different request; use a new key for each user action."
        }
    }

    /// Headers that belong with this error.
    public var headers: HTTPHeaders {
        switch self {
        case .methodNotAllowed(let allowed):
            ["Allow": allowed.map(\.rawValue).joined(separator: ", ")]
        case .badRequest, .lengthRequired:
            ["Connection": "close"]
        case .upstreamBusy(let seconds):
            ["Retry-After": String(Self.clampedSeconds(seconds))]
        case .unauthorized:
            // RFC 6750 §3: tells the client its token is the problem without saying what is wrong with it.
            ["WWW-Authenticate": #"Bearer error="invalid_token""#]
        case .contactForbidden, .newContactsOnly:
            [:]
        case .originNotAllowed:
            [:]
        case .notFound, .internalError, .invalidJSON, .invalidRequest, .unsupportedMediaType, .payloadTooLarge,
            .upstreamError, .upstreamAuthFailed, .upstreamUnavailable, .upstreamTimeout, .invalidIdempotencyKey,
            .idempotencyKeyReused, .preflightRefused:
            [:]
        case .rateLimited(let seconds, let rateLimitHeaders):
            RateLimitHeaders.refusal(retryAfterSeconds: Self.clampedSeconds(seconds), fields: rateLimitHeaders)
        }
    }

    /// The one place errors become responses: `{"error":{"code":…,"message":…,"requestId":…}}`.
    public func response(requestID: String) -> HTTPResponse {
        let document = ErrorDocument(error: .init(code: code, message: message, requestId: requestID))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]  // code, message, requestId: stable for clients and tests
        let body = (try? encoder.encode(document)).map(Array.init) ?? Array(#"{"error":{"code":"internal_error"}}"#.utf8)
        return .json(status: status, body: body, headers: headers)
    }

    /// A client-chosen field name made fit to quote.
    static func quotable(_ field: String) -> String {
        field.quotedForMessage(maximumLength: maximumQuotedFieldLength)
    }

    /// A retry delay that makes sense in `Retry-After`: never negative.
    private static func clampedSeconds(_ seconds: Int) -> Int {
        max(seconds, 0)
    }
}

private struct ErrorDocument: Encodable {
    struct Detail: Encodable {
        let code: String
        let message: String
        let requestId: String
    }

    let error: Detail
}
