import Foundation
import Testing
@testable import FakeClientLoop
import EventHTTP
import IDVBFF

@Suite("Fake ClientLoop: sessions")
struct FakeClientLoopResponderTests {
    typealias Fixture = FakeClientLoopFixture

    @Test func mintsASessionWithoutContactId() {
        var responder = Fixture.responder()
        let answer = responder.answer(Fixture.request(body: Fixture.body(orgId: "org-1")))
        #expect(answer.response.status == 200)
        #expect(answer.response.headers["Content-Type"] == "application/json")
        #expect(Fixture.text(answer) == #"{"data":{"contactCreateIdvSession":{"token":"\#(Fixture.token)","expiresAt":"\#(Fixture.expiresAt)"}}}"#)
    }

    @Test func mintsASessionForAContact() {
        var responder = Fixture.responder()
        let answer = responder.answer(Fixture.request(body: Fixture.body(orgId: "org-1", contactId: "contact-42")))
        #expect(answer.response.status == 200)
        #expect(Fixture.text(answer) == #"{"data":{"contactCreateIdvSession":{"token":"\#(Fixture.token)","expiresAt":"\#(Fixture.expiresAt)"}}}"#)
        #expect(responder.stats.lastContactId == "contact-42")
        #expect(responder.stats.lastOrgId == "org-1")
    }

    @Test func tokenIsLinkSandboxFollowedByALowercaseUUID() throws {
        var responder = FakeClientLoopResponder(options: .init())
        let document = try Fixture.document(responder.answer(Fixture.request(body: Fixture.body(orgId: "org-1"))))
        let token = try #require(Fixture.session(in: document)?["token"]?.stringValue)
        #expect(token.wholeMatch(of: /link-sandbox-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/) != nil)
    }

    @Test func expiresFourHoursAfterNowInWholeUTCSeconds() throws {
        var responder = FakeClientLoopResponder(
            options: .init(),
            now: { Fixture.now.addingTimeInterval(0.987) },
            makeUUID: { Fixture.uuid }
        )
        let document = try Fixture.document(responder.answer(Fixture.request(body: Fixture.body(orgId: "org-1"))))
        #expect(Fixture.session(in: document)?["expiresAt"] == .string("2026-11-27T15:20:10Z"))
    }

    @Test func eachSessionGetsAFreshToken() throws {
        var responder = FakeClientLoopResponder(options: .init())
        let request = Fixture.request(body: Fixture.body(orgId: "org-1"))
        let first = try Fixture.document(responder.answer(request))
        let second = try Fixture.document(responder.answer(request))
        #expect(Fixture.session(in: first)?["token"] != Fixture.session(in: second)?["token"])
    }

    @Test func answersAfterTheConfiguredLatency() {
        var responder = Fixture.responder(options: .init(latencyMilliseconds: 250))
        let answer = responder.answer(Fixture.request(body: Fixture.body(orgId: "org-1")))
        #expect(answer.response.status == 200)
        #expect(answer.delayMilliseconds == 250)
    }

    @Test func rejectionsAlsoWaitForTheLatency() {
        var responder = Fixture.responder(options: .init(latencyMilliseconds: 250))
        let answer = responder.answer(Fixture.request(method: .get, body: []))
        #expect(answer.response.status == 405)
        #expect(answer.delayMilliseconds == 250)
    }

    @Test func answersAtOnceWithoutLatency() {
        var responder = Fixture.responder()
        #expect(responder.answer(Fixture.request(body: Fixture.body(orgId: "org-1"))).delayMilliseconds == 0)
    }

    @Test func servesGraphQLOnAnyPath() {
        var responder = Fixture.responder()
        let answer = responder.answer(Fixture.request(path: "/graphql", body: Fixture.body(orgId: "org-1")))
        #expect(answer.response.status == 200)
        #expect(Fixture.text(answer).contains(Fixture.token))
    }

    @Test func acceptsTheQueryWithOtherWhitespace() {
        let query = """
            mutation ContactCreateIdvSession($input: ContactCreateIdvSession!) {
              contactCreateIdvSession(input: $input) {
                token
                expiresAt
              }
            }
            """
        var responder = Fixture.responder()
        let answer = responder.answer(Fixture.request(body: Fixture.body(query: query, input: #"{"orgId":"org-1"}"#)))
        #expect(Fixture.text(answer).contains(Fixture.token))
    }

    @Test func failRateOneAnswersEverySessionWith500() throws {
        var responder = Fixture.responder(options: .init(failRate: 1.0), random: { 0.999 })
        let answer = responder.answer(Fixture.request(body: Fixture.body(orgId: "org-1")))
        #expect(answer.response.status == 500)
        #expect(answer.response.headers["Content-Type"] == "application/json")
        #expect(try Fixture.firstError(answer).code == "INTERNAL_SERVER_ERROR")
        #expect(responder.stats.failures == 1)
    }

    @Test func failRateZeroNeverConsultsRandom() {
        var responder = Fixture.responder(options: .init(failRate: 0.0), random: {
            Issue.record("random was consulted")
            return 0
        })
        let answer = responder.answer(Fixture.request(body: Fixture.body(orgId: "org-1")))
        #expect(answer.response.status == 200)
    }

    @Test func failRateComparesTheRandomDraw() {
        var failing = Fixture.responder(options: .init(failRate: 0.5), random: { 0.49 })
        var passing = Fixture.responder(options: .init(failRate: 0.5), random: { 0.5 })
        let request = Fixture.request(body: Fixture.body(orgId: "org-1"))
        #expect(failing.answer(request).response.status == 500)
        #expect(passing.answer(request).response.status == 200)
    }

    @Test func failRateSparesRejectedRequests() {
        var responder = Fixture.responder(options: .init(failRate: 1.0), random: {
            Issue.record("random was consulted")
            return 0
        })
        let answer = responder.answer(Fixture.request(body: Fixture.body(input: "{}")))
        #expect(answer.response.status == 200)
        #expect(Fixture.text(answer).contains("BAD_USER_INPUT"))
    }
}

/// Shared requests, clock and assertions for the fake ClientLoop tests.
enum FakeClientLoopFixture {
    static let now = Date(timeIntervalSince1970: 1_795_778_410)  // 2026-11-27T11:20:10Z
    static let uuid = UUID(uuidString: "E621E1F8-C36C-495A-93FC-0C247A3E6E5F")!
    static let token = "link-sandbox-e621e1f8-c36c-495a-93fc-0c247a3e6e5f"
    static let expiresAt = "2026-11-27T15:20:10Z"
    static let query = "mutation ContactCreateIdvSession($input: ContactCreateIdvSession!) { contactCreateIdvSession(input: $input) { token expiresAt } }"

    /// The headers idv-bff sends.
    static let headers: HTTPHeaders = [
        "Content-Type": "application/json",
        "Accept": "application/json",
        "Authorization": "Bearer test-key",
        "User-Agent": "idv-bff/0.1.0",
        "X-Request-Id": "req-1",
    ]

    static func headers(without name: String) -> HTTPHeaders {
        var kept = HTTPHeaders()
        for field in headers where field.name != name {
            kept.add(name: field.name, value: field.value)
        }
        return kept
    }

    static func headers(replacing name: String, with value: String) -> HTTPHeaders {
        var changed = headers
        changed.replaceOrAdd(name: name, value: value)
        return changed
    }

    static func body(orgId: String, contactId: String? = nil) -> [UInt8] {
        let contact = contactId.map { #","contactId":"\#($0)""# } ?? ""
        return body(input: #"{"orgId":"\#(orgId)"\#(contact)}"#)
    }

    static func body(operationName: String = "ContactCreateIdvSession", query: String = query, input: String) -> [UInt8] {
        let escapedQuery = query.replacingOccurrences(of: "\n", with: "\\n")
        return Array(#"{"operationName":"\#(operationName)","query":"\#(escapedQuery)","variables":{"input":\#(input)}}"#.utf8)
    }

    static func request(
        method: HTTPMethod = .post,
        path: String = "/",
        headers: HTTPHeaders = headers,
        body: [UInt8]
    ) -> HTTPRequest {
        HTTPRequest(method: method, path: path, headers: headers, body: body)
    }

    static func responder(
        options: FakeClientLoopOptions = .init(),
        random: @escaping @Sendable () -> Double = { 0.5 }
    ) -> FakeClientLoopResponder {
        FakeClientLoopResponder(options: options, now: { now }, makeUUID: { uuid }, random: random)
    }

    static func answer(contactId: String, options: FakeClientLoopOptions = .init()) -> FakeAnswer {
        var responder = responder(options: options)
        return responder.answer(request(body: body(orgId: "org-1", contactId: contactId)))
    }

    static func text(_ answer: FakeAnswer) -> String {
        String(decoding: answer.response.body, as: UTF8.self)
    }

    /// The body parsed with idv-bff's strict parser: a duplicated key or trailing bytes fail the test.
    static func document(_ answer: FakeAnswer) throws -> JSONValue {
        try StrictJSON.parse(answer.response.body)
    }

    static func session(in document: JSONValue) -> JSONValue? {
        document["data"]?["contactCreateIdvSession"]
    }

    /// A GraphQL-over-HTTP body; `variables` is JSON text, `nil` to leave it out.
    static func graphQLBody(query: String, variables: String? = nil, operationName: String? = nil) -> [UInt8] {
        var text = #"{"query":"#
        JSONText.appendString(query, to: &text)
        if let operationName {
            text += #","operationName":"#
            JSONText.appendString(operationName, to: &text)
        }
        if let variables {
            text += #","variables":\#(variables)"#
        }
        return Array((text + "}").utf8)
    }

    /// The answer to a GraphQL-over-HTTP body sent with idv-bff's headers.
    static func answer(query: String, variables: String? = nil, operationName: String? = nil, on responder: inout FakeClientLoopResponder) -> FakeAnswer {
        responder.answer(request(body: graphQLBody(query: query, variables: variables, operationName: operationName)))
    }

    /// The first GraphQL error's message and `extensions.code`.
    static func firstError(_ answer: FakeAnswer) throws -> (message: String?, code: String?) {
        guard case .array(let errors)? = try document(answer)["errors"], let first = errors.first else {
            Issue.record("no errors array in \(text(answer))")
            return (nil, nil)
        }
        return (first["message"]?.stringValue, first["extensions"]?["code"]?.stringValue)
    }
}

@Suite("Fake ClientLoop: JWKS")
struct FakeClientLoopJWKSTests {
    @Test func servesTheJWKSFileAsItIsNowAndCountsRequests() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("fake-jwks-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try #"{"keys":[{"kid":"a"}]}"#.write(toFile: file, atomically: true, encoding: .utf8)
        var responder = FakeClientLoopResponder(options: .init(jwksFile: file))
        let first = responder.answer(HTTPRequest(method: .get, path: "/jwks.json", headers: HTTPHeaders(), body: []))
        #expect(first.response.status == 200)
        #expect(String(decoding: first.response.body, as: UTF8.self) == #"{"keys":[{"kid":"a"}]}"#)

        try #"{"keys":[{"kid":"b"}]}"#.write(toFile: file, atomically: true, encoding: .utf8)
        let second = responder.answer(HTTPRequest(method: .get, path: "/jwks.json", headers: HTTPHeaders(), body: []))
        #expect(String(decoding: second.response.body, as: UTF8.self) == #"{"keys":[{"kid":"b"}]}"#)
        #expect(responder.stats.jwksRequests == 2)
        #expect(responder.stats.requests == 0)
    }

    @Test func answers404WithoutAJWKSFile() {
        var responder = FakeClientLoopResponder(options: .init())
        let answer = responder.answer(HTTPRequest(method: .get, path: "/jwks.json", headers: HTTPHeaders(), body: []))
        #expect(answer.response.status == 404)
    }
}
