import Synchronization

/// A ``LoopWaker`` its owner can withdraw: threads still holding the slot then wake nothing, rather than an event
/// that has been freed with its loop.
final class WakerSlot: Sendable {
    private let waker: Mutex<LoopWaker?>

    init(_ waker: LoopWaker) {
        self.waker = Mutex(waker)
    }

    /// Fires the event, unless the slot was cleared.
    func wake() {
        waker.withLock { $0?.wake() }
    }

    /// Withdraws the waker; call before freeing its event.
    func clear() {
        waker.withLock { $0 = nil }
    }
}
