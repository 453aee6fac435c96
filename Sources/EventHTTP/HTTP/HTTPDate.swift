#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `Date` field of responses (RFC 9110 §5.6.7, IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`), formatted once
/// per second of the clock: evhttp otherwise formats it with `gmtime` and `snprintf` for every response. One per
/// event loop, used on its thread.
struct HTTPDate {
    private var second: time_t = -1
    private var text = ""

    /// The text for the current second, by `time(2)` as evhttp had it: the coarse clock, a tick behind the precise
    /// one, so for a few milliseconds after a second begins the field names the one before.
    mutating func now() -> String {
        text(at: time(nil))
    }

    /// The text for `seconds`, formatted again only when the second differs from the last one asked for.
    mutating func text(at seconds: time_t) -> String {
        if seconds != second {
            second = seconds
            text = Self.format(seconds)
        }
        return text
    }

    static func format(_ seconds: time_t) -> String {
        var fields = tm()
        var at = seconds
        gmtime_r(&at, &fields)
        let day = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][Int(fields.tm_wday)]
        let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][Int(fields.tm_mon)]
        func twoDigits(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(day), \(twoDigits(fields.tm_mday)) \(month) \(fields.tm_year + 1900) "
            + "\(twoDigits(fields.tm_hour)):\(twoDigits(fields.tm_min)):\(twoDigits(fields.tm_sec)) GMT"
    }
}
