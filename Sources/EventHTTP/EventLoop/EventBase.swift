import CEventShim
import CLibevent

/// Owns one libevent `event_base`: created by whoever builds a loop, then run and freed by that loop's thread.
final class EventBase {
    let pointer: OpaquePointer

    init() throws(EventLoopError) {
        _ = Self.processSetUp
        guard let pointer = event_base_new() else { throw .baseCreationFailed }
        self.pointer = pointer
    }

    /// Runs the loop on the calling thread until `exit()` or until nothing is left to wait for.
    func dispatch() {
        _ = event_base_dispatch(pointer)
    }

    /// Makes `dispatch()` return after the current callbacks; call on the loop's own thread.
    func exit() {
        _ = event_base_loopexit(pointer, nil)
    }

    /// libevent's pthread locking (which must precede every base) and SIGPIPE ignored (a peer that leaves mid-write
    /// must give EPIPE, not kill the process): once per process, before the first base, whoever creates it.
    private static let processSetUp: Void = cevent_global_init()

    deinit {
        event_base_free(pointer)
    }
}
