import Testing
@testable import EventHTTP
@testable import IDVBFF

@Suite("Rate-limit headers")
struct RateLimitHeadersTests {
    private let limiter = RateLimiter(policy: RateLimitPolicy(perMinute: 10, burst: 10), clock: ManualMonotonicClock().clock)

    @Test func describesAnAllowedRequestInDraft08Form() {
        let headers = limiter.headers(for: .allowed(remaining: 3, resetSeconds: 5))
        #expect(headers == ["RateLimit-Policy": #""default";q=10;w=60"#, "RateLimit": #""default";r=3;t=5"#])
    }

    @Test func describesALimitedRequestWithNothingRemainingAndTheRetryDelay() {
        let headers = limiter.headers(for: .limited(retryAfterSeconds: 6))
        #expect(headers["RateLimit"] == #""default";r=0;t=6"#)
        #expect(headers["RateLimit-Policy"] == #""default";q=10;w=60"#)
    }

    @Test func sendsNothingWhenLimitingIsOff() {
        #expect(limiter.headers(for: .unlimited) == [:])
    }

    @Test func matchesWhatTheLimiterDecided() {
        let decision = limiter.take(for: IPAddress("198.51.100.1"))
        #expect(limiter.headers(for: decision)["RateLimit"] == #""default";r=9;t=6"#)
    }

    @Test func putsRetryAfterFirstOnARefusal() {
        let headers = RateLimitHeaders.refusal(
            retryAfterSeconds: 4, fields: limiter.headers(for: .limited(retryAfterSeconds: 4)))
        #expect(headers.map(\.name) == ["Retry-After", "RateLimit-Policy", "RateLimit"])
    }
}
