import Synchronization

/// The process-wide lifecycle phase, written by the shutdown sequence and read by every event loop.
///
/// An atomic rather than a lock: every request reads it, and it only ever moves forward.
public final class Lifecycle: Sendable {
    private let rawPhase = Atomic<UInt8>(LifecyclePhase.serving.rawValue)

    public init() {}

    /// The current phase.
    public var phase: LifecyclePhase {
        LifecyclePhase(rawValue: rawPhase.load(ordering: .acquiring)) ?? .stopping
    }

    /// Moves to `next` unless the process is already there or further; returns whether it moved.
    @discardableResult
    public func advance(to next: LifecyclePhase) -> Bool {
        var current = rawPhase.load(ordering: .relaxed)
        while current < next.rawValue {
            let (exchanged, original) = rawPhase.compareExchange(
                expected: current, desired: next.rawValue, ordering: .acquiringAndReleasing)
            if exchanged { return true }
            current = original
        }
        return false
    }
}

/// Where the process is between start-up and exit.
public enum LifecyclePhase: UInt8, Sendable, Equatable {
    /// Normal operation: ready for traffic.
    case serving
    /// A stop signal arrived: readiness fails so load balancers route elsewhere, but requests are still served.
    case draining
    /// Listeners are closed and idle connections with them; requests already on a connection are served.
    case stopping

    /// Whether a load balancer should send new traffic here.
    public var isReady: Bool { self == .serving }
}
