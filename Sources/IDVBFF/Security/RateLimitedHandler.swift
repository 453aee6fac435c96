import Logging
public import EventHTTP

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

    /// Creates the decorator.
    /// - Parameters:
    ///   - limiter: The limiter shared by all event loops.
    ///   - resolver: Decides which address a request comes from.
    ///   - wrapped: The handler that answers allowed requests.
    ///   - forwardedForWarnings: Throttles the warning about `X-Forwarded-For` from untrusted peers; share one
    ///     between loops so the whole process warns at most once per interval.
    public init(
        limiter: RateLimiter,
        resolver: ClientAddressResolver,
        wrapped: any RouteHandler,
        forwardedForWarnings: WarningThrottle = WarningThrottle(interval: .seconds(300))
    ) {
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
            respond(APIError.rateLimited(retryAfterSeconds: retryAfterSeconds, rateLimitHeaders: rateLimitFields)
                .response(requestID: context.requestID))
            return
        }
        wrapped.handle(request, context: context) { response in
            var response = response
            for field in rateLimitFields {
                response.headers.replaceOrAdd(name: field.name, value: field.value)
            }
            respond(response)
        }
    }
}
