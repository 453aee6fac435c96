import Foundation
import Synchronization
import Testing

/// `Idempotency-Key` on the real binary: a double submit mints one session, whatever loop each copy lands on.
@Suite("Idempotency-Key")
struct IdempotencyTests {
    private func mint(_ fixture: UpstreamFixture, key: String?, body: String = "{}", client: String? = nil) throws -> HTTPConnection.Response {
        var headers: [(String, String)] = []
        if let key { headers.append(("Idempotency-Key", key)) }
        if let client { headers.append(("X-Forwarded-For", client)) }
        return try fixture.mint(body, headers: headers)
    }

    private func token(_ response: HTTPConnection.Response) -> String? {
        response.json?["token"] as? String
    }

    @Test("two copies at once mint one session: the second waits and gets the first's answer; a later copy is replayed")
    func doubleSubmitMintsOnce() throws {
        // ClientLoop takes 300 ms, so the second copy arrives while the first is running.
        let fixture = try UpstreamFixture(fakeArguments: ["--latency-ms", "300"], threads: 2)
        let answers = Mutex<[HTTPConnection.Response]>([])
        let group = DispatchGroup()
        for _ in 0..<2 {
            DispatchQueue.global().async(group: group) {
                if let response = try? mint(fixture, key: "click-1") { answers.withLock { $0.append(response) } }
            }
        }
        group.wait()
        let both = answers.withLock { $0 }
        #expect(both.count == 2 && both.allSatisfy { $0.status == 200 })
        #expect(Set(both.compactMap(token)).count == 1)
        #expect(both.filter { $0.header("Idempotent-Replayed") == "true" }.count == 1)
        #expect(try fixture.fakeStats()["requests"] as? Int == 1)

        let later = try mint(fixture, key: "click-1")
        #expect(later.status == 200 && token(later) == token(both[0]))
        #expect(later.header("Idempotent-Replayed") == "true")
        #expect(try fixture.fakeStats()["requests"] as? Int == 1)
    }

    @Test("the same key for another body is 422; other keys, other clients and no key each mint")
    func reuseAndScope() throws {
        let fixture = try UpstreamFixture(environment: ["PROXY_TRUSTED_CIDRS": "127.0.0.1/32"])
        #expect(try mint(fixture, key: "k", client: "198.51.100.1").status == 200)
        let reused = try mint(fixture, key: "k", body: #"{"contactId":"ct_1"}"#, client: "198.51.100.1")
        #expect(reused.status == 422)
        #expect(reused.errorCode == "idempotency_key_reused")
        #expect(try fixture.fakeStats()["requests"] as? Int == 1)

        #expect(try mint(fixture, key: "k", client: "198.51.100.2").status == 200)  // another client
        #expect(try mint(fixture, key: "k2", client: "198.51.100.1").status == 200)  // another key
        #expect(try mint(fixture, key: nil).status == 200)
        #expect(try mint(fixture, key: nil).status == 200)
        #expect(try fixture.fakeStats()["requests"] as? Int == 5)
    }

    @Test("a malformed or repeated key is refused before ClientLoop")
    func badKeys() throws {
        let fixture = try UpstreamFixture()
        let repeated = try fixture.mint(headers: [("Idempotency-Key", "a"), ("Idempotency-Key", "b")])
        #expect(repeated.status == 400 && repeated.errorCode == "invalid_idempotency_key")
        let spaced = try fixture.mint(headers: [("Idempotency-Key", "two words")])
        #expect(spaced.status == 400 && spaced.errorCode == "invalid_idempotency_key")
        #expect(try fixture.fakeStats()["requests"] as? Int == 0)
    }

    @Test("an answer that invites a retry is not kept: the retry with the same key reaches ClientLoop again")
    func retryableAnswersAreNotKept() throws {
        let fixture = try UpstreamFixture()
        #expect(try mint(fixture, key: "busy", body: #"{"contactId":"fail-rate-limited"}"#).status == 503)
        #expect(try mint(fixture, key: "busy", body: #"{"contactId":"fail-rate-limited"}"#).status == 503)
        #expect(try fixture.fakeStats()["requests"] as? Int == 2)
    }

    @Test("a refusal is not kept, so the corrected request runs; an answer whose upstream outcome is unknown is replayed")
    func whatIsKept() throws {
        let fixture = try UpstreamFixture()
        let refused = try mint(fixture, key: "fix-me", body: #"{"contactId":"not valid!"}"#)
        #expect(refused.status == 400 && refused.errorCode == "invalid_request")
        let corrected = try mint(fixture, key: "fix-me", body: #"{"contactId":"c_1"}"#)
        #expect(corrected.status == 200 && corrected.header("Idempotent-Replayed") == nil)

        // ClientLoop failed after the request may have reached it: the same key must not try again.
        let failed = try mint(fixture, key: "unknown-outcome", body: #"{"contactId":"fail-server-error"}"#)
        #expect(failed.status == 502)
        let replayed = try mint(fixture, key: "unknown-outcome", body: #"{"contactId":"fail-server-error"}"#)
        #expect(replayed.status == 502 && replayed.header("Idempotent-Replayed") == "true")
        #expect(replayed.body == failed.body)
        #expect(try fixture.fakeStats()["requests"] as? Int == 2)
    }

    @Test("another Authorization with the same key is another request: 422, never someone else's token")
    func authorizationIsPartOfTheRequest() throws {
        let fixture = try UpstreamFixture()
        #expect(try fixture.mint(headers: [("Idempotency-Key", "shared"), ("Authorization", "Bearer first-user")]).status == 200)
        let other = try fixture.mint(headers: [("Idempotency-Key", "shared"), ("Authorization", "Bearer second-user")])
        #expect(other.status == 422 && other.errorCode == "idempotency_key_reused")
        #expect(other.json?["token"] == nil)
        #expect(try fixture.fakeStats()["requests"] as? Int == 1)
    }
}
