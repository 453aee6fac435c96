/// How many requests one client may make: a sustained rate per minute and a burst it may spend at once.
///
/// A token bucket holds up to ``burst`` tokens and refills at ``perMinute`` / 60 tokens per second; a request takes
/// one token or is refused.
public struct RateLimitPolicy: Sendable, Equatable {
    /// The largest burst accepted; beyond it a limit limits nothing, and the nanosecond arithmetic stays far from
    /// overflowing.
    public static let maximumBurst = 1_000_000

    /// Tokens added per minute; 0 turns rate limiting off.
    public let perMinute: Int
    /// The bucket's capacity: how many requests a rested client may make at once.
    public let burst: Int

    /// No limit at all.
    public static let disabled = RateLimitPolicy(perMinute: 0, burst: 1)

    /// Creates a policy. Configuration validates the numbers; here a negative rate counts as 0 (off) and the burst is
    /// kept within 1...``maximumBurst``, so that no value can make the arithmetic misbehave.
    public init(perMinute: Int, burst: Int) {
        self.perMinute = max(perMinute, 0)
        self.burst = min(max(burst, 1), Self.maximumBurst)
    }

    /// Whether requests are limited at all.
    public var isEnabled: Bool {
        perMinute > 0
    }

    /// The time an empty bucket takes to fill, in whole seconds rounded up: the `w` of `RateLimit-Policy`.
    public var windowSeconds: Int {
        guard isEnabled else { return 0 }
        let nanoseconds = Int64(burst) * nanosecondsPerToken
        return Int((nanoseconds + 999_999_999) / 1_000_000_000)
    }

    /// The time one token takes to come back. At least a nanosecond, so absurd rates stay finite.
    var nanosecondsPerToken: Int64 {
        guard isEnabled else { return 0 }
        return max(60_000_000_000 / Int64(perMinute), 1)
    }
}
