/// A monotonic clock for rate limits and throttles, reading time as a ``Duration`` since an arbitrary origin.
///
/// Injected so that tests decide what time it is; only differences between readings matter.
public struct MonotonicClock: Sendable {
    private let reading: @Sendable () -> Duration

    /// A clock that reads `reading`, which must never go backwards.
    public init(_ reading: @escaping @Sendable () -> Duration) {
        self.reading = reading
    }

    /// The system's monotonic clock, counted from the moment this value is made. Wall-clock changes do not affect it.
    public static var continuous: MonotonicClock {
        let origin = ContinuousClock.now
        return MonotonicClock { ContinuousClock.now - origin }
    }

    /// The current time.
    public func now() -> Duration {
        reading()
    }
}

extension Duration {
    /// Whole nanoseconds, rounded down; clamped to `Int64` so that no duration can overflow the arithmetic.
    public var wholeNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return seconds < 0 ? .min : .max }
        let (total, sumOverflow) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        guard !sumOverflow else { return seconds < 0 ? .min : .max }
        return total
    }
}
