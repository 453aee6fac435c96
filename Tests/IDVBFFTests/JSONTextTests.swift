import Testing
@testable import IDVBFF

@Suite("JSON string literals")
struct JSONTextTests {
    private static func literal(_ value: String) -> String {
        var bytes: [UInt8] = []
        JSONText.appendString(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test(arguments: [
        ("", #""""#),
        ("plain text", #""plain text""#),
        ("a\"b\\c", #""a\"b\\c""#),
        ("\n\r\t", #""\n\r\t""#),
        ("\u{0}\u{1}\u{1F}", #""\u0000\u0001\u001f""#),
        ("x\u{2028}y\u{2029}", #""x\u2028y\u2029""#),
        // Other characters from E2 80 are left as they are, as is everything beyond ASCII.
        ("\u{2027}\u{202A}é☃😀", "\"\u{2027}\u{202A}é☃😀\""),
        ("\u{7F}</script>", "\"\u{7F}</script>\""),
    ])
    func escapesExactlyWhatJSONAndJavaScriptNeed(value: String, expected: String) {
        #expect(Self.literal(value) == expected)
        var text = ""
        JSONText.appendString(value, to: &text)
        #expect(text == expected)
    }

    @Test func everyScalarReadsBackAsItself() throws {
        let scalars = (0...0x2100).compactMap(Unicode.Scalar.init) + ["\u{1F600}", "\u{10FFFF}"]
        let value = String(String.UnicodeScalarView(scalars))
        let parsed = try StrictJSON.parse(Array("[\(Self.literal(value))]".utf8))
        guard case .array(let elements) = parsed, case .string(let string) = elements.first else {
            Issue.record("not an array of one string: \(parsed)")
            return
        }
        #expect(string.unicodeScalars.elementsEqual(value.unicodeScalars))
    }
}
