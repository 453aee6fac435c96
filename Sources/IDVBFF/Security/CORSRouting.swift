extension Router {
    /// Puts every handler registered so far on `path` behind `policy`, keeping the route's other settings.
    ///
    /// Call it once per path, after the path's handlers are added: handlers added later are not covered, and a
    /// second call would wrap twice. Answers the router gives itself (404, 405) carry no CORS headers.
    public mutating func applyCORS(_ policy: CORSPolicy, to path: String) {
        for method in HTTPMethod.allCases {
            // `route.handlers[method]` skips HEAD served by GET and the fallback, which are not this path's own.
            guard case .handler(_, let route) = resolve(method, path: path), let handler = route.handlers[method] else {
                continue
            }
            add(method, path, servesWhileStopping: route.servesWhileStopping, CORSHandler(policy: policy, wrapped: handler))
        }
    }
}
