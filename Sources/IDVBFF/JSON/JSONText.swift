import EventHTTP

/// The small piece of JSON writing that needs no document model: string literals, for the log handler and the
/// fake ClientLoop's answers.
public enum JSONText {
    /// Appends `value` as a JSON string literal, escaping quotes, backslashes, control characters and U+2028/9.
    public static func appendString(_ value: String, to output: inout String) {
        var bytes: [UInt8] = []
        appendString(value, to: &bytes)
        output += String(decoding: bytes, as: UTF8.self)
    }

    /// The same into bytes, read from the string's own UTF-8 and copied in runs between escapes: what the log
    /// handler builds its lines with (appending to a `String` piece by piece costs far more).
    public static func appendString(_ value: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { bytes in
            var copied = 0, index = 0
            while index < bytes.count {
                let byte = bytes[index]
                // U+2028 and U+2029 are E2 80 A8 and E2 80 A9: legal in JSON, line breaks in JavaScript.
                let separator = byte == 0xE2 && index + 2 < bytes.count && bytes[index + 1] == 0x80
                    && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9)
                guard separator || byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else {
                    index += 1
                    continue
                }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<index]))
                appendEscape(separator ? (bytes[index + 2] == 0xA8 ? 0x2028 : 0x2029) : UInt32(byte), to: &output)
                index += separator ? 3 : 1
                copied = index
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied...]))
        }
        output.append(UInt8(ascii: "\""))
    }

    private static func appendEscape(_ scalar: UInt32, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\\"))
        switch scalar {
        case 0x22: output.append(UInt8(ascii: "\""))
        case 0x5C: output.append(UInt8(ascii: "\\"))
        case 0x0A: output.append(UInt8(ascii: "n"))
        case 0x0D: output.append(UInt8(ascii: "r"))
        case 0x09: output.append(UInt8(ascii: "t"))
        default:
            output.append(UInt8(ascii: "u"))
            for shift in stride(from: 12, through: 0, by: -4) {
                output.append(LowercaseHex.digit(UInt8((scalar >> UInt32(shift)) & 0x0F)))
            }
        }
    }
}
