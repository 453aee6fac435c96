import Synchronization

/// A ``LoopWaker`` its owner can withdraw: threads still holding the slot then wake nothing, rather than an event
/// that has been freed with its loop.
public final class WakerSlot: Sendable {
    private let waker: Mutex<LoopWaker?>

    public init(_ waker: LoopWaker) {
        self.waker = Mutex(waker)
    }

    /// Fires the event, unless the slot was cleared.
    public func wake() {
        waker.withLock { $0?.wake() }
    }

    /// Withdraws the waker; call before freeing its event.
    public func clear() {
        waker.withLock { $0 = nil }
    }
}
