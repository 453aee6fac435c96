import CoreMetrics
public import EventHTTP
import Logging

/// Puts a route behind a ``CORSPolicy``: answers preflights itself, refuses disallowed origins before the route
/// runs, and adds CORS headers to the route's answers for allowed origins, errors included.
///
/// Wrap every method of a path, `OPTIONS` included, since preflights arrive as `OPTIONS`:
/// `router.add(.post, path, CORSHandler(policy: policy, wrapped: handler))`, as ``IDVSessionRoutes`` does.
public struct CORSHandler: RouteHandler {
    private let policy: CORSPolicy
    private let wrapped: any RouteHandler
    private let metrics: ServiceMetrics

    /// Creates the decorator.
    /// - Parameters:
    ///   - policy: The rules to apply.
    ///   - wrapped: The route, called only for requests the policy lets through.
    ///   - metrics: Counts refused origins (`idv_cors_refused_total`).
    public init(policy: CORSPolicy, wrapped: any RouteHandler, metrics: ServiceMetrics = .disabled) {
        self.policy = policy
        self.wrapped = wrapped
        self.metrics = metrics
    }

    public func handle(_ request: HTTPRequest, context: RequestContext, respond: @escaping ResponseCallback) {
        switch policy.decide(request) {
        case .notCORS, .sameOrigin:
            wrapped.handle(request, context: context, respond: respond)
        case .preflightAllowed(let headers):
            respond(HTTPResponse(status: 204, headers: headers))
        case .actualAllowed(let headers):
            wrapped.handle(request, context: context) { response in
                respond(response.addingCORSHeaders(headers))
            }
        case .refused(let refusal):
            // The browser learns only the code; the reason helps whoever configures the allowed origins.
            context.logger.info("cross-origin request refused", metadata: ["cors_refusal": .string(refusal.description)])
            metrics.corsRefused.increment()
            switch refusal {
            case .methodNotAllowed, .headersNotAllowed:
                respond(APIError.preflightRefused(refused: refusal.description).response(requestID: context.requestID))
            case .originNotAllowed, .opaqueOrigin, .malformedOrigin:
                respond(APIError.originNotAllowed.response(requestID: context.requestID))
            }
        }
    }

    /// The server's own answer with the CORS headers an allowed origin gets, so that the page can read it.
    public func decorateServerAnswer(_ response: HTTPResponse, to request: HTTPRequest) -> HTTPResponse {
        guard case .actualAllowed(let headers) = policy.decide(request) else { return response }
        return response.addingCORSHeaders(headers)
    }
}

extension HTTPResponse {
    /// The response with the CORS headers of an allowed request: each replaces a field of the same name, except
    /// `Vary`, which is merged so that what the route already varies on is kept.
    func addingCORSHeaders(_ corsHeaders: HTTPHeaders) -> HTTPResponse {
        var response = self
        response.headers.reserveCapacity(response.headers.count + corsHeaders.count)
        // Routes seldom set any of these: one pass says so, and the fields are then appended without a search each.
        let collides = response.headers.contains { field in
            corsHeaders.contains { $0.name.utf8.elementsEqualIgnoringASCIICase(field.name.utf8) }
        }
        guard collides else {
            for field in corsHeaders {
                response.headers.add(name: field.name, value: field.value)
            }
            return response
        }
        for field in corsHeaders {
            if field.name.utf8.elementsEqualIgnoringASCIICase("Vary".utf8) {
                let vary = response.headers.values(named: "Vary")
                let value = vary.isEmpty ? field.value : CORSVary.merged(vary.joined(separator: ", "), adding: field.value)
                response.headers.replaceOrAdd(name: field.name, value: value)
            } else {
                response.headers.replaceOrAdd(name: field.name, value: field.value)
            }
        }
        return response
    }
}
