import Foundation
import Testing
@testable import FakeClientLoop
import EventHTTP
import IDVBFF

@Suite("Fake ClientLoop: triggers")
struct FakeClientLoopTriggerTests {
    typealias Fixture = FakeClientLoopFixture

    @Test func graphQLErrorTriggerAnswersContactIsArchived() {
        let answer = Fixture.answer(contactId: "fail-graphql-error")
        #expect(answer.response.status == 200)
        #expect(Fixture.text(answer) == #"{"errors":[{"message":"Contact is archived","extensions":{"code":"BAD_REQUEST"}}],"data":null}"#)
    }

    @Test func missingTokenTriggerAnswersANullToken() throws {
        let answer = Fixture.answer(contactId: "fail-missing-token")
        #expect(answer.response.status == 200)
        let session = try #require(Fixture.session(in: try Fixture.document(answer)))
        #expect(session["token"] == .null)
        #expect(session["expiresAt"] == .string(Fixture.expiresAt))
    }

    @Test(arguments: [
        ("fail-unauthorized", 401, "UNAUTHENTICATED"),
        ("fail-forbidden", 403, "FORBIDDEN"),
        ("fail-rate-limited", 429, "RATE_LIMITED"),
        ("fail-server-error", 500, "INTERNAL_SERVER_ERROR"),
        ("fail-unavailable", 503, "SERVICE_UNAVAILABLE"),
    ])
    func statusTriggersAnswerTheirStatusAndGraphQLCode(contactId: String, status: Int, code: String) throws {
        let answer = Fixture.answer(contactId: contactId)
        #expect(answer.response.status == status)
        #expect(try Fixture.firstError(answer).code == code)
        if contactId == "fail-rate-limited" {
            #expect(answer.response.headers["Retry-After"] == "7")
        }
    }

    @Test func malformedJSONTriggerAnswersTruncatedJSON() {
        let answer = Fixture.answer(contactId: "fail-malformed-json")
        #expect(answer.response.status == 200)
        #expect(answer.response.headers["Content-Type"] == "application/json")
        #expect(Fixture.text(answer) == #"{"data": {"contactCreateIdvSession": "#)
        #expect((try? StrictJSON.parse(answer.response.body)) == nil)
    }

    @Test func oversizedTriggerAnswersValidJSONOverTwoMebibytes() throws {
        let answer = Fixture.answer(contactId: "fail-oversized")
        #expect(answer.response.status == 200)
        #expect(answer.response.body.count > 2 * 1024 * 1024)
        let session = try #require(Fixture.session(in: try Fixture.document(answer)))
        #expect(session["token"] == .string(Fixture.token))
    }

    @Test func slowTriggerAnswersTheSessionAfterThirtySeconds() {
        let answer = Fixture.answer(contactId: "fail-slow", options: .init(latencyMilliseconds: 100))
        #expect(answer.delayMilliseconds == 30_000)
        #expect(answer.response.status == 200)
        #expect(Fixture.text(answer).contains(Fixture.token))
    }

    @Test func resetTriggerWritesAHeadPromisingMoreThanItSends() throws {
        let answer = Fixture.answer(contactId: "fail-reset")
        guard case .rawThenClose(let bytes) = answer.response.delivery else {
            Issue.record("fail-reset must write raw bytes")
            return
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let parts = text.components(separatedBy: "\r\n\r\n")
        #expect(parts.count == 2)
        #expect(parts[0].hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(parts[0].contains("\r\nContent-Length: 1000"))
        #expect(parts[1].utf8.count == 20)
        #expect(answer.delayMilliseconds == 0)
    }

    @Test func closeTriggerWritesNothing() {
        #expect(Fixture.answer(contactId: "fail-close").response.delivery == .rawThenClose([]))
    }

    @Test func garbageTriggerWritesSomethingThatIsNotAStatusLine() {
        let answer = Fixture.answer(contactId: "fail-garbage-status")
        #expect(answer.response.delivery == .rawThenClose(Array("SURPRISE 200 not-http\r\n\r\n".utf8)))
    }

    @Test func triggersWinOverTheFailRate() {
        let answer = Fixture.answer(contactId: "fail-forbidden", options: .init(failRate: 1))
        #expect(answer.response.status == 403)
    }

    @Test func triggersApplyOnlyAfterValidation() {
        var responder = Fixture.responder(options: .init(apiKeys: ["other-key"]))
        let answer = responder.answer(Fixture.request(body: Fixture.body(orgId: "o", contactId: "fail-reset")))
        #expect(answer.response.status == 401)
    }

    @Test func everyTriggerHasAContactIdAndATableRow() {
        let table = FakeClientLoopTrigger.markdownTable
        for trigger in FakeClientLoopTrigger.allCases {
            #expect(trigger.contactId.hasPrefix("fail-"))
            #expect(FakeClientLoopTrigger(contactId: trigger.contactId) == trigger)
            #expect(table.contains("| `\(trigger.contactId)` | \(trigger.summary) |"))
        }
        #expect(FakeClientLoopTrigger(contactId: "contact-42") == nil)
    }

    @Test func readmeDocumentsEveryTriggerAsTheFakeBehaves() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        #expect(text.contains(FakeClientLoopTrigger.markdownTable), "README's trigger table differs from FakeClientLoopTrigger.markdownTable")
    }
}
