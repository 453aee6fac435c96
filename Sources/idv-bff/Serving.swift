import ArgumentParser
import Dispatch
import IDVBFF
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Once per process, before anything logs: the JSON log on standard error. (libevent's process-wide set-up is the
/// runtime's own business: it happens before the first event base exists.)
func bootstrapProcess(logLevel level: Logger.Level) -> Logger {
    LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level) }
    return Logger(label: "idv-bff")
}

/// Runs an `async` start-up step from the main thread and waits for it there. The main thread is not one of Swift
/// concurrency's, so blocking it takes nothing from the tasks that do the work.
func awaitStartUp<Success: Sendable, Failure: Error>(_ step: @escaping @Sendable () async throws(Failure) -> Success) throws(Failure) -> Success {
    let outcome = Mutex<Result<Success, Failure>?>(nil)
    let done = DispatchSemaphore(value: 0)
    Task {
        let result: Result<Success, Failure>
        do throws(Failure) {
            result = .success(try await step())
        } catch {
            result = .failure(error)
        }
        outcome.withLock { $0 = result }
        done.signal()
    }
    done.wait()
    return try outcome.withLock { $0! }.get()
}

/// Runs a server to completion on the calling (main) thread and turns its outcome into the process's exit status.
func serve(logger: Logger, _ body: () throws -> Int32) throws {
    let status: Int32
    do {
        status = try body()
    } catch {
        logger.critical("cannot start: \(error)")
        throw ExitCode.failure
    }
    if status != 0 {
        throw ExitCode(status)
    }
}

func printToStandardError(_ line: String) {
    var line = line + "\n"
    line.withUTF8 { bytes in
        _ = write(2, bytes.baseAddress, bytes.count)
    }
}

extension Logger {
    /// The same logger under another label, for a component's lines.
    func withLabel(_ label: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = logLevel
        return logger
    }
}
