import Testing
@testable import FakeClientLoop
import EventHTTP
import IDVBFF

@Suite("Fake ClientLoop: request checks")
struct FakeClientLoopRequestCheckTests {
    typealias Fixture = FakeClientLoopFixture

    private func answer(_ request: HTTPRequest, apiKey: String? = "test-key", expectsIDVBFFHeaders: Bool = false) -> FakeAnswer {
        var responder = Fixture.responder(options: .init(apiKeys: apiKey.map { [$0] } ?? [], expectsIDVBFFHeaders: expectsIDVBFFHeaders))
        return responder.answer(request)
    }

    private func answer(headers: HTTPHeaders, expectsIDVBFFHeaders: Bool = false) -> FakeAnswer {
        answer(Fixture.request(headers: headers, body: Fixture.body(orgId: "org-1")), expectsIDVBFFHeaders: expectsIDVBFFHeaders)
    }

    /// The headers of a backend that is not idv-bff: its own User-Agent, no X-Request-Id.
    private static let otherClientHeaders: HTTPHeaders = [
        "Content-Type": "application/json",
        "Accept": "application/json",
        "Authorization": "Bearer test-key",
        "User-Agent": "python-requests/2.32.3",
    ]

    @Test(arguments: [HTTPMethod.get, .head, .put, .delete, .options, .patch])
    func otherMethodsAreNotAllowed(method: HTTPMethod) throws {
        let answer = answer(Fixture.request(method: method, body: []))
        #expect(answer.response.status == 405)
        #expect(answer.response.headers["Allow"] == "POST")
        #expect(answer.response.headers["Content-Type"] == "application/json")
        #expect(try Fixture.firstError(answer).message?.contains("POST") == true)
    }

    @Test func missingAuthorizationIsUnauthorized() throws {
        let answer = answer(headers: Fixture.headers(without: "Authorization"))
        #expect(answer.response.status == 401)
        #expect(Fixture.text(answer) == #"{"errors":[{"message":"Unauthorized","extensions":{"code":"UNAUTHENTICATED"}}]}"#)
    }

    @Test func wrongKeyIsUnauthorized() {
        #expect(answer(headers: Fixture.headers(replacing: "Authorization", with: "Bearer other-key")).response.status == 401)
    }

    @Test func keyWithoutBearerSchemeIsUnauthorized() {
        #expect(answer(headers: Fixture.headers(replacing: "Authorization", with: "test-key")).response.status == 401)
    }

    @Test func anyCallerIsAcceptedWithoutAConfiguredKey() {
        let request = Fixture.request(headers: Fixture.headers(without: "Authorization"), body: Fixture.body(orgId: "org-1"))
        #expect(answer(request, apiKey: nil).response.status == 200)
    }

    @Test func missingContentTypeIsUnsupported() {
        #expect(answer(headers: Fixture.headers(without: "Content-Type")).response.status == 415)
    }

    @Test func nonJSONContentTypeIsUnsupported() throws {
        let answer = answer(headers: Fixture.headers(replacing: "Content-Type", with: "text/plain"))
        #expect(answer.response.status == 415)
        #expect(try Fixture.firstError(answer).message == "Content-Type must be application/json.")
    }

    @Test func contentTypeParametersAreAllowed() {
        let headers = Fixture.headers(replacing: "Content-Type", with: "Application/JSON; charset=utf-8")
        #expect(answer(headers: headers).response.status == 200)
    }

    @Test func missingAcceptCountsAsJSON() {
        #expect(answer(headers: Fixture.headers(without: "Accept")).response.status == 200)
    }

    @Test func missingAcceptIsNotAcceptableFromIDVBFF() {
        #expect(answer(headers: Fixture.headers(without: "Accept"), expectsIDVBFFHeaders: true).response.status == 406)
    }

    @Test func acceptWithoutJSONIsNotAcceptable() {
        #expect(answer(headers: Fixture.headers(replacing: "Accept", with: "text/html, application/xml")).response.status == 406)
    }

    @Test(arguments: ["*/*", "text/html, application/json;q=0.9", "application/*"])
    func acceptListsIncludingJSONAreAcceptable(accept: String) {
        #expect(answer(headers: Fixture.headers(replacing: "Accept", with: accept)).response.status == 200)
    }

    @Test func anotherBackendIsServedByDefault() throws {
        var responder = Fixture.responder(options: .init(apiKeys: ["test-key"]))
        let answer = responder.answer(Fixture.request(headers: Self.otherClientHeaders, body: Fixture.body(orgId: "org-1")))
        #expect(answer.response.status == 200)
        #expect(Fixture.session(in: try Fixture.document(answer))?["token"] == .string(Fixture.token))
        #expect(responder.stats.successes == 1)
        #expect(responder.stats.lastRequestId == nil)
    }

    @Test func anotherBackendIsRefusedWhenIDVBFFHeadersAreExpected() throws {
        var responder = Fixture.responder(options: .init(apiKeys: ["test-key"], expectsIDVBFFHeaders: true))
        let answer = responder.answer(Fixture.request(headers: Self.otherClientHeaders, body: Fixture.body(orgId: "org-1")))
        #expect(answer.response.status == 400)
        #expect(Fixture.text(answer) == #"{"errors":[{"message":"User-Agent must be \"idv-bff/<version>\"."}]}"#)
        #expect(responder.stats.successes == 0)
        #expect(responder.stats.failures == 1)
    }

    @Test(arguments: ["curl/8.5.0", "idv-bff/", "IDV-BFF/0.1.0"])
    func foreignUserAgentIsABadRequestWhenIDVBFFHeadersAreExpected(userAgent: String) throws {
        let answer = answer(headers: Fixture.headers(replacing: "User-Agent", with: userAgent), expectsIDVBFFHeaders: true)
        #expect(answer.response.status == 400)
        #expect(try Fixture.firstError(answer).message?.contains("User-Agent") == true)
    }

    @Test func missingUserAgentIsABadRequestWhenIDVBFFHeadersAreExpected() {
        #expect(answer(headers: Fixture.headers(without: "User-Agent"), expectsIDVBFFHeaders: true).response.status == 400)
    }

    @Test func missingRequestIdIsABadRequestWhenIDVBFFHeadersAreExpected() throws {
        let answer = answer(headers: Fixture.headers(without: "X-Request-Id"), expectsIDVBFFHeaders: true)
        #expect(answer.response.status == 400)
        #expect(try Fixture.firstError(answer).message == "X-Request-Id is required.")
    }

    @Test func idvBFFHeadersPassWhenExpected() {
        #expect(answer(headers: Fixture.headers, expectsIDVBFFHeaders: true).response.status == 200)
    }

    @Test(arguments: [
        "not json", "[1,2]", #""text""#, #"{"operationName":"ContactCreateIdvSession"}"#,
        #"{"query":42}"#, #"{"query":"{ a }","variables":[]}"#, #"{"query":"{ a }","operationName":7}"#,
        #"{"query":"{ a }","extensions":"x"}"#, #"{"query":"{ a }","query":"{ b }"}"#,
    ])
    func unusableBodyIsABadRequest(body: String) throws {
        let answer = answer(Fixture.request(body: Array(body.utf8)))
        #expect(answer.response.status == 400)
        #expect(try Fixture.firstError(answer).code == nil)
    }

    @Test(arguments: [
        (#""org-1""#, false), ("{}", false), (#"{"orgId":12}"#, false), (#"{"orgId":"o","contactId":true}"#, false),
        (#"{"orgId":"o","email":"a@b.c"}"#, false), (#"{"orgId":""}"#, true), (#"{"orgId":"o","contactId":null}"#, true),
    ])
    func badInputIsBadUserInputAt200(input: String, executed: Bool) throws {
        let answer = answer(Fixture.request(body: Fixture.body(input: input)))
        #expect(answer.response.status == 200)
        #expect(try Fixture.firstError(answer).code == "BAD_USER_INPUT")
        // Variables that do not coerce stop the request before execution (no data); the fake's own checks are
        // field errors of an operation that ran (data null).
        #expect(try Fixture.document(answer)["data"] == (executed ? .null : nil))
    }
}
