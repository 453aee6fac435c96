import CoreMetrics
public import EventHTTP
import Logging

/// Puts a per-client rate limit in front of another route handler.
///
/// The client is resolved (see ``ClientAddressResolver``) and takes a token. Without one, the answer is
/// `429 rate_limited` with `Retry-After` and the wrapped handler is not called; with one, the wrapped handler
/// answers. Either way the response carries the `RateLimit-Policy` and `RateLimit` fields.
public struct RateLimitedHandler: RouteHandler {
    private let limiter: RateLimiter
    private let resolver: ClientAddressResolver
    private let wrapped: any RouteHandler
    private let forwardedForWarnings: WarningThrottle
    private let metrics: ServiceMetrics

    /// Creates the decorator.
    /// - Parameters:
    ///   - limiter: The limiter shared by all event loops.
    ///   - resolver: Decides which address a request comes from.
    ///   - wrapped: The handler that answers allowed requests.
    ///   - forwardedForWarnings: Throttles the warning about `X-Forwarded-For` from untrusted peers; share one
    ///     between loops so the whole process warns at most once per interval.
    ///   - metrics: Counts limited requests (`idv_rate_limited_total`).
    public init(
        limiter: RateLimiter,
        resolver: ClientAddressResolver,
        wrapped: any RouteHandler,
        forwardedForWarnings: WarningThrottle = WarningThrottle(interval: .seconds(300)),
        metrics: ServiceMetrics = .disabled
    ) {
        self.metrics = metrics
        self.limiter = limiter
        self.resolver = resolver
        self.wrapped = wrapped
        self.forwardedForWarnings = forwardedForWarnings
    }

    public func handle(_ request: HTTPRequest, context: RequestContext, respond: @escaping ResponseCallback) {
        let client = resolver.resolve(request)
        if client.ignoredForwardedFor, forwardedForWarnings.shouldWarn() {
            context.logger.warning(
                "\(ClientAddressResolver.untrustedForwardedForWarning)",
                metadata: ["peer": .string(request.peerAddress ?? "unknown")])
        }
        let decision = limiter.take(for: client.address)
        let rateLimitFields = limiter.headers(for: decision)
        if case .limited(let retryAfterSeconds) = decision {
            metrics.rateLimited.increment()
            respond(APIError.rateLimited(retryAfterSeconds: retryAfterSeconds, rateLimitHeaders: rateLimitFields)
                .response(requestID: context.requestID))
            return
        }
        wrapped.handle(request, context: context) { response in
            var response = response
            response.headers.reserveCapacity(response.headers.count + rateLimitFields.count)
            for field in rateLimitFields {
                response.headers.replaceOrAdd(name: field.name, value: field.value)
            }
            respond(response)
        }
    }
}

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

    /// The `RateLimit-Policy` value of `policy`, the same for every response.
    static func policyValue(of policy: RateLimitPolicy) -> String {
        "\"\(policyName)\";q=\(policy.burst);w=\(policy.windowSeconds)"
    }

    /// The fields for `decision` under the policy whose ``policyValue(of:)`` is `policyValue`; none when limiting is
    /// off.
    static func fields(for decision: RateLimitDecision, policyValue: String) -> HTTPHeaders {
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
        // Built by appending, not interpolating, and the list reserved: this runs for every request.
        var limit = limitValuePrefix
        limit += String(remaining)
        limit += ";t="
        limit += String(resetSeconds)
        var fields = HTTPHeaders()
        fields.reserveCapacity(2)
        fields.add(name: policyFieldName, value: policyValue)
        fields.add(name: limitFieldName, value: limit)
        return fields
    }

    /// The `RateLimit` value up to its `r` parameter's number.
    private static let limitValuePrefix = "\"\(policyName)\";r="

    /// The header fields of a refused request: `Retry-After`, then the rate-limit `fields`.
    static func refusal(retryAfterSeconds: Int, fields: HTTPHeaders) -> HTTPHeaders {
        var headers: HTTPHeaders = ["Retry-After": String(retryAfterSeconds)]
        for field in fields {
            headers.add(name: field.name, value: field.value)
        }
        return headers
    }
}
