/// The small piece of JSON writing that needs no document model: string literals, for the log handler and the
/// fake ClientLoop's answers.
public enum JSONText {
    /// Appends `value` as a JSON string literal, escaping quotes, backslashes, control characters and U+2028/9.
    public static func appendString(_ value: String, to output: inout String) {
        output += "\""
        if !needsEscaping(value) {
            output += value
            output += "\""
            return
        }
        var pending = value.unicodeScalars.startIndex
        let scalars = value.unicodeScalars
        var index = pending
        while index != scalars.endIndex {
            let scalar = scalars[index]
            if scalar == "\"" || scalar == "\\" || scalar.value < 0x20 || scalar == "\u{2028}" || scalar == "\u{2029}" {
                output.unicodeScalars.append(contentsOf: scalars[pending..<index])
                output += escape(scalar)
                pending = scalars.index(after: index)
            }
            index = scalars.index(after: index)
        }
        output.unicodeScalars.append(contentsOf: scalars[pending..<scalars.endIndex])
        output += "\""
    }

    /// Whether any byte calls for an escape: quote, backslash, a control character, or the lead byte of U+2028/9.
    private static func needsEscaping(_ value: String) -> Bool {
        var value = value
        return value.withUTF8 { bytes in
            bytes.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 == 0xE2 }
        }
    }

    private static func escape(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\"": return "\\\""
        case "\\": return "\\\\"
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        default:
            let hex = String(scalar.value, radix: 16)
            return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        }
    }
}
