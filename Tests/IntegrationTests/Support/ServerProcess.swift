import Foundation
import Synchronization

/// The real `idv-bff` binary, started on an ephemeral loopback port with a controlled environment.
final class ServerProcess: Sendable {
    /// Everything the process wrote to standard error (its JSON log) and standard output.
    private let output = OutputCapture()
    private let process: Process
    let port: Int

    /// A minimal valid environment: credentials, loopback, an ephemeral port.
    static func baseEnvironment(threads: Int = 1) -> [String: String] {
        [
            "CLIENTLOOP_API_KEY": TestSecrets.apiKey,
            "CLIENTLOOP_ORG_ID": "org_integration",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_PORT": "0",
            "HTTP_THREADS": String(threads),
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        ]
    }

    /// The environment for `--demo`: no credentials, which demo mode does without.
    static func demoEnvironment(threads: Int = 1) -> [String: String] {
        var environment = baseEnvironment(threads: threads)
        environment["CLIENTLOOP_API_KEY"] = nil
        environment["CLIENTLOOP_ORG_ID"] = nil
        return environment
    }

    /// Starts the server and waits for its `listening` log line. `launcher` is a command that runs the binary (its
    /// path is appended, then `arguments`), to start it in another mount namespace, say.
    init(environment: [String: String] = ServerProcess.baseEnvironment(), arguments: [String] = [], launcher: [String] = []) throws {
        let started = try Self.launch(environment: environment, arguments: arguments, launcher: launcher, output: output)
        process = started
        guard let port = Self.waitForPort(output: output, process: started) else {
            started.terminate()
            started.waitUntilExit()
            throw ServerProcessError.didNotStart(output.withLock { $0.stderr })
        }
        self.port = port
    }

    /// Runs the binary to completion (for `--check-config`, bad configuration, `--version`).
    static func runToExit(environment: [String: String], arguments: [String] = []) throws -> (status: Int32, stdout: String, stderr: String) {
        let output = OutputCapture()
        let process = try launch(environment: environment, arguments: arguments, output: output)
        process.waitUntilExit()
        _ = eventually(within: 5) { output.isComplete }  // both pipes read to their end
        let captured = output.withLock { $0 }
        return (process.terminationStatus, captured.stdout, captured.stderr)
    }

    var log: String { output.withLock { $0.stderr } }
    var standardOutput: String { output.withLock { $0.stdout } }

    /// Log lines parsed as JSON objects.
    var logEntries: [[String: Any]] {
        log.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }
    }

    /// What each open descriptor refers to (`socket:[inode]`, `anon_inode:[eventpoll]`, a path), sorted.
    var descriptorTargets: [String] {
        let directory = "/proc/\(process.processIdentifier)/fd"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "\(directory)/\($0)") }.sorted()
    }

    func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits for the process to exit and returns its status, or nil if it is still running after `timeout`.
    func waitForExit(timeout: TimeInterval = 20) -> Int32? {
        guard eventually(within: timeout, { !process.isRunning }) else { return nil }
        _ = eventually(within: 5) { output.isComplete }
        return process.terminationStatus
    }

    /// Waits until a log line with `message` appears.
    func waitForLog(_ message: String, timeout: TimeInterval = 10) -> Bool {
        eventually(within: timeout) { logEntries.contains { $0["message"] as? String == message } }
    }

    /// Kills the server if a test left it running.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit {
        stop()
    }

    private static func launch(environment: [String: String], arguments: [String], launcher: [String] = [], output: OutputCapture) throws -> Process {
        let process = Process()
        if let command = launcher.first {
            process.executableURL = URL(fileURLWithPath: command)
            process.arguments = launcher.dropFirst() + [binaryURL.path] + arguments
        } else {
            process.executableURL = binaryURL
            process.arguments = arguments
        }
        process.environment = environment
        let stderr = Pipe()
        let stdout = Pipe()
        process.standardError = stderr
        process.standardOutput = stdout
        process.standardInput = FileHandle.nullDevice
        stderr.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty { output.streamEnded(); handle.readabilityHandler = nil }
            output.withLock { $0.stderr += String(decoding: data, as: UTF8.self) }
        }
        stdout.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty { output.streamEnded(); handle.readabilityHandler = nil }
            output.withLock { $0.stdout += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
        return process
    }

    private static func waitForPort(output: OutputCapture, process: Process) -> Int? {
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline, process.isRunning {
            let log = output.withLock { $0.stderr }
            for line in log.split(separator: "\n") {
                guard let entry = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
                      entry["message"] as? String == "listening",
                      !["fake-clientloop", "metrics"].contains(entry["label"] as? String ?? ""),
                      let port = entry["port"] as? Int
                else { continue }
                return port
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return nil
    }

    /// The `idv-bff` binary SwiftPM built next to this test bundle, or the one `IDV_BFF_BINARY` names (to run the
    /// suite against a release build or another revision).
    static var binaryURL: URL {
        if let path = ProcessInfo.processInfo.environment["IDV_BFF_BINARY"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // The runner may be inside `<products>/X.xctest/...`; walk up to the products directory.
        while !FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent("idv-bff").path),
              directory.path != "/" {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("idv-bff")
    }
}

enum ServerProcessError: Error, CustomStringConvertible {
    case didNotStart(String)

    var description: String {
        switch self {
        case .didNotStart(let log): "the server did not start; its output:\n\(log)"
        }
    }
}

/// Values that must never appear in any output of the server.
enum TestSecrets {
    static let apiKey = "cl_test_9f3b7c2e1d5a4f60b8e7"
}

/// What a child process wrote, collected from pipe handlers on other threads.
final class OutputCapture: Sendable {
    private let state = Mutex<(stderr: String, stdout: String)>(("", ""))
    private let endedStreams = Atomic<Int>(0)

    /// Whether both pipes have been read to their end: everything the process wrote is here.
    var isComplete: Bool { endedStreams.load(ordering: .acquiring) >= 2 }

    func streamEnded() {
        endedStreams.add(1, ordering: .releasing)
    }

    func withLock<Result>(_ body: (inout (stderr: String, stdout: String)) -> Result) -> Result {
        state.withLock { body(&$0) }
    }
}

extension ServerProcess {
    /// A loopback port nothing listens on: bound, read, and released.
    static func unusedPort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Waits until `condition` holds, for at most `timeout`; whether it did. For observable state (a counter, a socket
/// table), never for time to pass.
func eventually(within timeout: TimeInterval, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    repeat {
        if condition() { return true }
        Thread.sleep(forTimeInterval: 0.005)
    } while Date() < deadline
    return condition()
}
