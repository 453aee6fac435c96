import Foundation
import Testing
@testable import EventHTTP
@testable import IDVBFF

@Suite("API errors")
struct APIErrorTests {
    /// One row per case: what the browser must see.
    struct Expectation: Sendable, CustomTestStringConvertible {
        let error: APIError
        let status: Int
        let code: String
        let headers: [String: String]

        var testDescription: String { code }
    }

    static let everyCase: [Expectation] = [
        .init(error: .notFound, status: 404, code: "not_found", headers: [:]),
        .init(error: .methodNotAllowed(allowed: [.get, .head]), status: 405, code: "method_not_allowed", headers: ["Allow": "GET, HEAD"]),
        .init(error: .internalError, status: 500, code: "internal_error", headers: [:]),
        .init(error: .badRequest(.repeatedContentLength), status: 400, code: "bad_request", headers: ["Connection": "close"]),
        .init(error: .lengthRequired, status: 411, code: "length_required", headers: ["Connection": "close"]),
        .init(error: .invalidJSON(detail: "unexpected character at byte 3"), status: 400, code: "invalid_json", headers: [:]),
        .init(error: .invalidRequest(field: "contactId", reason: "must be a string"), status: 400, code: "invalid_request", headers: [:]),
        .init(error: .unsupportedMediaType, status: 415, code: "unsupported_media_type", headers: [:]),
        .init(error: .payloadTooLarge, status: 413, code: "payload_too_large", headers: [:]),
        .init(error: .upstreamError, status: 502, code: "upstream_error", headers: [:]),
        .init(error: .upstreamAuthFailed, status: 502, code: "upstream_auth_failed", headers: [:]),
        .init(error: .upstreamBusy(retryAfterSeconds: 7), status: 503, code: "upstream_busy", headers: ["Retry-After": "7"]),
        .init(error: .upstreamUnavailable, status: 502, code: "upstream_unavailable", headers: [:]),
        .init(error: .upstreamTimeout, status: 504, code: "upstream_timeout", headers: [:]),
        .init(error: .originNotAllowed, status: 403, code: "origin_not_allowed", headers: [:]),
        .init(error: .unauthorized, status: 401, code: "unauthorized", headers: ["WWW-Authenticate": #"Bearer error="invalid_token""#]),
        .init(error: .contactForbidden, status: 403, code: "contact_forbidden", headers: [:]),
        .init(error: .newContactsOnly, status: 403, code: "contact_forbidden", headers: [:]),
        .init(error: .rateLimited(retryAfterSeconds: 3), status: 429, code: "rate_limited", headers: ["Retry-After": "3"]),
        .init(error: .preflightRefused(refused: "preflight asks for method PUT"), status: 403, code: "cors_preflight_refused", headers: [:]),
        .init(error: .invalidIdempotencyKey, status: 400, code: "invalid_idempotency_key", headers: [:]),
        .init(error: .idempotencyKeyReused, status: 422, code: "idempotency_key_reused", headers: [:]),
    ]

    @Test(arguments: everyCase)
    func rendersStatusCodeHeadersAndJSONShape(expected: Expectation) throws {
        let response = expected.error.response(requestID: "rid-9")
        #expect(response.status == expected.status)
        #expect(expected.error.code == expected.code)
        #expect(response.headers["Content-Type"] == "application/json")
        for (name, value) in expected.headers {
            #expect(response.headers[name] == value)
        }
        let otherNames = response.headers.map(\.name).filter { $0 != "Content-Type" }
        #expect(Set(otherNames) == Set(expected.headers.keys))

        let document = try #require(JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        #expect(Array(document.keys) == ["error"])
        let error = try #require(document["error"] as? [String: String])
        #expect(error == ["code": expected.code, "message": expected.error.message, "requestId": "rid-9"])
        // Sorted keys keep the bytes stable.
        let text = String(decoding: response.body, as: UTF8.self)
        #expect(text.hasPrefix(#"{"error":{"code":""# + expected.code + #"","message":"#))
    }

    @Test(arguments: everyCase)
    func codesAreSnakeCaseAndMessagesAreSentences(expected: Expectation) {
        #expect(expected.error.code.allSatisfy { $0.isLowercase || $0 == "_" })
        #expect(expected.error.message.first?.isUppercase == true)
        #expect(expected.error.message.hasSuffix("."))
    }

    @Test func everyCaseIsCovered() {
        // A new case must get a row above: the codes are a contract with browsers.
        #expect(Self.everyCase.count == 22)
        #expect(Self.everyCase.allSatisfy { Self.caseCount(of: $0.error) == 22 })
        // Two cases share `contact_forbidden`: the same decision for the browser, different advice for the operator.
        #expect(Set(Self.everyCase.map(\.code)).count == 21)
    }

    /// Written without `default`, so that a new case stops this file compiling until it is counted and listed.
    private static func caseCount(of error: APIError) -> Int {
        switch error {
        case .notFound, .methodNotAllowed, .internalError, .badRequest, .lengthRequired, .invalidJSON, .invalidRequest,
             .unsupportedMediaType, .payloadTooLarge, .upstreamError, .upstreamAuthFailed, .upstreamBusy,
             .upstreamUnavailable, .upstreamTimeout, .originNotAllowed, .unauthorized, .contactForbidden,
             .newContactsOnly, .rateLimited, .invalidIdempotencyKey, .idempotencyKeyReused, .preflightRefused:
            22
        }
    }

    @Test func rendersStableJSONShape() throws {
        let response = APIError.notFound.response(requestID: "rid-1")
        #expect(String(decoding: response.body, as: UTF8.self)
            == #"{"error":{"code":"not_found","message":"No resource at this path.","requestId":"rid-1"}}"#)
    }

    @Test func escapesHostileRequestIDs() throws {
        let hostile = #"a"b\c</script>"#
        let response = APIError.notFound.response(requestID: hostile)
        let document = try #require(JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        let error = try #require(document["error"] as? [String: Any])
        #expect(error["requestId"] as? String == hostile)
    }

    @Test func invalidRequestNamesTheField() {
        let error = APIError.invalidRequest(field: "orgId", reason: "is not accepted")
        #expect(error.message == #"Invalid field "orgId": is not accepted."#)
    }

    @Test func invalidRequestTruncatesLongFieldNames() {
        let error = APIError.invalidRequest(field: String(repeating: "x", count: 10_000), reason: "is not a known field")
        #expect(error.message == "Invalid field \"" + String(repeating: "x", count: 64) + "…\": is not a known field.")
    }

    @Test func invalidRequestShowsOddCharactersInFieldNamesAsEscapes() {
        let error = APIError.invalidRequest(field: "a\u{202E}b\n\"c\\", reason: "is not a known field")
        #expect(error.message == #"Invalid field "a\u{202E}b\u{A}\u{22}c\u{5C}": is not a known field."#)
    }

    @Test func originNotAllowedIsAPlainForbiddenWithoutCORSHeaders() {
        let response = APIError.originNotAllowed.response(requestID: "rid-3")
        #expect(response.status == 403)
        #expect(response.headers.map(\.name) == ["Content-Type"])
    }

    @Test func upstreamBusyRetryAfterIsNeverNegative() {
        #expect(APIError.upstreamBusy(retryAfterSeconds: -3).headers["Retry-After"] == "0")
    }

    @Test(arguments: [APIError.unauthorized, .contactForbidden])
    func contactRejectionsDoNotSayWhichCheckFailed(error: APIError) {
        let message = error.message.lowercased()
        for detail in ["expired", "signature", "issuer", "audience", "kid", "claim", "algorithm"] {
            #expect(!message.contains(detail))
        }
    }

    @Test func rateLimitedCarriesRetryAfterThenTheRateLimitFields() {
        let error = APIError.rateLimited(
            retryAfterSeconds: 5,
            rateLimitHeaders: ["RateLimit-Policy": #""default";q=10;w=60"#, "RateLimit": #""default";r=0;t=5"#])
        let response = error.response(requestID: "rid-2")
        #expect(response.status == 429)
        #expect(response.headers.map(\.name) == ["Retry-After", "RateLimit-Policy", "RateLimit", "Content-Type"])
        #expect(response.headers["Retry-After"] == "5")
        #expect(response.headers["RateLimit"] == #""default";r=0;t=5"#)
    }

    @Test func rateLimitedSaysSecondsInTheSingularForOne() {
        #expect(APIError.rateLimited(retryAfterSeconds: 1).message == "Too many requests; retry in 1 second.")
        #expect(APIError.rateLimited(retryAfterSeconds: 2).message == "Too many requests; retry in 2 seconds.")
    }

    @Test(arguments: [
        APIError.upstreamError, .upstreamAuthFailed, .upstreamBusy(retryAfterSeconds: 1), .upstreamUnavailable, .upstreamTimeout,
    ])
    func upstreamMessagesDoNotMentionKeysOrOrganisations(error: APIError) {
        let message = error.message.lowercased()
        #expect(!message.contains("key"))
        #expect(!message.contains("org"))
    }
}
