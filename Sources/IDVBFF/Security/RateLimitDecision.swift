/// What a token bucket says about one request, with what the `RateLimit` header fields and `Retry-After` need.
public enum RateLimitDecision: Sendable, Equatable {
    /// Rate limiting is off: nothing was counted, and no rate-limit header is sent.
    case unlimited
    /// The request may proceed. `remaining` whole tokens are left; `resetSeconds` is how long until the client can do
    /// better than now: until the bucket is full again, or, when nothing remains, until the next token is back.
    case allowed(remaining: Int, resetSeconds: Int)
    /// The request is refused; a token is back after `retryAfterSeconds` (rounded up, at least 1).
    case limited(retryAfterSeconds: Int)

    /// Whether the request may proceed.
    public var isAllowed: Bool {
        switch self {
        case .unlimited, .allowed: true
        case .limited: false
        }
    }
}
