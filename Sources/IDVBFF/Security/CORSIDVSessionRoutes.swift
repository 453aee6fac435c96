extension IDVSessionRoutes {
    /// Registers `POST /idv-session` and its `OPTIONS` as ``register(on:handler:)`` does, both behind `cors`.
    ///
    /// With a policy, preflights are answered by the policy and plain `OPTIONS` by the route. `nil` leaves the routes
    /// without any `Origin` check, as before CORS existed; the configuration always provides a policy (no configured
    /// origin means same-origin only).
    /// - Parameters:
    ///   - router: The loop's route table.
    ///   - handler: The loop's session handler.
    ///   - cors: The CORS rules, or `nil` for none.
    public static func register(on router: inout Router, handler: IDVSessionHandler, cors: CORSPolicy?) {
        register(on: &router, handler: handler)
        if let cors {
            router.applyCORS(cors, to: path)
        }
    }
}
