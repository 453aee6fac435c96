/// A JSON document as parsed by ``StrictJSON``, keeping what a lenient decoder would lose.
///
/// Objects keep their members in document order (the parser has already rejected duplicate keys), and numbers keep
/// their exact text, so a 400-digit integer or `1e999999` is neither rounded nor a reason to fail.
public enum JSONValue: Sendable {
    /// An object's members in document order; keys are unique.
    case object([(key: String, value: JSONValue)])
    /// An array's elements in order.
    case array([JSONValue])
    /// A string, escapes already decoded.
    case string(String)
    /// A number's text exactly as written, e.g. `-0.5e10`.
    case number(String)
    /// `true` or `false`.
    case bool(Bool)
    /// `null`.
    case null

    /// The value of the member called `key` when this is an object that has one.
    ///
    /// Keys are compared by their UTF-8 bytes, not by Unicode canonical equivalence as Swift's `==` would:
    /// `"\u{212A}"` (Kelvin sign) must not be taken for `"K"`.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { Self.sameBytes($0.key, key) }?.value
    }

    /// UTF-8 equality, over the strings' own storage when they have it (the generic path walks string indices).
    static func sameBytes(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        let contiguous = a.utf8.withContiguousStorageIfAvailable { a in
            b.utf8.withContiguousStorageIfAvailable { b in a.elementsEqual(b) }
        }
        if let contiguous, let equal = contiguous { return equal }
        return a.utf8.elementsEqual(b.utf8)
    }

    /// The string, when this is one.
    public var stringValue: String? {
        guard case .string(let string) = self else { return nil }
        return string
    }
}

extension JSONValue: Equatable {
    /// Structural equality; strings and keys compare by their UTF-8 bytes, numbers by their text.
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.object(let left), .object(let right)):
            left.elementsEqual(right) { $0.key.utf8.elementsEqual($1.key.utf8) && $0.value == $1.value }
        case (.array(let left), .array(let right)):
            left == right
        case (.string(let left), .string(let right)):
            left.utf8.elementsEqual(right.utf8)
        case (.number(let left), .number(let right)):
            left.utf8.elementsEqual(right.utf8)
        case (.bool(let left), .bool(let right)):
            left == right
        case (.null, .null):
            true
        default:
            false
        }
    }
}
