import Synchronization

/// The ClientLoop API key in use, shared by every event loop, and replaced when its file is reloaded.
///
/// A loop checks ``generation`` (one atomic load) per request and takes the lock only when it changed, so a
/// rotation costs each loop one locked read and the hot path none.
public final class APIKeyHolder: Sendable {
    private let key: Mutex<Secret>
    private let counter = Atomic<Int>(0)

    public init(_ key: Secret) {
        self.key = Mutex(key)
    }

    /// Rises by one each time the key is replaced.
    public var generation: Int { counter.load(ordering: .acquiring) }

    /// The key now in use.
    public var current: Secret { key.withLock { $0 } }

    /// Puts `newKey` in use for requests that start from now on; `false` when it is the key already in use.
    @discardableResult
    public func replace(with newKey: Secret) -> Bool {
        key.withLock { key in
            guard key.value != newKey.value else { return false }
            key = newKey
            counter.add(1, ordering: .releasing)
            return true
        }
    }
}
