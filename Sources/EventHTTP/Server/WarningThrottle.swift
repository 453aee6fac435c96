import Synchronization

/// Lets a recurring warning through at most once per interval, so that a condition met by every request (such as
/// ``ClientAddress/ignoredForwardedFor``) is reported without flooding the log.
///
/// Shared by all event loops: the last warning's time sits behind a lock that is held for a comparison only.
public final class WarningThrottle: Sendable {
    /// The shortest time between two warnings.
    public let interval: Duration
    private let clock: MonotonicClock
    private let lastWarning = Mutex<Duration?>(nil)

    /// Creates a throttle that lets one warning through per `interval`, timed by `clock`.
    public init(interval: Duration, clock: MonotonicClock = .continuous) {
        self.interval = interval
        self.clock = clock
    }

    /// Whether to log the warning now; `true` for the first call and then at most once per ``interval``.
    public func shouldWarn() -> Bool {
        let now = clock.now()
        return lastWarning.withLock { lastWarning in
            if let last = lastWarning, now - last < interval {
                return false
            }
            lastWarning = now
            return true
        }
    }
}
