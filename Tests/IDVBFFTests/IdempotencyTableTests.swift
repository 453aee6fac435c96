import Synchronization
import Testing

@testable import EventHTTP
@testable import IDVBFF

@Suite("Idempotency table and keys")
struct IdempotencyTableTests {
    static let key = IdempotencyRecordKey(client: "192.0.2.1", key: "k-1")
    static let body = IdempotencyFingerprint(digest: [1, 2, 3])
    static let answer = HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: Array(#"{"token":"t"}"#.utf8))

    private func ignore(_: HTTPResponse) {}

    @Test("first claim proceeds; a duplicate while running waits and gets the answer; afterwards it is replayed")
    func claimWaitReplay() {
        let table = IdempotencyTable(ttlSeconds: 600, capacity: 10)
        #expect(table.claim(Self.key, fingerprint: Self.body, waiter: { _ in }) == .proceed)
        let received = Mutex<[HTTPResponse]>([])
        #expect(table.claim(Self.key, fingerprint: Self.body, waiter: { answer in received.withLock { $0.append(answer) } }) == .waiting)
        table.finish(Self.key, answer: Self.answer, keep: true)
        #expect(received.withLock { $0 } == [Self.answer])
        #expect(table.claim(Self.key, fingerprint: Self.body, waiter: { _ in }) == .replay(Self.answer))
    }

    @Test("the same key with another fingerprint is a mismatch, running or answered; another client's key is its own")
    func mismatchAndClients() {
        let table = IdempotencyTable(ttlSeconds: 600, capacity: 10)
        let other = IdempotencyFingerprint(digest: [9])
        #expect(table.claim(Self.key, fingerprint: Self.body, waiter: { _ in }) == .proceed)
        #expect(table.claim(Self.key, fingerprint: other, waiter: { _ in }) == .mismatch)
        table.finish(Self.key, answer: Self.answer, keep: true)
        #expect(table.claim(Self.key, fingerprint: other, waiter: { _ in }) == .mismatch)
        let otherClient = IdempotencyRecordKey(client: "192.0.2.2", key: "k-1")
        #expect(table.claim(otherClient, fingerprint: other, waiter: { _ in }) == .proceed)
    }

    @Test("an answer not kept releases the key: waiters still get it, the next claim runs again")
    func notKept() {
        let table = IdempotencyTable(ttlSeconds: 600, capacity: 10)
        #expect(table.claim(Self.key, fingerprint: Self.body, waiter: { _ in }) == .proceed)
        let waited = Atomic<Int>(0)
        #expect(table.claim(Self.key, fingerprint: Self.body, waiter: { _ in waited.add(1, ordering: .relaxed) }) == .waiting)
        table.finish(Self.key, answer: HTTPResponse(status: 503, headers: [:], body: []), keep: false)
        #expect(waited.load(ordering: .relaxed) == 1)
        #expect(table.claim(Self.key, fingerprint: Self.body, waiter: { _ in }) == .proceed)
    }

    @Test("answers expire after the TTL; a full table drops its oldest answer, never a running request")
    func expiryAndCapacity() {
        let time = ManualMonotonicClock()
        let table = IdempotencyTable(ttlSeconds: 10, capacity: 2, clock: time.clock)
        let second = IdempotencyRecordKey(client: "192.0.2.1", key: "k-2")
        let third = IdempotencyRecordKey(client: "192.0.2.1", key: "k-3")
        #expect(table.claim(Self.key, fingerprint: Self.body, waiter: { _ in }) == .proceed)
        table.finish(Self.key, answer: Self.answer, keep: true)
        #expect(table.claim(second, fingerprint: Self.body, waiter: { _ in }) == .proceed)
        // Full: the answered key makes room, the running one stays.
        #expect(table.claim(third, fingerprint: Self.body, waiter: { _ in }) == .proceed)
        #expect(table.count == 2)
        #expect(table.claim(Self.key, fingerprint: Self.body, waiter: { _ in }) == .unavailable)
        table.finish(second, answer: Self.answer, keep: true)
        time.advance(by: .seconds(9))
        #expect(table.claim(second, fingerprint: Self.body, waiter: { _ in }) == .replay(Self.answer))
        time.advance(by: .seconds(2))
        #expect(table.claim(second, fingerprint: Self.body, waiter: { _ in }) == .proceed)
    }

    @Test("keys: a Structured Fields string or a bare value of visible ASCII, 1 to 255 characters", arguments: [
        (#""abc-123""#, "abc-123"), ("8e03978e-40d5-43e8-bc93-6894a57f9324", "8e03978e-40d5-43e8-bc93-6894a57f9324"),
        (#""with space and \"quote\"""#, #"with space and "quote""#),
        ("", nil), (#""""#, nil), (#""open"#, nil), ("two words", nil), (#""bad\escape""#, nil), ("caf\u{E9}", nil),
        (String(repeating: "k", count: 255), String(repeating: "k", count: 255)), (String(repeating: "k", count: 256), nil),
    ] as [(String, String?)])
    func keySyntax(value: String, key: String?) {
        #expect(IdempotentHandler.key(from: value) == key)
    }
}
