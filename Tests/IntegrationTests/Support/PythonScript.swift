import Foundation

/// A Python tool from `Tests/` (a browser driver, the contract checker) run to completion: standard output is
/// what it reports, standard error goes to a file (a browser's chatter cannot fill a pipe and stall the run).
struct PythonScript {
    /// `Tests/` in this checkout.
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The repository's top level.
    static let repository = testsFolder.deletingLastPathComponent()

    let path: String
    /// The interpreter: Debian's for the browser drivers (Selenium comes as `python3-selenium`), the one on `PATH`
    /// for tools installed with `python3 -m pip` (the README's test command).
    let interpreter: String

    /// A script by its path under `Tests/`.
    init(_ pathInTests: String, interpreter: String = "/usr/bin/python3") {
        path = Self.testsFolder.appendingPathComponent(pathInTests).path
        self.interpreter = interpreter
    }

    /// Runs the script; its exit status, standard output and standard error.
    func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let errorLog = FileManager.default.temporaryDirectory.appendingPathComponent("idv-bff-script-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: errorLog.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorLog) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [interpreter, path] + arguments
        process.currentDirectoryURL = Self.repository
        let output = Pipe()
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errorLog)
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let stderr = (try? String(contentsOf: errorLog, encoding: .utf8)) ?? ""
        return (process.terminationStatus, String(decoding: data, as: UTF8.self), stderr)
    }

    /// Runs a script that prints one JSON object and exits 0; that object.
    func report(_ arguments: [String]) throws -> [String: Any] {
        let result = try run(arguments)
        guard result.status == 0,
              let object = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] else {
            throw ScriptFailure(script: path, status: result.status, stdout: result.stdout, stderr: result.stderr)
        }
        return object
    }
}

struct ScriptFailure: Error, CustomStringConvertible {
    let script: String
    let status: Int32
    let stdout: String
    let stderr: String
    var description: String { "\(script) exited \(status): \(stdout)\n\(stderr)" }
}
