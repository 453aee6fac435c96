/// The browser-facing API: `POST /idv-session`, and `OPTIONS` naming what the path accepts.
public enum IDVSessionRoutes {
    /// The path integrators' pages call.
    public static let path = "/idv-session"

    public static func register(on router: inout Router, handler: IDVSessionHandler) {
        router.add(.post, path, handler)
        router.add(.options, path, ImmediateHandler { _, _ in
            HTTPResponse(status: 204, headers: ["Allow": "POST, OPTIONS", "Cache-Control": "no-store"])
        })
    }
}
