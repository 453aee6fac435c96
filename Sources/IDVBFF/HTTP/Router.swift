public import EventHTTP

/// The route table, and the application's ``HTTPResponder``: exact paths, each with the handlers for its methods.
///
/// It answers what no route decides (404, 405, the server's own refusals) with the ``APIError`` table, and hardens
/// every answer (``HTTPResponse/hardened()``) before it leaves. While the server stops, routes answer as ever: the
/// server itself tells clients to leave (`Connection: close`), so that no request that reached it is refused.
/// `HEAD` is served by a path's `GET` handler (the server sends no body for it), so it need not be registered.
public struct Router: HTTPResponder {
    /// What the table says about a request.
    public enum Resolution {
        case handler(any RouteHandler, route: Route)
        case failure(APIError)
    }

    /// One path's entry.
    public struct Route {
        /// The handlers by method.
        public var handlers: [HTTPMethod: any RouteHandler] = [:]

        /// The methods this path answers, in a stable order, for the `Allow` header.
        public var allowedMethods: [HTTPMethod] {
            var methods = HTTPMethod.allCases.filter { handlers[$0] != nil }
            if handlers[.get] != nil, handlers[.head] == nil {
                methods.insert(.head, at: methods.firstIndex(of: .get).map { $0 + 1 } ?? methods.endIndex)
            }
            return methods
        }
    }

    private var routes: [String: Route] = [:]

    /// Gives each request its trace context (log metadata, `traceparent` for upstream calls); none without it.
    public var trace: RequestTrace?

    public init() {}

    /// Registers `handler` for `method` on `path`.
    public mutating func add(_ method: HTTPMethod, _ path: String, _ handler: any RouteHandler) {
        routes[path, default: Route()].handlers[method] = handler
    }

    /// Finds the handler for a method and path, or the error to answer with.
    public func resolve(_ method: HTTPMethod, path: String) -> Resolution {
        guard let route = routes[path] else {
            return .failure(.notFound)
        }
        if let handler = route.handlers[method] ?? (method == .head ? route.handlers[.get] : nil) {
            return .handler(handler, route: route)
        }
        return .failure(.methodNotAllowed(allowed: route.allowedMethods))
    }

    public func prepare(_ context: inout RequestContext, for request: HTTPRequest) {
        trace?.prepare(&context, for: request)
    }

    /// The registered path a request's path matches, or `unmatched`: a bounded label for metrics, never the raw path.
    public func routeTemplate(for path: String) -> String {
        routes[path] == nil ? "unmatched" : path
    }

    public func respond(to request: HTTPRequest, context: RequestContext, respond: @escaping ResponseCallback) {
        let hardenedRespond: ResponseCallback = { respond($0.hardened()) }
        switch resolve(request.method, path: request.path) {
        case .failure(let error):
            hardenedRespond(error.response(requestID: context.requestID))
        case .handler(let handler, _):
            handler.handle(request, context: context, respond: hardenedRespond)
        }
    }

    public func answer(_ refusal: ServerRefusal, to request: HTTPRequest, context: RequestContext) -> HTTPResponse {
        switch refusal {
        case .ambiguousFraming(let violation):
            // The request cannot be trusted to be what it claims: no route decorates the answer.
            let error: APIError = violation == .chunkedBody ? .lengthRequired : .badRequest(violation)
            return error.response(requestID: context.requestID).hardened()
        case .bodyTooLarge:
            switch resolve(request.method, path: request.path) {
            case .failure(let error):
                return error.response(requestID: context.requestID).hardened()
            case .handler(let handler, _):
                return handler.decorateServerAnswer(APIError.payloadTooLarge.response(requestID: context.requestID), to: request).hardened()
            }
        }
    }
}
