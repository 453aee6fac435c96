import EventHTTP

/// One client's token bucket: pure arithmetic over a monotonic time, with no clock or lock of its own.
///
/// The state is a single instant, ``fullAt``: when the bucket will be full again if nothing more is taken (the
/// "theoretical arrival time" of the generic cell rate algorithm). The tokens at any moment follow from it: a bucket
/// whose `fullAt` is `d` ahead of now lacks `d` / (time per token) tokens. One integer per client keeps a limiter of
/// a hundred thousand clients small, and integer nanoseconds keep the arithmetic exact.
public struct TokenBucket: Sendable, Equatable {
    /// The capacity and refill rate.
    public let policy: RateLimitPolicy
    /// Nanoseconds on the limiter's clock at which the bucket is full again; at or before now it is full.
    private(set) var fullAtNanoseconds: Int64

    /// A full bucket at time `now`.
    public init(policy: RateLimitPolicy, now: Duration) {
        self.init(policy: policy, fullAtNanoseconds: now.wholeNanoseconds)
    }

    init(policy: RateLimitPolicy, fullAtNanoseconds: Int64) {
        self.policy = policy
        self.fullAtNanoseconds = fullAtNanoseconds
    }

    /// When the bucket will be full again if nothing more is taken.
    public var fullAt: Duration {
        .nanoseconds(fullAtNanoseconds)
    }

    /// Takes one token at `now` if there is one. A refused request changes nothing.
    public mutating func take(now: Duration) -> RateLimitDecision {
        take(nowNanoseconds: now.wholeNanoseconds)
    }

    mutating func take(nowNanoseconds now: Int64) -> RateLimitDecision {
        guard policy.isEnabled else { return .unlimited }
        let perToken = policy.nanosecondsPerToken
        let capacity = Int64(policy.burst) * perToken
        // How far from full the bucket would be after this request.
        let shortfall = max(fullAtNanoseconds, now) - now + perToken
        guard shortfall <= capacity else {
            return .limited(retryAfterSeconds: Self.secondsRoundedUp(shortfall - capacity))
        }
        fullAtNanoseconds = now + shortfall
        let remaining = Int((capacity - shortfall) / perToken)
        let untilBetter = remaining > 0 ? shortfall : shortfall - (capacity - perToken)
        return .allowed(remaining: remaining, resetSeconds: Self.secondsRoundedUp(untilBetter))
    }

    /// Nanoseconds as whole seconds, rounded up and at least 1: a client told 0 would retry at once.
    static func secondsRoundedUp(_ nanoseconds: Int64) -> Int {
        max(Int((nanoseconds + 999_999_999) / 1_000_000_000), 1)
    }
}
