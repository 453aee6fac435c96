/// Reads an upstream `Retry-After` header into a delay to pass on.
///
/// Only the delta-seconds form is understood. The HTTP-date form would need a trustworthy clock to turn into a delay;
/// it is ignored, like anything unparsable, and callers fall back to their own default.
enum RetryAfter {
    /// The delays passed on: at least a second (0 would invite a retry storm), at most an hour.
    static let secondsRange = 1...3600

    /// The delay in seconds, clamped to ``secondsRange``, or `nil` when the header is missing or unusable.
    static func seconds(fromHeader value: String?) -> Int? {
        guard let value else { return nil }
        let bytes = Array(value.utf8)
        let isOptionalWhitespace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        guard let first = bytes.firstIndex(where: { !isOptionalWhitespace($0) }),
            let last = bytes.lastIndex(where: { !isOptionalWhitespace($0) })
        else {
            return nil
        }
        let digits = bytes[first...last]
        guard digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return nil
        }
        // Stop once past the ceiling, so that no number of digits can overflow.
        var seconds = 0
        for digit in digits {
            seconds = seconds * 10 + Int(digit - UInt8(ascii: "0"))
            if seconds > secondsRange.upperBound {
                return secondsRange.upperBound
            }
        }
        return max(seconds, secondsRange.lowerBound)
    }
}
