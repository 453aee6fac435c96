import Synchronization

/// Runs closures posted from any thread on one event loop's thread, in the order posted: how work that finished
/// on another loop (an answer another request waited for, say) comes back to the loop that owns the request.
///
/// Made and dropped on its loop's thread. Posts after the loop has gone run nothing.
public final class LoopMailbox: Sendable {
    private let queue = WorkQueue()
    private let slot: WakerSlot
    private let event: UnsafeEventBox

    public init(on loop: EventLoopContext) throws(EventLoopError) {
        let box = UnsafeEventBox()
        let queue = queue
        box.event = try LoopEvent.user(on: loop) {
            for work in queue.takeAll() {
                work()
            }
        }
        event = box
        slot = WakerSlot(box.event!.waker)
    }

    /// Queues `work` for the loop's thread and wakes the loop.
    public func post(_ work: @escaping @Sendable () -> Void) {
        queue.append(work)
        slot.wake()
    }

    deinit {
        slot.clear()
    }
}

/// The posted closures, shared by posting threads and the loop's event.
private final class WorkQueue: Sendable {
    private let pending = Mutex<[@Sendable () -> Void]>([])

    func append(_ work: @escaping @Sendable () -> Void) {
        pending.withLock { $0.append(work) }
    }

    func takeAll() -> [@Sendable () -> Void] {
        pending.withLock { pending in
            defer { pending.removeAll() }
            return pending
        }
    }
}

/// Holds the mailbox's event: touched only on the loop's thread (made in `init`, freed with the mailbox there).
private final class UnsafeEventBox: @unchecked Sendable {
    var event: LoopEvent?
}
