/// Where the process is between start-up and exit.
public enum LifecyclePhase: UInt8, Sendable, Equatable {
    /// Normal operation: ready for traffic.
    case serving
    /// A stop signal arrived: readiness fails so load balancers route elsewhere, but requests are still served.
    case draining
    /// Listeners are closed; in-flight requests finish, new API requests are refused with `shutting_down`.
    case stopping

    /// Whether a load balancer should send new traffic here.
    public var isReady: Bool { self == .serving }
}
