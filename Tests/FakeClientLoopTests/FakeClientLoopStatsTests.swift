import Testing
@testable import FakeClientLoop
import EventHTTP
import IDVBFF

@Suite("Fake ClientLoop: stats and options")
struct FakeClientLoopStatsTests {
    typealias Fixture = FakeClientLoopFixture

    @Test func countsSuccessesAndFailures() {
        var responder = Fixture.responder()
        _ = responder.answer(Fixture.request(body: Fixture.body(orgId: "org-1", contactId: "c-1")))
        _ = responder.answer(Fixture.request(body: Fixture.body(orgId: "org-1", contactId: "fail-slow")))
        _ = responder.answer(Fixture.request(body: Fixture.body(orgId: "org-1", contactId: "fail-server-error")))
        _ = responder.answer(Fixture.request(method: .get, body: []))
        #expect(responder.stats.requests == 4)
        #expect(responder.stats.successes == 2)
        #expect(responder.stats.failures == 2)
    }

    @Test func remembersTheLastRequest() {
        var responder = Fixture.responder()
        _ = responder.answer(Fixture.request(body: Fixture.body(orgId: "org-1", contactId: "c-1")))
        #expect(responder.stats.lastContactId == "c-1")
        #expect(responder.stats.lastRequestId == "req-1")
        let next = Fixture.request(headers: Fixture.headers(replacing: "X-Request-Id", with: "req-2"), body: Fixture.body(orgId: "org-2"))
        _ = responder.answer(next)
        #expect(responder.stats.lastContactId == nil)
        #expect(responder.stats.lastOrgId == "org-2")
        #expect(responder.stats.lastRequestId == "req-2")
    }

    @Test func rendersStatsAsJSONWithExtraCounters() {
        var responder = Fixture.responder()
        _ = responder.answer(Fixture.request(body: Fixture.body(orgId: "org-1", contactId: "c-1")))
        let text = String(decoding: responder.statsJSON(extra: ["handshakes": 3]), as: UTF8.self)
        #expect(text == #"{"failures":0,"handshakes":3,"jwksRequests":0,"lastContactId":"c-1","lastOrgId":"org-1","lastRequestId":"req-1","lastTraceparent":null,"lastTracestate":null,"requests":1,"requestsByKey":[],"successes":1}"#)
    }

    @Test func rendersEmptyStatsWithNulls() {
        let text = String(decoding: FakeClientLoopStats().json(), as: UTF8.self)
        #expect(text == #"{"failures":0,"jwksRequests":0,"lastContactId":null,"lastOrgId":null,"lastRequestId":null,"lastTraceparent":null,"lastTracestate":null,"requests":0,"requestsByKey":[],"successes":0}"#)
    }

    @Test func extraCountersCannotOverrideStats() {
        let text = String(decoding: FakeClientLoopStats().json(extra: ["requests": 99]), as: UTF8.self)
        #expect(text.contains(#""requests":0"#))
    }

    @Test func statsEndpointBypassesChecksAndIsNotCounted() {
        var responder = Fixture.responder(options: .init(apiKeys: ["test-key"], latencyMilliseconds: 500))
        _ = responder.answer(Fixture.request(body: Fixture.body(orgId: "org-1")))
        let answer = responder.answer(HTTPRequest(method: .get, path: "/__stats"), extraStats: ["handshakes": 1])
        #expect(answer.response.status == 200)
        #expect(answer.response.headers["Content-Type"] == "application/json")
        #expect(answer.delayMilliseconds == 0)
        #expect(Fixture.text(answer).contains(#""handshakes":1"#))
        #expect(Fixture.text(answer).contains(#""requests":1"#))
        #expect(responder.stats.requests == 1)
    }

    @Test func postToStatsPathIsAGraphQLRequest() {
        var responder = Fixture.responder()
        let answer = responder.answer(Fixture.request(path: "/__stats", body: Fixture.body(orgId: "org-1")))
        #expect(Fixture.text(answer).contains(Fixture.token))
    }

    @Test func defaultOptionsHaveNoProblems() {
        #expect(FakeClientLoopOptions().problems.isEmpty)
        #expect(FakeClientLoopOptions(apiKeys: ["k"], latencyMilliseconds: 10, failRate: 1).problems.isEmpty)
    }

    @Test func outOfRangeOptionsNameTheirFlags() {
        let problems = FakeClientLoopOptions(apiKeys: [""], latencyMilliseconds: -1, failRate: 1.5).problems
        #expect(problems.count == 3)
        #expect(problems.contains { $0.hasPrefix("--api-key") })
        #expect(problems.contains { $0.hasPrefix("--latency-ms") })
        #expect(problems.contains { $0.hasPrefix("--fail-rate") })
    }
}
