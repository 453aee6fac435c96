#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// ISO 8601 timestamps in UTC with milliseconds, formatted by hand: no formatter objects, no C time structs.
enum UTCTimestamp {
    /// The current wall-clock time, e.g. `2026-11-27T11:20:10.123Z`.
    static func now() -> String {
        var line: [UInt8] = []
        appendNow(to: &line)
        return String(decoding: line, as: UTF8.self)
    }

    /// Appends the current wall-clock time to `output` (the log line under construction).
    static func appendNow(to output: inout [UInt8]) {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        append(seconds: Int64(time.tv_sec), milliseconds: Int(time.tv_nsec / 1_000_000), to: &output)
    }

    /// Formats seconds since the epoch plus milliseconds.
    static func format(seconds: Int64, milliseconds: Int) -> String {
        var text: [UInt8] = []
        append(seconds: seconds, milliseconds: milliseconds, to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    private static func append(seconds: Int64, milliseconds: Int, to output: inout [UInt8]) {
        let days = (seconds >= 0 ? seconds : seconds - 86_399) / 86_400
        let secondOfDay = Int(seconds - days * 86_400)
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        // 24 ASCII bytes, written in place: this runs for every log line.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buffer in
            func digits(_ value: Int, _ width: Int, at offset: Int) {
                var value = value
                for position in stride(from: offset + width - 1, through: offset, by: -1) {
                    buffer[position] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                }
            }
            digits(Int(year), 4, at: 0); buffer[4] = UInt8(ascii: "-")
            digits(month, 2, at: 5); buffer[7] = UInt8(ascii: "-")
            digits(day, 2, at: 8); buffer[10] = UInt8(ascii: "T")
            digits(secondOfDay / 3600, 2, at: 11); buffer[13] = UInt8(ascii: ":")
            digits(secondOfDay / 60 % 60, 2, at: 14); buffer[16] = UInt8(ascii: ":")
            digits(secondOfDay % 60, 2, at: 17); buffer[19] = UInt8(ascii: ".")
            digits(milliseconds, 3, at: 20); buffer[23] = UInt8(ascii: "Z")
            output.append(contentsOf: buffer)
        }
    }

    /// Proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's days-to-civil algorithm).
    static func civilDate(daysSinceEpoch: Int64) -> (year: Int64, month: Int, day: Int) {
        let shifted = daysSinceEpoch + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1)
        let month = Int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9)
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
