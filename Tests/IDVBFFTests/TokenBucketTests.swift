import Testing
@testable import EventHTTP
@testable import IDVBFF

@Suite("Token bucket")
struct TokenBucketTests {
    /// 10 per minute (a token every 6 seconds), 3 at once.
    private let policy = RateLimitPolicy(perMinute: 10, burst: 3)

    @Test func allowsTheBurstAndThenLimits() {
        var bucket = TokenBucket(policy: policy, now: .zero)
        #expect(bucket.take(now: .zero) == .allowed(remaining: 2, resetSeconds: 6))
        #expect(bucket.take(now: .zero) == .allowed(remaining: 1, resetSeconds: 12))
        #expect(bucket.take(now: .zero) == .allowed(remaining: 0, resetSeconds: 6))
        #expect(bucket.take(now: .zero) == .limited(retryAfterSeconds: 6))
    }

    @Test func refillsOneTokenPerIntervalAtTheConfiguredRate() {
        var bucket = TokenBucket(policy: policy, now: .zero)
        for _ in 0..<3 { _ = bucket.take(now: .zero) }
        #expect(!bucket.take(now: .milliseconds(5999)).isAllowed)
        #expect(bucket.take(now: .seconds(6)) == .allowed(remaining: 0, resetSeconds: 6))
        #expect(!bucket.take(now: .seconds(6)).isAllowed)
        #expect(bucket.take(now: .seconds(12)).isAllowed)
    }

    @Test func neverHoldsMoreThanTheBurst() {
        var bucket = TokenBucket(policy: policy, now: .zero)
        let later = Duration.seconds(3600)
        for _ in 0..<3 { #expect(bucket.take(now: later).isAllowed) }
        #expect(!bucket.take(now: later).isAllowed)
    }

    @Test func roundsRetryAfterUpToWholeSeconds() {
        var bucket = TokenBucket(policy: policy, now: .zero)
        for _ in 0..<3 { _ = bucket.take(now: .zero) }
        #expect(bucket.take(now: .milliseconds(100)) == .limited(retryAfterSeconds: 6))  // 5.9 s
        #expect(bucket.take(now: .milliseconds(1000)) == .limited(retryAfterSeconds: 5))  // exactly 5 s
        #expect(bucket.take(now: .milliseconds(1001)) == .limited(retryAfterSeconds: 5))  // 4.999 s
    }

    @Test func neverSaysRetryAfterZero() {
        var bucket = TokenBucket(policy: policy, now: .zero)
        for _ in 0..<3 { _ = bucket.take(now: .zero) }
        #expect(bucket.take(now: .nanoseconds(5_999_999_999)) == .limited(retryAfterSeconds: 1))
    }

    @Test func refusedRequestsDoNotDrainTheBucket() {
        var bucket = TokenBucket(policy: policy, now: .zero)
        for _ in 0..<3 { _ = bucket.take(now: .zero) }
        for _ in 0..<100 { _ = bucket.take(now: .seconds(1)) }
        #expect(bucket.take(now: .seconds(6)).isAllowed)
    }

    @Test func isFullAgainOnceEveryTakenTokenIsBack() {
        var bucket = TokenBucket(policy: policy, now: .zero)
        #expect(bucket.fullAt == .zero)
        _ = bucket.take(now: .zero)
        _ = bucket.take(now: .zero)
        #expect(bucket.fullAt == .seconds(12))
    }

    @Test func countsWholeTokensOnly() {
        var bucket = TokenBucket(policy: policy, now: .zero)
        for _ in 0..<3 { _ = bucket.take(now: .zero) }
        #expect(!bucket.take(now: .seconds(3)).isAllowed)
        // One whole token back after 6 s, two after 12: a part of a token allows nothing.
        #expect(bucket.take(now: .seconds(17)) == .allowed(remaining: 1, resetSeconds: 7))
    }

    @Test func handlesRatesThatDoNotDivideAMinuteEvenly() {
        // 7 per minute: a token every 8.571… seconds.
        var bucket = TokenBucket(policy: RateLimitPolicy(perMinute: 7, burst: 1), now: .zero)
        #expect(bucket.take(now: .zero).isAllowed)
        #expect(bucket.take(now: .zero) == .limited(retryAfterSeconds: 9))
        #expect(!bucket.take(now: .milliseconds(8571)).isAllowed)
        #expect(bucket.take(now: .milliseconds(8572)).isAllowed)
    }

    @Test func isDisabledWhenThePerMinuteRateIsZero() {
        var bucket = TokenBucket(policy: RateLimitPolicy(perMinute: 0, burst: 3), now: .zero)
        for _ in 0..<1000 {
            #expect(bucket.take(now: .zero) == .unlimited)
        }
        #expect(!RateLimitPolicy.disabled.isEnabled)
    }

    @Test func clampsPoliciesIntoASaneRange() {
        #expect(RateLimitPolicy(perMinute: -5, burst: 3) == .init(perMinute: 0, burst: 3))
        #expect(RateLimitPolicy(perMinute: 10, burst: 0).burst == 1)
        #expect(RateLimitPolicy(perMinute: 10, burst: .max).burst == RateLimitPolicy.maximumBurst)
    }

    @Test func windowIsTheTimeToRefillTheBurst() {
        #expect(RateLimitPolicy(perMinute: 10, burst: 10).windowSeconds == 60)
        #expect(RateLimitPolicy(perMinute: 10, burst: 3).windowSeconds == 18)
        #expect(RateLimitPolicy(perMinute: 7, burst: 1).windowSeconds == 9)
        #expect(RateLimitPolicy(perMinute: 600, burst: 5).windowSeconds == 1)
    }

    @Test func survivesAbsurdRates() {
        var bucket = TokenBucket(policy: RateLimitPolicy(perMinute: .max, burst: RateLimitPolicy.maximumBurst), now: .zero)
        #expect(bucket.take(now: .seconds(1)).isAllowed)
        var slow = TokenBucket(policy: RateLimitPolicy(perMinute: 1, burst: RateLimitPolicy.maximumBurst), now: .zero)
        #expect(slow.take(now: .seconds(1)) == .allowed(remaining: RateLimitPolicy.maximumBurst - 1, resetSeconds: 60))
    }
}
