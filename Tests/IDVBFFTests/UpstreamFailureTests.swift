import Testing
@testable import EventHTTP
@testable import IDVBFF

@Suite("Upstream failures")
struct UpstreamFailureTests {
    struct Mapping: Sendable, CustomTestStringConvertible {
        let failure: UpstreamFailure
        let error: APIError
        let status: Int
        let code: String
        let retryAfter: String?

        var testDescription: String { failure.logDescription }
    }

    static let mappings: [Mapping] = [
        .init(failure: .graphQLErrors(["bad"]), error: .upstreamError, status: 502, code: "upstream_error", retryAfter: nil),
        .init(failure: .missingData, error: .upstreamError, status: 502, code: "upstream_error", retryAfter: nil),
        .init(failure: .malformedResponse("x"), error: .upstreamError, status: 502, code: "upstream_error", retryAfter: nil),
        .init(failure: .httpStatus(500), error: .upstreamError, status: 502, code: "upstream_error", retryAfter: nil),
        .init(failure: .responseTooLarge, error: .upstreamError, status: 502, code: "upstream_error", retryAfter: nil),
        .init(failure: .authenticationRejected(status: 401), error: .upstreamAuthFailed, status: 502, code: "upstream_auth_failed", retryAfter: nil),
        .init(failure: .authenticationRejected(status: 403), error: .upstreamAuthFailed, status: 502, code: "upstream_auth_failed", retryAfter: nil),
        .init(failure: .rateLimited(retryAfterSeconds: 30), error: .upstreamBusy(retryAfterSeconds: 30), status: 503, code: "upstream_busy", retryAfter: "30"),
        .init(failure: .rateLimited(retryAfterSeconds: nil), error: .upstreamBusy(retryAfterSeconds: 5), status: 503, code: "upstream_busy", retryAfter: "5"),
        .init(failure: .busy, error: .upstreamBusy(retryAfterSeconds: 1), status: 503, code: "upstream_busy", retryAfter: "1"),
        .init(failure: .unavailable("connection refused"), error: .upstreamUnavailable, status: 502, code: "upstream_unavailable", retryAfter: nil),
        .init(failure: .timeout, error: .upstreamTimeout, status: 504, code: "upstream_timeout", retryAfter: nil),
    ]

    @Test(arguments: mappings)
    func mapsToTheAPIError(mapping: Mapping) {
        #expect(mapping.failure.apiError == mapping.error)
        let response = mapping.failure.apiError.response(requestID: "r")
        #expect(response.status == mapping.status)
        #expect(mapping.failure.apiError.code == mapping.code)
        #expect(response.headers["Retry-After"] == mapping.retryAfter)
    }

    @Test(arguments: mappings)
    func browserMessageNeverCarriesUpstreamDetail(mapping: Mapping) {
        let body = String(decoding: mapping.failure.apiError.response(requestID: "r").body, as: UTF8.self)
        #expect(!body.contains("connection refused"))
        #expect(!body.contains("bad"))
    }

    @Test func onlyRejectedKeysAreAuthenticationFailures() {
        #expect(UpstreamFailure.authenticationRejected(status: 401).isAuthenticationFailure)
        #expect(UpstreamFailure.authenticationRejected(status: 403, messages: ["no"]).isAuthenticationFailure)
        for mapping in Self.mappings where mapping.code != "upstream_auth_failed" {
            #expect(!mapping.failure.isAuthenticationFailure)
        }
    }

    @Test func logDescriptionCarriesGraphQLMessages() {
        #expect(UpstreamFailure.graphQLErrors(["a", "b"]).logDescription == "GraphQL errors: a | b")
    }

    @Test func logDescriptionCarriesStatusesAndTheirMessages() {
        #expect(UpstreamFailure.httpStatus(500).logDescription == "HTTP 500")
        #expect(UpstreamFailure.httpStatus(400, messages: ["bad input"]).logDescription == "HTTP 400; GraphQL errors: bad input")
        #expect(UpstreamFailure.authenticationRejected(status: 401).logDescription == "HTTP 401, API key rejected")
        #expect(UpstreamFailure.rateLimited(retryAfterSeconds: 9).logDescription == "HTTP 429, rate limited, Retry-After 9 s")
    }

    @Test func logDescriptionCarriesTransportDetail() {
        #expect(UpstreamFailure.unavailable("TLS: certificate verify failed").logDescription.contains("certificate verify failed"))
    }

    @Test(arguments: mappings)
    func everyFailureHasALogDescription(mapping: Mapping) {
        #expect(!mapping.failure.logDescription.isEmpty)
    }
}
