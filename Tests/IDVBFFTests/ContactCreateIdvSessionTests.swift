import Foundation
import Testing
@testable import EventHTTP
@testable import IDVBFF

@Suite("contactCreateIdvSession contract")
struct ContactCreateIdvSessionTests {
    private static let query =
        "mutation ContactCreateIdvSession($input: ContactCreateIdvSession!) { contactCreateIdvSession(input: $input) { token expiresAt } }"

    private func decode(status: Int = 200, headers: HTTPHeaders = [:], _ body: String) -> Result<IDVSession, UpstreamFailure> {
        ContactCreateIdvSession.decodeResponse(status: status, headers: headers, body: Array(body.utf8))
    }

    private static let success = #"{"data":{"contactCreateIdvSession":{"token":"tok_1","expiresAt":"2026-01-01T00:00:00Z"}}}"#

    // MARK: Request document

    @Test func exposesTheOperationNameAndQuery() {
        #expect(ContactCreateIdvSession.operationName == "ContactCreateIdvSession")
        #expect(ContactCreateIdvSession.query == Self.query)
    }

    @Test func encodesTheRequestWithAContactId() {
        let body = ContactCreateIdvSession.RequestBody(orgId: "org_1").bytes(contactId: "ct_9")
        #expect(String(decoding: body, as: UTF8.self)
            == #"{"operationName":"ContactCreateIdvSession","query":""# + Self.query
            + #"","variables":{"input":{"contactId":"ct_9","orgId":"org_1"}}}"#)
    }

    @Test func omitsTheContactIdKeyForANewContact() {
        let body = ContactCreateIdvSession.RequestBody(orgId: "org_1").bytes(contactId: nil)
        #expect(String(decoding: body, as: UTF8.self)
            == #"{"operationName":"ContactCreateIdvSession","query":""# + Self.query + #"","variables":{"input":{"orgId":"org_1"}}}"#)
    }

    @Test("the pre-encoded body is what JSONEncoder writes with sorted keys", arguments: [
        ("org_1", "ct_9"), ("org_1", nil), (#"o"\"#, "c/1"), ("35dHMM4pFzIykUsys1CDyZ9Xtkz", "a-b_C"), ("ünï", "x\ty"),
    ] as [(String, String?)])
    func matchesJSONEncoder(orgId: String, contactId: String?) throws {
        struct Input: Encodable { let orgId: String; let contactId: String? }
        struct Variables: Encodable { let input: Input }
        struct Document: Encodable { let operationName: String; let query: String; let variables: Variables }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let expected = try encoder.encode(Document(
            operationName: ContactCreateIdvSession.operationName, query: ContactCreateIdvSession.query,
            variables: Variables(input: Input(orgId: orgId, contactId: contactId))))
        #expect(ContactCreateIdvSession.RequestBody(orgId: orgId).bytes(contactId: contactId) == Array(expected))
    }

    @Test func hostileValuesCannotBreakOutOfTheirStrings() throws {
        let hostile = #"x","orgId":"evil"}},"query":"{__schema}\"\\"# + "\n\u{0}</script>"
        let body = ContactCreateIdvSession.RequestBody(orgId: #"o"\"#).bytes(contactId: hostile)
        let document = try StrictJSON.parse(body)
        #expect(document["variables"]?["input"]?["contactId"] == .string(hostile))
        #expect(document["variables"]?["input"]?["orgId"] == .string(#"o"\"#))
        #expect(document["query"] == .string(Self.query))
        guard case .object(let members) = document, case .object(let input)? = document["variables"]?["input"] else {
            Issue.record("expected objects")
            return
        }
        #expect(members.map(\.key) == ["operationName", "query", "variables"])
        #expect(input.map(\.key) == ["contactId", "orgId"])
    }

    // MARK: Successful answers

    @Test func decodesASession() {
        #expect(decode(Self.success) == .success(IDVSession(token: "tok_1", expiresAt: "2026-01-01T00:00:00Z")))
    }

    @Test func acceptsAnyTwoHundredStatus() {
        #expect(decode(status: 201, Self.success) == .success(IDVSession(token: "tok_1", expiresAt: "2026-01-01T00:00:00Z")))
    }

    @Test func ignoresExtraFieldsAndAnEmptyErrorsList() {
        let body = #"{"errors":[],"extensions":{"cost":1},"data":{"contactCreateIdvSession":{"expiresAt":"e","token":"t","id":5}}}"#
        #expect(decode(body) == .success(IDVSession(token: "t", expiresAt: "e")))
    }

    @Test func treatsNullErrorsAsNoErrors() {
        #expect(decode(#"{"errors":null,"data":{"contactCreateIdvSession":{"token":"t","expiresAt":"e"}}}"#)
            == .success(IDVSession(token: "t", expiresAt: "e")))
    }

    // MARK: GraphQL errors

    @Test func twoHundredWithErrorsIsAFailure() {
        #expect(decode(#"{"errors":[{"message":"Contact not found","path":["contactCreateIdvSession"]}],"data":null}"#)
            == .failure(.graphQLErrors(["Contact not found"])))
    }

    @Test func errorsWinOverPartialData() {
        let body = #"{"errors":[{"message":"partial"}],"data":{"contactCreateIdvSession":{"token":"tok_leak","expiresAt":"e"}}}"#
        let result = decode(body)
        #expect(result == .failure(.graphQLErrors(["partial"])))
        if case .failure(let failure) = result {
            #expect(!failure.logDescription.contains("tok_leak"))
        }
    }

    @Test func errorsWithoutMessagesStillCount() {
        #expect(decode(#"{"errors":[{"extensions":{"code":"X"}}]}"#) == .failure(.graphQLErrors(["(an error without a message)"])))
    }

    @Test func boundsTheNumberAndLengthOfMessages() throws {
        let long = String(repeating: "m", count: 1_000)
        let errors = (0..<50).map { _ in #"{"message":""# + long + #""}"# }.joined(separator: ",")
        guard case .failure(.graphQLErrors(let messages)) = decode(#"{"errors":["# + errors + "]}") else {
            Issue.record("expected GraphQL errors")
            return
        }
        #expect(messages.count == 6)
        #expect(messages.last == "(and 45 more)")
        #expect(messages.first == String(repeating: "m", count: 200) + "…")
    }

    @Test func errorsThatAreNotAListAreMalformed() {
        guard case .failure(.malformedResponse) = decode(#"{"errors":{"message":"x"}}"#) else {
            Issue.record("expected a malformed response")
            return
        }
    }

    // MARK: Missing data

    @Test(arguments: [
        #"{"data":null}"#,
        #"{}"#,
        #"{"data":{}}"#,
        #"{"data":{"contactCreateIdvSession":null}}"#,
        #"{"data":{"contactCreateIdvSession":{"expiresAt":"e"}}}"#,
        #"{"data":{"contactCreateIdvSession":{"token":"t"}}}"#,
        #"{"data":{"contactCreateIdvSession":{"token":"","expiresAt":"e"}}}"#,
        #"{"data":{"contactCreateIdvSession":{"token":"t","expiresAt":""}}}"#,
        #"{"data":{"contactCreateIdvSession":{"token":5,"expiresAt":"e"}}}"#,
        #"{"data":{"contactCreateIdvSession":{"token":"t","expiresAt":1700000000}}}"#,
        #"{"data":{"contactCreateIdvSession":["t","e"]}}"#,
    ])
    func answersWithoutATokenAndExpiryAreMissingData(body: String) {
        #expect(decode(body) == .failure(.missingData))
    }

    // MARK: Malformed answers

    @Test(arguments: ["<html>502 Bad Gateway</html>", "", "{", #"{"data":1,"data":2}"#, "[]", #""token""#])
    func bodiesThatAreNotAJSONObjectAreMalformed(body: String) {
        guard case .failure(.malformedResponse(let summary)) = decode(body) else {
            Issue.record("expected a malformed response")
            return
        }
        #expect(!summary.contains("html"))
    }

    @Test func malformedSummaryNeverQuotesTheBody() {
        guard case .failure(.malformedResponse(let summary)) = decode(#"{"data":{"contactCreateIdvSession":{"token":"tok_secret""#) else {
            Issue.record("expected a malformed response")
            return
        }
        #expect(!summary.contains("tok_secret"))
    }

    // MARK: HTTP statuses

    @Test func unauthorisedIsAnAuthenticationFailure() {
        #expect(decode(status: 401, #"{"errors":[{"message":"Invalid API key"}]}"#)
            == .failure(.authenticationRejected(status: 401, messages: ["Invalid API key"])))
    }

    @Test func forbiddenIsAnAuthenticationFailure() {
        #expect(decode(status: 403, "Forbidden") == .failure(.authenticationRejected(status: 403)))
    }

    @Test func tooManyRequestsUsesRetryAfter() {
        #expect(decode(status: 429, headers: ["Retry-After": "30"], "") == .failure(.rateLimited(retryAfterSeconds: 30)))
    }

    @Test func tooManyRequestsWithoutRetryAfter() {
        #expect(decode(status: 429, "") == .failure(.rateLimited(retryAfterSeconds: nil)))
    }

    @Test func tooManyRequestsWithAnHTTPDateIgnoresIt() {
        let headers: HTTPHeaders = ["Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"]
        #expect(decode(status: 429, headers: headers, "") == .failure(.rateLimited(retryAfterSeconds: nil)))
    }

    @Test func serverErrorIsAnHTTPStatusFailure() {
        #expect(decode(status: 500, "oops") == .failure(.httpStatus(500)))
    }

    @Test func serviceUnavailableIsAnHTTPStatusFailure() {
        #expect(decode(status: 503, headers: ["Retry-After": "10"], "") == .failure(.httpStatus(503)))
    }

    @Test func graphQLErrorsInAFailedStatusAreKeptForTheLog() {
        #expect(decode(status: 400, #"{"errors":[{"message":"Variable $input is invalid"}]}"#)
            == .failure(.httpStatus(400, messages: ["Variable $input is invalid"])))
    }

    @Test func aFailedStatusWinsOverADataBody() {
        #expect(decode(status: 502, Self.success) == .failure(.httpStatus(502)))
    }

    @Test func redirectsAreFailures() {
        #expect(decode(status: 302, "") == .failure(.httpStatus(302)))
    }

    // MARK: Retry-After

    @Test(arguments: [
        ("30", 30), (" 7 ", 7), ("0", 1), ("3600", 3600), ("3601", 3600),
        (String(repeating: "9", count: 500), 3600), ("00012", 12),
    ] as [(String, Int)])
    func readsAndClampsDeltaSeconds(header: String, seconds: Int) {
        #expect(RetryAfter.seconds(fromHeader: header) == seconds)
    }

    @Test(arguments: ["", " ", "-5", "1.5", "5s", "+5", "Wed, 21 Oct 2015 07:28:00 GMT", "٣"])
    func ignoresUnusableRetryAfter(header: String) {
        #expect(RetryAfter.seconds(fromHeader: header) == nil)
    }
}
