/// The bits of HTTP field syntax several readers share: optional whitespace, comma-separated lists, repeated fields.
extension StringProtocol {
    /// The text without leading and trailing spaces and horizontal tabs (HTTP's optional whitespace).
    public func trimmingSpacesAndTabs() -> SubSequence {
        let isWhitespace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isWhitespace($0) }), let last = lastIndex(where: { !isWhitespace($0) })
        else {
            return self[endIndex...]
        }
        return self[first...last]
    }
}

/// Comma-separated list values (`#rule` in RFC 9110).
enum HTTPFieldList {
    /// The members of comma-separated lists, in order, trimmed, empty members dropped (`"a, ,b"` is `a` and `b`).
    static func members(of values: some Sequence<String>) -> [String] {
        values.flatMap { value in
            value.split(separator: ",", omittingEmptySubsequences: false)
                .map { String($0.trimmingSpacesAndTabs()) }
                .filter { !$0.isEmpty }
        }
    }
}

extension HTTPHeaders {
    /// Every value of the field `name`, in order, the name compared without regard to case.
    func values(named name: String) -> [String] {
        filter { $0.name.utf8.elementsEqualIgnoringASCIICase(name.utf8) }.map(\.value)
    }
}
