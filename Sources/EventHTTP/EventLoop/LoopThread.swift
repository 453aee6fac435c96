#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A joinable POSIX thread running one closure: each event loop gets its own, and shutdown joins them.
final class LoopThread {
    private var thread: pthread_t

    /// Starts `body` on a new thread.
    init(_ body: @escaping @Sendable () -> Void) throws(EventLoopError) {
        let box = Unmanaged.passRetained(ThreadBody(body: body)).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(&thread, nil, { argument in
            let body = Unmanaged<ThreadBody>.fromOpaque(argument!).takeRetainedValue()
            body.body()
            return nil
        }, box)
        guard status == 0 else {
            Unmanaged<ThreadBody>.fromOpaque(box).release()
            throw .threadStartFailed(status)
        }
        self.thread = thread
    }

    /// Waits for the thread's closure to return.
    func join() {
        _ = pthread_join(thread, nil)
    }
}

private final class ThreadBody {
    let body: @Sendable () -> Void

    init(body: @escaping @Sendable () -> Void) {
        self.body = body
    }
}
