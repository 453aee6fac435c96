import Testing
@testable import EventHTTP

@Suite("Request ids")
struct RequestIDTests {
    @Test(arguments: ["a", "req-123", "0123456789abcdef0123456789abcdef", "urn:uuid:9f/x+y=z", String(repeating: "z", count: 128)])
    func acceptsVisibleASCIIUpTo128(candidate: String) {
        #expect(RequestID.isAcceptable(candidate))
    }

    @Test(arguments: ["", " ", "a b", "tab\there", "new\nline", "caf\u{e9}", "\u{7f}", String(repeating: "z", count: 129)])
    func rejectsEmptyLongOrInvisible(candidate: String) {
        #expect(!RequestID.isAcceptable(candidate))
    }

    @Test func resolveKeepsASaneIdAndReplacesOthers() {
        var generator = RequestIDGenerator(seed: 1)
        #expect(RequestID.resolve("client-id", generator: &generator) == "client-id")
        let generated = RequestID.resolve("bad id", generator: &generator)
        #expect(generated != "bad id")
        #expect(generated.count == 32)
        #expect(RequestID.resolve(nil, generator: &generator).count == 32)
    }

    @Test func generatedIdsAreHexAndDistinct() {
        var generator = RequestIDGenerator(seed: 42)
        let ids = (0..<1000).map { _ in generator.next() }
        #expect(Set(ids).count == 1000)
        #expect(ids.allSatisfy { $0.count == 32 && $0.allSatisfy { "0123456789abcdef".contains($0) } })
    }

    @Test func idsAreTheTwoNextSplitMixWordsInHex() {
        // SplitMix64 from seed 0 gives 0xe220a8397b1dcdaf, then 0x6e789e6aa1b965f4: most significant digit first.
        var generator = RequestIDGenerator(seed: 0)
        #expect(generator.next() == "e220a8397b1dcdaf6e789e6aa1b965f4")
    }

    @Test func sameSeedGivesSameSequence() {
        var first = RequestIDGenerator(seed: 7)
        var second = RequestIDGenerator(seed: 7)
        #expect(first.next() == second.next())
        #expect(first.next() == second.next())
    }
}
