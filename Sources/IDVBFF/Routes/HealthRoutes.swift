public import EventHTTP
/// Liveness and readiness answers for load balancers and orchestrators.
public enum HealthRoutes {
    /// Registers `/healthz`, its Kubernetes-style alias `/livez`, and `/readyz`.
    public static func register(on router: inout Router, lifecycle: Lifecycle) {
        // Answering at all proves the event loop is alive, which is what liveness means here.
        let live = ImmediateHandler { _, _ in .json(status: 200, #"{"status":"ok"}"#) }
        router.add(.get, "/healthz", live)
        router.add(.get, "/livez", live)

        let ready = ImmediateHandler { _, _ in
            lifecycle.phase.isReady
                ? .json(status: 200, #"{"status":"ready"}"#)
                : .json(status: 503, #"{"status":"draining"}"#)
        }
        router.add(.get, "/readyz", ready)
    }
}
