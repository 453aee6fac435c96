import Synchronization

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
