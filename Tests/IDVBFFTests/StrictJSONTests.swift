import Testing
@testable import EventHTTP
@testable import IDVBFF

@Suite("Strict JSON")
struct StrictJSONTests {
    private func parse(_ text: String, maxDepth: Int = 32) throws(StrictJSONError) -> JSONValue {
        try StrictJSON.parse(Array(text.utf8), maxDepth: maxDepth)
    }

    private func kind(of bytes: [UInt8], maxDepth: Int = 32) -> StrictJSONError.Kind? {
        do {
            _ = try StrictJSON.parse(bytes, maxDepth: maxDepth)
            return nil
        } catch {
            return error.kind
        }
    }

    private func kind(of text: String, maxDepth: Int = 32) -> StrictJSONError.Kind? {
        kind(of: Array(text.utf8), maxDepth: maxDepth)
    }

    // MARK: Accepted

    @Test func parsesEveryKindOfValue() throws {
        let value = try parse(#" {"a": [1, -2.5e+3, true, false, null], "b": {"c": "d"}, "e": ""} "#)
        #expect(value == .object([
            (key: "a", value: .array([.number("1"), .number("-2.5e+3"), .bool(true), .bool(false), .null])),
            (key: "b", value: .object([(key: "c", value: .string("d"))])),
            (key: "e", value: .string("")),
        ]))
    }

    @Test func keepsMembersInDocumentOrder() throws {
        guard case .object(let members) = try parse(#"{"z":1,"a":2,"m":3}"#) else {
            Issue.record("expected an object")
            return
        }
        #expect(members.map(\.key) == ["z", "a", "m"])
    }

    @Test func acceptsScalarsAtTheTopLevel() throws {
        #expect(try parse("0") == .number("0"))
        #expect(try parse(#""x""#) == .string("x"))
        #expect(try parse("null") == .null)
    }

    @Test func allowsSurroundingWhitespace() throws {
        #expect(try parse(" \t\r\n{}\n\t ") == .object([]))
    }

    @Test func keepsNumbersAsTheirExactText() throws {
        let huge = "1" + String(repeating: "0", count: 400)
        #expect(try parse(huge) == .number(huge))
        #expect(try parse("1e999999") == .number("1e999999"))
        #expect(try parse("-0.000000000000000000000000001") == .number("-0.000000000000000000000000001"))
        #expect(try parse("0E-7") == .number("0E-7"))
    }

    @Test func decodesSimpleEscapes() throws {
        #expect(try parse(#""\"\\\/\b\f\n\r\t""#) == .string("\"\\/\u{8}\u{C}\n\r\t"))
    }

    @Test func decodesUnicodeEscapesIncludingSurrogatePairs() throws {
        #expect(try parse(#""\u00e9\u20AC\ud83d\ude00\u0000""#) == .string("é€😀\u{0}"))
    }

    @Test func acceptsRawMultibyteUTF8() throws {
        #expect(try parse("\"cé€😀\"") == .string("cé€😀"))
    }

    @Test func allowsNestingUpToTheLimit() throws {
        let nested = String(repeating: "[", count: 32) + String(repeating: "]", count: 32)
        #expect(throws: Never.self) { try parse(nested, maxDepth: 32) }
        #expect(kind(of: "[" + nested + "]", maxDepth: 32) == .tooDeep(maximum: 32))
    }

    @Test func looksUpMembersByExactBytes() throws {
        let value = try parse(#"{"\u212A":1,"K":2}"#)  // Kelvin sign, canonically equivalent to K
        #expect(value["K"] == .number("2"))
        #expect(value["\u{212A}"] == .number("1"))
    }

    // MARK: Refused

    @Test func rejectsEmptyInput() {
        #expect(kind(of: "") == .empty)
        #expect(kind(of: "  \n ") == .empty)
    }

    @Test func rejectsDuplicateKeys() {
        #expect(kind(of: #"{"contactId":"a","contactId":"b"}"#) == .duplicateKey)
    }

    @Test func rejectsDuplicateKeysInNestedObjects() {
        #expect(kind(of: #"{"a":[{"x":1,"x":1}]}"#) == .duplicateKey)
    }

    @Test func rejectsDuplicateKeysSpelledWithEscapes() {
        #expect(kind(of: #"{"ab":1,"\u0061b":2}"#) == .duplicateKey)
    }

    @Test func keepsCanonicallyEquivalentButDifferentKeysApart() throws {
        // "é" precomposed and decomposed are different keys to JavaScript, so they are not duplicates here either.
        guard case .object(let members) = try parse(#"{"\u00e9":1,"e\u0301":2}"#) else {
            Issue.record("expected an object")
            return
        }
        #expect(members.count == 2)
    }

    @Test(arguments: [1, 15, 16, 17, 40])
    func rejectsARepeatedKeyWhateverTheObjectSize(distinctKeys: Int) {
        // Up to 16 members the keys are scanned, from then on looked up in a set: both must catch a repeat of the
        // first key and of the last.
        let members = (0..<distinctKeys).map { #""k\#($0)":\#($0)"# }
        for repeated in [0, distinctKeys - 1] {
            let object = "{" + (members + [#""k\#(repeated)":0"#]).joined(separator: ",") + "}"
            #expect(kind(of: object) == .duplicateKey)
        }
        #expect(kind(of: "{" + members.joined(separator: ",") + "}") == nil)
    }

    @Test func keepsTheKeysOfALargeObjectApartByTheirBytes() throws {
        let members = (0..<40).map { #""k\#($0)":\#($0)"# } + [#""\u00e9":1"#, #""e\u0301":2"#]
        guard case .object(let parsed) = try parse("{" + members.joined(separator: ",") + "}") else {
            Issue.record("expected an object")
            return
        }
        #expect(parsed.count == 42)
        #expect(parsed.map(\.key) == (0..<40).map { "k\($0)" } + ["\u{e9}", "e\u{301}"])
    }

    @Test func reportsTheOffsetOfTheDuplicateKey() throws {
        #expect(throws: StrictJSONError(.duplicateKey, at: 8)) { try parse(#"{"a":1, "a":2}"#) }
    }

    @Test func rejectsTrailingContent() {
        #expect(kind(of: "{} {}") == .trailingContent)
        #expect(kind(of: "1 2") == .trailingContent)
        #expect(kind(of: "{}x") == .trailingContent)
    }

    @Test func rejectsTrailingCommas() {
        #expect(kind(of: #"{"a":1,}"#) == .unexpectedByte)
        #expect(kind(of: "[1,]") == .unexpectedByte)
    }

    @Test func rejectsComments() {
        #expect(kind(of: "// hi\n{}") == .unexpectedByte)
        #expect(kind(of: "{/* hi */}") == .unexpectedByte)
    }

    @Test func rejectsAByteOrderMark() {
        #expect(kind(of: [0xEF, 0xBB, 0xBF] + Array("{}".utf8)) == .unexpectedByte)
    }

    @Test func rejectsNaNAndInfinity() {
        #expect(kind(of: "NaN") == .unexpectedByte)
        #expect(kind(of: "Infinity") == .unexpectedByte)
        #expect(kind(of: "-Infinity") == .invalidNumber)
        #expect(kind(of: "[nan]") == .unexpectedByte)
    }

    @Test(arguments: ["01", "-01", "00", "1.", ".5", "1e", "1e+", "-", "+1", "0x10", "1.e3"])
    func rejectsNumbersOutsideTheGrammar(text: String) {
        #expect(kind(of: text) != nil)
    }

    @Test func rejectsLeadingZeros() {
        #expect(kind(of: "012") == .invalidNumber)
    }

    @Test func rejectsUnescapedControlCharacters() {
        #expect(kind(of: "\"a\u{1}b\"") == .controlCharacterInString)
        #expect(kind(of: "\"a\nb\"") == .controlCharacterInString)
        #expect(kind(of: "\"a\tb\"") == .controlCharacterInString)
    }

    @Test(arguments: [#""\x41""#, #""\a""#, #""\u12""#, #""\u12G4""#, #""\U0041""#, #""\'""#])
    func rejectsBadEscapes(text: String) {
        #expect(kind(of: text) == .invalidEscape)
    }

    @Test(arguments: [#""\ud83d""#, #""\ude00""#, #""\ud83d\u0041""#, #""\ud83dx""#, #""\ude00\ud83d""#])
    func rejectsLoneSurrogates(text: String) {
        #expect(kind(of: text) == .loneSurrogate)
    }

    @Test(arguments: [
        [0x22, 0xFF, 0x22],  // never valid
        [0x22, 0xC3, 0x22],  // truncated two-byte sequence
        [0x22, 0xC0, 0xAF, 0x22],  // overlong "/"
        [0x22, 0xE0, 0x80, 0xAF, 0x22],  // overlong, three bytes
        [0x22, 0xED, 0xA0, 0x80, 0x22],  // an encoded surrogate
        [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],  // above U+10FFFF
        [0x22, 0x80, 0x22],  // lone continuation byte
        [0x22, 0xE2, 0x82],  // input ends inside a sequence
    ] as [[UInt8]])
    func rejectsInvalidUTF8InStrings(bytes: [UInt8]) {
        #expect(kind(of: bytes) == .invalidUTF8)
    }

    @Test func rejectsInvalidUTF8OutsideStrings() {
        #expect(kind(of: [0xFF]) == .unexpectedByte)
        #expect(kind(of: Array("{}".utf8) + [0xFF]) == .trailingContent)
    }

    @Test func rejects100000NestedArraysWithoutOverflowingTheStack() {
        let bytes = [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
        #expect(kind(of: bytes) == .tooDeep(maximum: 32))
    }

    @Test func rejects100000NestedObjectsWithoutOverflowingTheStack() {
        let bytes = Array(String(repeating: #"{"a":"#, count: 100_000).utf8)
        #expect(kind(of: bytes) == .tooDeep(maximum: 32))
    }

    @Test(arguments: ["{", "[", #"{"a""#, #"{"a":"#, #""abc"#, "tru", "[1,", #"{"a":1"#])
    func rejectsTruncatedDocuments(text: String) {
        #expect(kind(of: text) == .unexpectedEnd)
    }

    @Test(arguments: ["True", "nul", "falsy", "{a:1}", "{'a':1}", "['a']", #"{"a" 1}"#, "[1 2]"])
    func rejectsWhatJavaScriptObjectLiteralsAllowButJSONDoesNot(text: String) {
        #expect(kind(of: text) != nil)
    }

    @Test func errorDescriptionsGiveTheOffsetButNotTheInput() {
        let error = StrictJSONError(.duplicateKey, at: 17)
        #expect(error.description == "an object repeats a key at byte 17")
        #expect(StrictJSONError(.empty, at: 0).description == "the document is empty")
    }
}
