public import EventHTTP
/// The `RateLimit-Policy` and `RateLimit` response fields of draft-ietf-httpapi-ratelimit-headers-08 (October 2024),
/// the first revision with the structured-field form (kept unchanged by -09 and -10):
///
/// ```
/// RateLimit-Policy: "default";q=10;w=60
/// RateLimit: "default";r=3;t=5
/// ```
///
/// `q` is the burst and `w` the time an empty bucket takes to refill it; `r` is the whole tokens left and `t` the
/// seconds until the client can do better (until full, or until the next token when none is left). On a refused
/// request `r` is 0 and `t` equals `Retry-After`, as the draft asks.
enum RateLimitHeaders {
    /// The draft's policy field.
    static let policyFieldName = "RateLimit-Policy"
    /// The draft's service-limit field.
    static let limitFieldName = "RateLimit"
    /// The name tying the two fields together; the service has one policy.
    static let policyName = "default"

    /// The fields for `decision` under `policy`; none when limiting is off.
    static func fields(for decision: RateLimitDecision, policy: RateLimitPolicy) -> HTTPHeaders {
        let remaining: Int
        let resetSeconds: Int
        switch decision {
        case .unlimited:
            return [:]
        case .allowed(let tokens, let seconds):
            (remaining, resetSeconds) = (tokens, seconds)
        case .limited(let retryAfterSeconds):
            (remaining, resetSeconds) = (0, retryAfterSeconds)
        }
        return [
            policyFieldName: "\"\(policyName)\";q=\(policy.burst);w=\(policy.windowSeconds)",
            limitFieldName: "\"\(policyName)\";r=\(remaining);t=\(resetSeconds)",
        ]
    }

    /// The header fields of a refused request: `Retry-After`, then the rate-limit `fields`.
    static func refusal(retryAfterSeconds: Int, fields: HTTPHeaders) -> HTTPHeaders {
        var headers: HTTPHeaders = ["Retry-After": String(retryAfterSeconds)]
        for field in fields {
            headers.add(name: field.name, value: field.value)
        }
        return headers
    }
}
