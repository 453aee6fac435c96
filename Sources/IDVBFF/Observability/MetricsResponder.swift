import CoreMetrics
public import EventHTTP

/// Wraps a loop's router: counts requests in progress and records each one's duration under its route template,
/// method and status class.
public struct MetricsResponder: HTTPResponder {
    private let router: Router
    private let metrics: LoopMetrics
    private let clock: MonotonicClock

    public init(router: Router, metrics: LoopMetrics, clock: MonotonicClock = .continuous) {
        self.router = router
        self.metrics = metrics
        self.clock = clock
    }

    public func respond(to request: HTTPRequest, context: RequestContext, respond: @escaping ResponseCallback) {
        let started = clock.now()
        let metrics = metrics
        let clock = clock
        let route = router.routeTemplate(for: request.path)
        metrics.shared.activeRequests.increment()
        router.respond(to: request, context: context) { response in
            metrics.shared.activeRequests.decrement()
            metrics.recordRequest(route: route, method: request.method.rawValue, status: response.status,
                                  nanoseconds: (clock.now() - started).wholeNanoseconds)
            respond(response)
        }
    }

    public func prepare(_ context: inout RequestContext, for request: HTTPRequest) {
        router.prepare(&context, for: request)
    }

    public func answer(_ refusal: ServerRefusal, to request: HTTPRequest, context: RequestContext) -> HTTPResponse {
        // Answered at once, with nothing to wait for: the time is what building the refusal took.
        let started = clock.now()
        let response = router.answer(refusal, to: request, context: context)
        metrics.recordRequest(route: router.routeTemplate(for: request.path), method: request.method.rawValue,
                              status: response.status, nanoseconds: (clock.now() - started).wholeNanoseconds)
        return response
    }
}
