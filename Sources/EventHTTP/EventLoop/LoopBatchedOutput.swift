#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard error for whole lines (the JSON log), written in batches on event-loop threads.
///
/// A loop thread gathers the lines of one turn of its loop (all the requests it answered in it) and writes them with
/// one `write(2)` before it waits again: the first line of a turn activates the loop's flush event, which libevent
/// runs after the callbacks already due. Any other thread, and a loop thread outside its loop, writes at once. Lines
/// stay whole; a line never waits for more traffic, only for the callbacks of its own turn to finish. A process that
/// ends inside a turn loses that turn's lines: call ``flush()`` before a deliberate `_exit`.
public enum LoopBatchedOutput {
    /// Writes `line` (UTF-8, newline included) to standard error, at the end of this loop turn or, with `now`, at
    /// once after the lines gathered before it.
    public static func writeLine(_ line: UnsafeBufferPointer<UInt8>, now: Bool = false) {
        if let batch = LoopBatch.current {
            batch.append(line)
            if now { batch.flush() }
        } else {
            writeAll(line)
        }
    }

    /// Writes what this thread's loop has gathered so far: before the process ends without returning from its loop.
    public static func flush() {
        LoopBatch.current?.flush()
    }

    /// Runs `body` (a loop's dispatch) with lines on this thread gathered per turn of `base`'s loop; whatever is
    /// still gathered when it returns is written then.
    static func gathering(on base: EventBase, _ body: () -> Void) {
        guard let batch = try? LoopBatch(base: base) else { return body() }  // no event: lines go out one by one
        LoopBatch.current = batch
        body()
        LoopBatch.current = nil
        batch.flush()
    }

    fileprivate static func writeAll(_ bytes: UnsafeBufferPointer<UInt8>) {
        var offset = 0
        while offset < bytes.count {
            let written = write(2, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0, errno == EINTR { continue }
            if written <= 0 { return }  // standard error is gone: nothing better to do with a log line
            offset += written
        }
    }
}

/// One loop thread's gathered lines and the event that writes them.
private final class LoopBatch {
    /// A turn that gathers more than this writes what it has at once rather than holding it.
    private static let limit = 64 * 1024
    private var bytes: [UInt8] = []
    private var flushEvent: LoopEvent!

    init(base: EventBase) throws(EventLoopError) {
        bytes.reserveCapacity(Self.limit)
        flushEvent = try LoopEvent.user(on: base) { [unowned self] in flush() }
    }

    func append(_ line: UnsafeBufferPointer<UInt8>) {
        if bytes.isEmpty { flushEvent.activate() }
        bytes.append(contentsOf: line)
        if bytes.count >= Self.limit { flush() }
    }

    func flush() {
        guard !bytes.isEmpty else { return }
        bytes.withUnsafeBufferPointer { LoopBatchedOutput.writeAll($0) }
        bytes.removeAll(keepingCapacity: true)
    }

    /// The batch of the loop running on this thread, if one is.
    static var current: LoopBatch? {
        get { pthread_getspecific(key).map { Unmanaged<LoopBatch>.fromOpaque($0).takeUnretainedValue() } }
        set { _ = pthread_setspecific(key, newValue.map { Unmanaged.passUnretained($0).toOpaque() }) }
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        _ = pthread_key_create(&key, nil)
        return key
    }()
}
