import EventHTTP
/// Decides whether a `Content-Type` header announces JSON the service can read.
///
/// Accepted: the media type `application/json` in any letter case, with optional parameters, as long as a `charset`
/// parameter, if present, names UTF-8 (RFC 8259 allows no other encoding on the wire). Suffix types such as
/// `application/json-patch+json` mean something else and are refused, as are a missing header and `text/plain`.
enum JSONContentType {
    /// Whether `headerValue` is an acceptable JSON content type; `nil` (no header) is not.
    static func isAcceptable(_ headerValue: String?) -> Bool {
        guard let headerValue else { return false }
        // The common case, without parameters: nothing to split.
        if isASCIICaseInsensitiveMatch(headerValue[...], "application/json") {
            return true
        }
        var parts = headerValue.split(separator: ";", omittingEmptySubsequences: false).makeIterator()
        guard let mediaType = parts.next(), isASCIICaseInsensitiveMatch(mediaType.trimmingSpacesAndTabs(), "application/json") else {
            return false
        }
        while let parameter = parts.next() {
            let nameAndValue = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard isASCIICaseInsensitiveMatch(nameAndValue[0].trimmingSpacesAndTabs(), "charset") else {
                continue  // other parameters do not change how the body is read
            }
            guard nameAndValue.count == 2, isUTF8Label(unquoted(nameAndValue[1].trimmingSpacesAndTabs())) else {
                return false
            }
        }
        return true
    }

    /// `utf-8`, and the `utf8` label browsers also treat as UTF-8.
    private static func isUTF8Label(_ label: Substring) -> Bool {
        isASCIICaseInsensitiveMatch(label, "utf-8") || isASCIICaseInsensitiveMatch(label, "utf8")
    }

    /// Compares bytes with ASCII case folding only: full Unicode folding would let `\u{212A}` (Kelvin) pass for `k`.
    private static func isASCIICaseInsensitiveMatch(_ text: Substring, _ expected: String) -> Bool {
        text.utf8.elementsEqualIgnoringASCIICase(expected.utf8)
    }

    /// A parameter value without the quotes of a quoted-string such as `"utf-8"`.
    private static func unquoted(_ value: Substring) -> Substring {
        guard value.count >= 2, value.first == "\"", value.last == "\"" else { return value }
        return value.dropFirst().dropLast()
    }
}
