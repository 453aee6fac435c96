/// The browser-facing API: `POST /idv-session`, and `OPTIONS` naming what the path accepts.
public enum IDVSessionRoutes {
    /// The path integrators' pages call.
    public static let path = "/idv-session"

    /// Registers the session handler (already wrapped in whatever limits apply) and `OPTIONS`, both behind `cors`.
    ///
    /// With a policy, preflights are answered by the policy and plain `OPTIONS` by the route; `nil` leaves the
    /// routes without any `Origin` check (the configuration always provides one: no origin listed means same-origin
    /// only).
    public static func register(on router: inout Router, handler: any RouteHandler, cors: CORSPolicy?) {
        router.add(.post, path, handler)
        router.add(.options, path, ImmediateHandler { _, _ in
            HTTPResponse(status: 204, headers: ["Allow": "POST, OPTIONS"])
        })
        if let cors {
            router.applyCORS(cors, to: path)
        }
    }
}
