import Synchronization

/// A process-wide cap shared by every event loop: on concurrent upstream calls (`clientloop.max_in_flight`), and
/// on open client connections (`http.max_connections`).
///
/// A lock-free counter: acquiring is one compare-and-swap in the common case, and over the cap the caller refuses
/// at once (`503 upstream_busy`, a closed connection) instead of queueing work without bound.
public final class ConcurrencyLimit: Sendable {
    /// The default cap.
    public static let defaultMaximum = 64

    /// The most calls in flight at once.
    public let maximum: Int
    private let inFlightCount = Atomic<Int>(0)

    /// Creates a limit of `maximum` concurrent calls; configuration validates the number, and anything below 1
    /// counts as 1 so that the service can still make progress.
    public init(maximum: Int = defaultMaximum) {
        self.maximum = max(maximum, 1)
    }

    /// The calls in flight now.
    public var inFlight: Int {
        inFlightCount.load(ordering: .relaxed)
    }

    /// Takes a slot if one is free; every `true` must be matched by exactly one ``release()``.
    public func tryAcquire() -> Bool {
        var current = inFlightCount.load(ordering: .relaxed)
        // Compare-and-swap rather than add-then-undo: the count never overshoots, so a burst cannot make other
        // callers see a full cap that is not really full.
        while current < maximum {
            let (exchanged, original) = inFlightCount.compareExchange(
                expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
            if exchanged { return true }
            current = original
        }
        return false
    }

    /// Gives back a slot taken by ``tryAcquire()``.
    public func release() {
        let remaining = inFlightCount.subtract(1, ordering: .acquiringAndReleasing).newValue
        assert(remaining >= 0, "ConcurrencyLimit released more often than acquired")
    }

    /// Takes a slot as a ``Permit`` that gives it back exactly once, or `nil` when the cap is reached.
    public func tryAcquirePermit() -> Permit? {
        tryAcquire() ? Permit(limit: self) : nil
    }
}

extension ConcurrencyLimit {
    /// One slot of a ``ConcurrencyLimit``, given back exactly once: by the first ``release()``, or when the permit
    /// is dropped unreleased (say, a completion handler that is never called), so that a lost slot cannot shrink the
    /// cap for the rest of the process's life.
    public final class Permit: Sendable {
        private let limit: ConcurrencyLimit
        private let isReleased = Atomic<Bool>(false)

        init(limit: ConcurrencyLimit) {
            self.limit = limit
        }

        deinit {
            release()
        }

        /// Gives the slot back; later calls do nothing. Returns whether this call gave it back.
        @discardableResult
        public func release() -> Bool {
            guard !isReleased.exchange(true, ordering: .acquiringAndReleasing) else { return false }
            limit.release()
            return true
        }
    }
}
