/// A strict RFC 8259 JSON parser for documents from outside the process.
///
/// Foundation's `JSONSerialization` quietly keeps one of two duplicated keys, so `{"contactId":"a","contactId":"b"}`
/// could mean different things to different readers. This parser refuses such documents outright, along with
/// everything else RFC 8259 does not allow: trailing content, invalid UTF-8, unescaped control characters, unknown
/// escapes, lone surrogates, leading zeros, `NaN`/`Infinity`, comments, trailing commas and a byte order mark.
/// Leading and trailing whitespace is allowed.
///
/// Nesting is bounded by `maxDepth`, so a hostile `[[[[…` cannot exhaust the stack, and numbers are kept as text,
/// so huge ones cost nothing and lose nothing.
public enum StrictJSON {
    /// The largest `maxDepth` a caller may ask for; the parser recurses once per level, so this bounds its stack use.
    public static let depthCeiling = 256

    /// Parses one JSON value that must fill `bytes`, apart from surrounding whitespace.
    /// - Parameters:
    ///   - bytes: The document, which must be UTF-8.
    ///   - maxDepth: How many arrays and objects may enclose one another; `1` allows `[1]` but not `[[1]]`.
    ///     At most ``depthCeiling``.
    /// - Throws: ``StrictJSONError`` naming the first problem; an empty document is ``StrictJSONError/Kind/empty``,
    ///   so callers decide what empty means.
    public static func parse(_ bytes: [UInt8], maxDepth: Int = 32) throws(StrictJSONError) -> JSONValue {
        precondition((0...depthCeiling).contains(maxDepth), "maxDepth must be within 0...\(depthCeiling)")
        var parser = StrictJSONParser(bytes: bytes, maxDepth: maxDepth)
        return try parser.parseDocument()
    }
}

/// The recursive-descent parser behind ``StrictJSON``; one instance reads one document.
private struct StrictJSONParser {
    private let bytes: [UInt8]
    private let maxDepth: Int
    private var position = 0

    init(bytes: [UInt8], maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    mutating func parseDocument() throws(StrictJSONError) -> JSONValue {
        skipWhitespace()
        guard position < bytes.count else {
            throw StrictJSONError(.empty, at: position)
        }
        let value = try parseValue(depth: 0)
        skipWhitespace()
        guard position == bytes.count else {
            throw StrictJSONError(.trailingContent, at: position)
        }
        return value
    }

    // MARK: Values

    /// Parses the value at `position`, which `depth` containers enclose.
    private mutating func parseValue(depth: Int) throws(StrictJSONError) -> JSONValue {
        guard let byte = peek() else {
            throw StrictJSONError(.unexpectedEnd, at: position)
        }
        switch byte {
        case ASCII.openBrace:
            return try parseObject(depth: depth + 1)
        case ASCII.openBracket:
            return try parseArray(depth: depth + 1)
        case ASCII.quote:
            return .string(try parseString())
        case ASCII.minus, ASCII.zero...ASCII.nine:
            return .number(try parseNumber())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        default:
            throw StrictJSONError(.unexpectedByte, at: position)
        }
    }

    private mutating func parseObject(depth: Int) throws(StrictJSONError) -> JSONValue {
        guard depth <= maxDepth else {
            throw StrictJSONError(.tooDeep(maximum: maxDepth), at: position)
        }
        position += 1  // {
        skipWhitespace()
        if peek() == ASCII.closeBrace {
            position += 1
            return .object([])
        }
        var members: [(key: String, value: JSONValue)] = []
        var keyIndex: Set<[UInt8]>?
        while true {
            skipWhitespace()
            guard peek() == ASCII.quote else {
                throw unexpected()  // also a trailing comma: `{"a":1,}`
            }
            let keyOffset = position
            let key = try parseString()
            guard !Self.repeats(key, members: members, index: &keyIndex) else {
                throw StrictJSONError(.duplicateKey, at: keyOffset)
            }
            skipWhitespace()
            guard peek() == ASCII.colon else {
                throw unexpected()
            }
            position += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            members.append((key: key, value: value))
            skipWhitespace()
            switch peek() {
            case ASCII.comma:
                position += 1
            case ASCII.closeBrace:
                position += 1
                return .object(members)
            default:
                throw unexpected()
            }
        }
    }

    /// Whether `key` is already among `members`' keys, compared as bytes: Swift's String equality would merge
    /// canonically equivalent keys. A small object is scanned (no set to allocate, the usual case); from
    /// `keyScanLimit` members on, `index` holds the keys so that a hostile object costs no quadratic time.
    private static func repeats(_ key: String, members: [(key: String, value: JSONValue)], index: inout Set<[UInt8]>?) -> Bool {
        if index == nil {
            guard members.count >= keyScanLimit else {
                return members.contains { JSONValue.sameBytes($0.key, key) }
            }
            index = Set(members.map { Array($0.key.utf8) })
        }
        return index?.insert(Array(key.utf8)).inserted == false
    }

    private static let keyScanLimit = 16

    private mutating func parseArray(depth: Int) throws(StrictJSONError) -> JSONValue {
        guard depth <= maxDepth else {
            throw StrictJSONError(.tooDeep(maximum: maxDepth), at: position)
        }
        position += 1  // [
        skipWhitespace()
        if peek() == ASCII.closeBracket {
            position += 1
            return .array([])
        }
        var elements: [JSONValue] = []
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth))  // a trailing comma fails here on `]`
            skipWhitespace()
            switch peek() {
            case ASCII.comma:
                position += 1
            case ASCII.closeBracket:
                position += 1
                return .array(elements)
            default:
                throw unexpected()
            }
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(StrictJSONError) {
        let expected = literal.withUTF8Buffer { Array($0) }
        for byte in expected {
            guard let actual = peek() else {
                throw StrictJSONError(.unexpectedEnd, at: position)
            }
            guard actual == byte else {
                throw StrictJSONError(.unexpectedByte, at: position)
            }
            position += 1
        }
    }

    // MARK: Numbers

    /// Reads `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?` and returns its text unchanged.
    private mutating func parseNumber() throws(StrictJSONError) -> String {
        let start = position
        if peek() == ASCII.minus {
            position += 1
        }
        switch peek() {
        case ASCII.zero:
            position += 1
            if let next = peek(), ASCII.isDigit(next) {
                throw StrictJSONError(.invalidNumber, at: position)  // leading zero
            }
        case let digit? where ASCII.isDigit(digit):
            skipDigits()
        default:
            throw StrictJSONError(.invalidNumber, at: position)  // `-`, `-Infinity`
        }
        if peek() == ASCII.dot {
            position += 1
            try requireDigits()
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            position += 1
            if peek() == ASCII.plus || peek() == ASCII.minus {
                position += 1
            }
            try requireDigits()
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private mutating func requireDigits() throws(StrictJSONError) {
        guard let digit = peek(), ASCII.isDigit(digit) else {
            throw StrictJSONError(.invalidNumber, at: position)
        }
        skipDigits()
    }

    private mutating func skipDigits() {
        while let digit = peek(), ASCII.isDigit(digit) {
            position += 1
        }
    }

    // MARK: Strings

    /// Reads the string starting at the quote under `position` and returns its decoded, well-formed UTF-8.
    private mutating func parseString() throws(StrictJSONError) -> String {
        position += 1  // opening quote
        // Bytes that need no decoding are copied a run at a time; a string without escapes, the usual case, is made
        // straight from the document's bytes (no allocation at all up to 15 bytes).
        var decoded: [UInt8] = []
        var escaped = false
        var runStart = position
        while true {
            guard let byte = peek() else {
                throw StrictJSONError(.unexpectedEnd, at: position)
            }
            switch byte {
            case ASCII.quote:
                defer { position += 1 }
                guard escaped else { return String(decoding: bytes[runStart..<position], as: UTF8.self) }
                decoded.append(contentsOf: bytes[runStart..<position])
                return String(decoding: decoded, as: UTF8.self)
            case ASCII.backslash:
                escaped = true
                decoded.append(contentsOf: bytes[runStart..<position])
                try parseEscape(into: &decoded)
                runStart = position
            case 0x00..<0x20:
                throw StrictJSONError(.controlCharacterInString, at: position)
            case 0x20..<0x80:
                position += 1
            default:
                position += try wellFormedUTF8SequenceLength()
            }
        }
    }

    private mutating func parseEscape(into decoded: inout [UInt8]) throws(StrictJSONError) {
        let escapeOffset = position
        position += 1  // backslash
        guard let letter = peek() else {
            throw StrictJSONError(.unexpectedEnd, at: position)
        }
        position += 1
        let simple: UInt8? =
            switch letter {
            case ASCII.quote: ASCII.quote
            case ASCII.backslash: ASCII.backslash
            case UInt8(ascii: "/"): UInt8(ascii: "/")
            case UInt8(ascii: "b"): 0x08
            case UInt8(ascii: "f"): 0x0C
            case UInt8(ascii: "n"): 0x0A
            case UInt8(ascii: "r"): 0x0D
            case UInt8(ascii: "t"): 0x09
            default: nil
            }
        if let simple {
            decoded.append(simple)
            return
        }
        guard letter == UInt8(ascii: "u") else {
            throw StrictJSONError(.invalidEscape, at: escapeOffset)
        }
        let unit = try parseHexQuad(escapeOffset: escapeOffset)
        let scalarValue: UInt32
        switch unit {
        case 0xD800...0xDBFF:
            // A high surrogate is only meaningful when a `\u` low surrogate follows at once.
            guard peek() == ASCII.backslash, peek(offset: 1) == UInt8(ascii: "u") else {
                throw StrictJSONError(.loneSurrogate, at: escapeOffset)
            }
            position += 2
            let low = try parseHexQuad(escapeOffset: position - 2)
            guard (0xDC00...0xDFFF).contains(low) else {
                throw StrictJSONError(.loneSurrogate, at: escapeOffset)
            }
            scalarValue = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
        case 0xDC00...0xDFFF:
            throw StrictJSONError(.loneSurrogate, at: escapeOffset)
        default:
            scalarValue = unit
        }
        // Every value left is a valid scalar: surrogates were handled above.
        guard let scalar = Unicode.Scalar(scalarValue) else {
            throw StrictJSONError(.invalidEscape, at: escapeOffset)
        }
        UTF8.encode(scalar) { decoded.append($0) }
    }

    /// Reads the four hex digits after `\u`.
    private mutating func parseHexQuad(escapeOffset: Int) throws(StrictJSONError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = peek() else {
                throw StrictJSONError(.unexpectedEnd, at: position)
            }
            guard let digit = ASCII.hexValue(byte) else {
                throw StrictJSONError(.invalidEscape, at: escapeOffset)
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    /// The length of the well-formed UTF-8 sequence starting at `position` (Unicode 15, table 3-7), which rules out
    /// overlong forms, encoded surrogates and anything above U+10FFFF.
    private func wellFormedUTF8SequenceLength() throws(StrictJSONError) -> Int {
        let lead = bytes[position]
        let secondRange: ClosedRange<UInt8>
        let length: Int
        switch lead {
        case 0xC2...0xDF: (length, secondRange) = (2, 0x80...0xBF)
        case 0xE0: (length, secondRange) = (3, 0xA0...0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (length, secondRange) = (3, 0x80...0xBF)
        case 0xED: (length, secondRange) = (3, 0x80...0x9F)
        case 0xF0: (length, secondRange) = (4, 0x90...0xBF)
        case 0xF1...0xF3: (length, secondRange) = (4, 0x80...0xBF)
        case 0xF4: (length, secondRange) = (4, 0x80...0x8F)
        default: throw StrictJSONError(.invalidUTF8, at: position)
        }
        guard position + length <= bytes.count, secondRange.contains(bytes[position + 1]) else {
            throw StrictJSONError(.invalidUTF8, at: position)
        }
        for continuation in bytes[(position + 2)..<(position + length)] where !(0x80...0xBF).contains(continuation) {
            throw StrictJSONError(.invalidUTF8, at: position)
        }
        return length
    }

    // MARK: Reading

    private func peek(offset: Int = 0) -> UInt8? {
        position + offset < bytes.count ? bytes[position + offset] : nil
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
            position += 1
        }
    }

    /// The error for a byte that does not fit where it is, or for running out of input.
    private func unexpected() -> StrictJSONError {
        StrictJSONError(position < bytes.count ? .unexpectedByte : .unexpectedEnd, at: position)
    }
}

/// The ASCII bytes JSON's grammar is made of.
private enum ASCII {
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let colon = UInt8(ascii: ":")
    static let comma = UInt8(ascii: ",")
    static let minus = UInt8(ascii: "-")
    static let plus = UInt8(ascii: "+")
    static let dot = UInt8(ascii: ".")
    static let zero = UInt8(ascii: "0")
    static let nine = UInt8(ascii: "9")

    static func isDigit(_ byte: UInt8) -> Bool {
        (zero...nine).contains(byte)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case zero...nine: byte - zero
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

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
