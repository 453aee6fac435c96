import ArgumentParser
import CEventShim
import IDVBFF
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Once per process, before any event base or socket exists (the start-up JWKS fetch included): the JSON log on
/// standard error, libevent's thread locking, and SIGPIPE ignored.
func bootstrapProcess(logLevel level: Logger.Level) -> Logger {
    LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level) }
    cevent_global_init()
    return Logger(label: "idv-bff")
}

/// Runs a server to completion and turns its outcome into the process's exit status.
func serve(logger: Logger, _ body: () throws -> Int32) async throws {
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
