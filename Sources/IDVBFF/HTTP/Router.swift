/// The route table: exact paths, each with the handlers for its methods.
///
/// `HEAD` is served by a path's `GET` handler (libevent drops the body), so it need not be registered.
public struct Router {
    /// What the table says about a request.
    public enum Resolution {
        case handler(any RouteHandler, route: Route)
        case failure(APIError)
    }

    /// One path's entry.
    public struct Route {
        /// The handlers by method.
        public var handlers: [HTTPMethod: any RouteHandler] = [:]
        /// Whether the route still answers normally while the server drains (health checks do).
        public var servesWhileStopping = false

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
    /// Answers every method on paths with no route of their own, when set.
    public var fallback: (any RouteHandler)?

    public init() {}

    /// Registers `handler` for `method` on `path`.
    public mutating func add(_ method: HTTPMethod, _ path: String, servesWhileStopping: Bool = false, _ handler: any RouteHandler) {
        routes[path, default: Route()].handlers[method] = handler
        if servesWhileStopping {
            routes[path]?.servesWhileStopping = true
        }
    }

    /// Finds the handler for a method and path, or the error to answer with.
    public func resolve(_ method: HTTPMethod, path: String) -> Resolution {
        guard let route = routes[path] else {
            if let fallback {
                return .handler(fallback, route: Route())
            }
            return .failure(.notFound)
        }
        if let handler = route.handlers[method] ?? (method == .head ? route.handlers[.get] : nil) {
            return .handler(handler, route: route)
        }
        return .failure(.methodNotAllowed(allowed: route.allowedMethods))
    }
}
