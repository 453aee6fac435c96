import CEventShim
import CLibevent

/// Owns one libevent `event_base`: created by whoever builds a loop, then run and freed by that loop's thread.
final class EventBase {
    let pointer: OpaquePointer

    init() throws(EventLoopError) {
        _ = Self.processSetUp
        guard let config = event_config_new() else { throw .baseCreationFailed }
        defer { event_config_free(config) }
        // evhttp disables and re-enables a connection's reading and writing around every request; with the
        // changelist, the changes of one loop iteration reach epoll as one epoll_ctl per descriptor at the next
        // wait (10 to 6 epoll_ctl per proxied request). Its caveat, descriptors shared through dup(), does not
        // arise here: every socket is libevent's own.
        _ = event_config_set_flag(config, Int32(EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST.rawValue))
        guard let pointer = event_base_new_with_config(config) else { throw .baseCreationFailed }
        self.pointer = pointer
    }

    /// Runs the loop on the calling thread until `exit()` or until nothing is left to wait for; log lines written
    /// meanwhile on this thread go out once per turn (``LoopBatchedOutput``).
    func dispatch() {
        LoopBatchedOutput.gathering(on: self) {
            _ = event_base_dispatch(pointer)
        }
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
