/// Why ``StrictJSON`` refused a document, and the byte offset where it noticed.
///
/// The description names the problem and the offset but never quotes the input, so it is safe to show to the client
/// that sent the document and to write to logs.
public struct StrictJSONError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kinds of problem.
    public enum Kind: Sendable, Equatable {
        /// There was nothing but whitespace.
        case empty
        /// The document stopped in the middle of a value.
        case unexpectedEnd
        /// A byte that cannot start or continue a value here (this covers `NaN`, `Infinity`, comments, a BOM
        /// and trailing commas).
        case unexpectedByte
        /// A complete value was followed by something other than whitespace.
        case trailingContent
        /// A string held bytes that are not well-formed UTF-8.
        case invalidUTF8
        /// A string held an unescaped control character (U+0000 to U+001F).
        case controlCharacterInString
        /// A backslash escape that JSON does not define, or a malformed `\uXXXX`.
        case invalidEscape
        /// A `\uXXXX` escape for half of a surrogate pair without its other half.
        case loneSurrogate
        /// A number that breaks JSON's grammar, such as `01`, `1.` or `-`.
        case invalidNumber
        /// An object used the same key twice.
        case duplicateKey
        /// Arrays and objects were nested more deeply than allowed.
        case tooDeep(maximum: Int)
    }

    /// What went wrong.
    public var kind: Kind
    /// The offset of the offending byte from the start of the input.
    public var offset: Int

    /// Creates an error.
    public init(_ kind: Kind, at offset: Int) {
        self.kind = kind
        self.offset = offset
    }

    public var description: String {
        let problem =
            switch kind {
            case .empty: "the document is empty"
            case .unexpectedEnd: "the document ends in the middle of a value"
            case .unexpectedByte: "unexpected character"
            case .trailingContent: "unexpected content after the value"
            case .invalidUTF8: "a string is not valid UTF-8"
            case .controlCharacterInString: "a string contains an unescaped control character"
            case .invalidEscape: "invalid escape sequence in a string"
            case .loneSurrogate: "a \\u escape is half of a surrogate pair"
            case .invalidNumber: "invalid number"
            case .duplicateKey: "an object repeats a key"
            case .tooDeep(let maximum): "nested more than \(maximum) levels deep"
            }
        return kind == .empty ? problem : "\(problem) at byte \(offset)"
    }
}
