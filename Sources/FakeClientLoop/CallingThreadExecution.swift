import Dispatch
import Synchronization

/// Runs an `async` operation to completion on the calling thread.
///
/// GraphQLSwift executes documents through `async` functions, yet nothing the fake resolves ever waits for
/// anything: each job the execution creates (its task, and the child tasks the library starts for sibling fields)
/// can run as soon as it exists. Giving those jobs a task executor that queues them for the waiting thread keeps
/// the whole execution on that thread, so the fake answers on its event loop's thread as ``HTTPResponder``
/// requires, and its unit tests stay synchronous.
///
/// Only for operations that never wait on another thread's work: the calling thread is blocked until this returns.
enum CallingThreadExecution {
    /// The result of `operation`, run entirely on this thread.
    static func run<Success: Sendable>(_ operation: @escaping @Sendable () async -> Success) -> Success {
        let executor = CallingThreadTaskExecutor()
        let outcome = Outcome<Success>()
        Task(executorPreference: executor) {
            outcome.store(await operation())
            executor.finish()
        }
        executor.runUntilFinished()
        return outcome.take()
    }
}

/// Queues the jobs of one execution for the thread that waits in ``runUntilFinished()``.
private final class CallingThreadTaskExecutor: TaskExecutor {
    private struct State {
        var jobs: [UnownedJob] = []
        var finished = false
    }

    private let state = Mutex(State())
    // Counts enqueued jobs and the finish: the waiting thread sleeps only while there is nothing to do.
    private let wakeups = DispatchSemaphore(value: 0)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        state.withLock { $0.jobs.append(job) }
        wakeups.signal()
    }

    /// Called by the operation's task as its last step.
    func finish() {
        state.withLock { $0.finished = true }
        wakeups.signal()
    }

    /// Runs queued jobs in order until the operation has finished and nothing is left.
    func runUntilFinished() {
        while true {
            let (next, finished) = state.withLock { state in
                (state.jobs.isEmpty ? nil : state.jobs.removeFirst(), state.finished)
            }
            if let next {
                next.runSynchronously(on: asUnownedTaskExecutor())
            } else if finished {
                return
            } else {
                wakeups.wait()
            }
        }
    }
}

/// Where the operation's task leaves its result for the waiting thread.
private final class Outcome<Value: Sendable>: Sendable {
    private let value = Mutex<Value?>(nil)

    func store(_ result: Value) {
        value.withLock { $0 = result }
    }

    func take() -> Value {
        guard let result = value.withLock({ $0 }) else {
            preconditionFailure("the operation finished without a result")
        }
        return result
    }
}
