/// The bits of HTTP field syntax the CORS rules read: optional whitespace and comma-separated lists.
enum CORSHeaderSyntax {
    /// `text` without the spaces and tabs HTTP allows around a value.
    static func trimmed<Text: StringProtocol>(_ text: Text) -> Text.SubSequence {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        let start = text.firstIndex { !isBlank($0) } ?? text.endIndex
        let end = text.lastIndex { !isBlank($0) }.map(text.index(after:)) ?? start
        return text[start..<end]
    }

    /// The members of comma-separated lists, trimmed, empty members dropped (`"a, ,b"` is `a` and `b`).
    static func listMembers(_ values: some Sequence<String>) -> [String] {
        values.flatMap { value in
            value.split(separator: ",", omittingEmptySubsequences: false)
                .map { String(trimmed($0)) }
                .filter { !$0.isEmpty }
        }
    }

    /// Every value of the field `name`, in order, compared without regard to case.
    static func values(of name: String, in headers: HTTPHeaders) -> [String] {
        headers.filter { $0.name.utf8.elementsEqualIgnoringASCIICase(name.utf8) }.map(\.value)
    }
}
