import EventHTTP
/// The browser-facing API: `POST /idv-session`, and `OPTIONS` naming what the path accepts.
public enum IDVSessionRoutes {
    /// The path integrators' pages call.
    public static let path = "/idv-session"

    /// Registers the session handler (already wrapped in whatever limits apply) and `OPTIONS`, both behind `cors`:
    /// preflights are answered by the policy, a plain `OPTIONS` by the route, and a refused origin never reaches
    /// `handler`. (No origin configured still means a policy: same-origin only.)
    public static func register(on router: inout Router, handler: any RouteHandler, cors: CORSPolicy, metrics: ServiceMetrics = .disabled) {
        router.add(.post, path, CORSHandler(policy: cors, wrapped: handler, metrics: metrics))
        router.add(.options, path, CORSHandler(policy: cors, wrapped: ImmediateHandler { _, _ in
            HTTPResponse(status: 204, headers: ["Allow": "POST, OPTIONS"])
        }, metrics: metrics))
    }
}
