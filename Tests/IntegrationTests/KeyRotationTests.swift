import Foundation
import Synchronization
import Testing

/// Rotating the ClientLoop API key without a restart: `clientloop.api_key_file` laid out the way Kubernetes mounts
/// a Secret (`api-key` → `..data/api-key`, `..data` → a timestamped folder, swapped by renaming a new symlink
/// over `..data`), re-read when it changes and on SIGHUP.
@Suite("API key rotation")
struct KeyRotationTests {
    static let oldKey = "cl_rotation_old_5d1c9a7e"
    static let newKey = "cl_rotation_new_83b2f4c6"

    /// A Secret volume as the kubelet writes it.
    final class SecretVolume: Sendable {
        let directory: URL
        var keyPath: String { directory.appendingPathComponent("api-key").path }

        init(key: String) throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("idv-bff-secret-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try publish(key, version: "..2026_12_01_00_00_00.1")
            try FileManager.default.createSymbolicLink(atPath: keyPath, withDestinationPath: "..data/api-key")
        }

        /// Writes a new timestamped folder, then atomically points `..data` at it (rename over the old link).
        func publish(_ key: String, version: String) throws {
            let folder = directory.appendingPathComponent(version)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try (key + "\n").write(to: folder.appendingPathComponent("api-key"), atomically: true, encoding: .utf8)
            let temporary = directory.appendingPathComponent("..data_tmp").path
            try FileManager.default.createSymbolicLink(atPath: temporary, withDestinationPath: version)
            guard rename(temporary, directory.appendingPathComponent("..data").path) == 0 else {
                throw CocoaError(.fileWriteUnknown)
            }
        }
    }

    private func start(volume: SecretVolume, threads: Int) throws -> (fake: ServerProcess, server: ServerProcess) {
        let fake = try ServerProcess.fakeClientLoop(certificate: TestPKI.shared.valid, apiKeys: [Self.oldKey, Self.newKey])
        var environment = ServerProcess.baseEnvironment(threads: threads)
        environment["CLIENTLOOP_API_KEY"] = nil
        environment["CLIENTLOOP_API_KEY_FILE"] = volume.keyPath
        environment["CLIENTLOOP_GRAPH_URL"] = "https://localhost:\(fake.port)/"
        environment["CLIENTLOOP_CA_FILE"] = TestPKI.shared.caCertificate
        environment["RATE_LIMIT_PER_MINUTE"] = "0"
        environment["CLIENTLOOP_MAX_IN_FLIGHT"] = "1000"
        return (fake, try ServerProcess(environment: environment))
    }

    private func requestsByKey(_ fake: ServerProcess) throws -> [Int] {
        (try HTTPSConnection.get(port: fake.port, path: "/__stats")["requestsByKey"] as? [Int]) ?? []
    }

    private func mint(_ server: ServerProcess) throws -> Int {
        try httpRequest(port: server.port, "POST", "/idv-session", headers: [("Content-Type", "application/json")], body: Array("{}".utf8)).status
    }

    @Test("a Secret swapped during a stream of requests on several loops: the new key from then on, no request fails")
    func rotatesDuringTraffic() throws {
        let volume = try SecretVolume(key: Self.oldKey)
        let (fake, server) = try start(volume: volume, threads: 3)
        #expect(try mint(server) == 200)

        // Four clients mint without pause, each on fresh connections (so on every loop), until told to stop.
        let stop = Atomic<Bool>(false)
        let statuses = Mutex<[Int]>([])
        let group = DispatchGroup()
        for _ in 0..<4 {
            DispatchQueue.global().async(group: group) {
                while !stop.load(ordering: .relaxed) {
                    let status = (try? mint(server)) ?? -1
                    statuses.withLock { $0.append(status) }
                }
            }
        }
        #expect(eventually(within: 10) { statuses.withLock { $0.count } >= 40 })
        try volume.publish(Self.newKey, version: "..2026_12_01_00_05_00.2")
        #expect(server.waitForLog("API key reloaded"))
        // Requests keep flowing across the swap.
        let atReload = statuses.withLock { $0.count }
        #expect(eventually(within: 10) { statuses.withLock { $0.count } >= atReload + 40 })
        stop.store(true, ordering: .relaxed)
        group.wait()

        let answered = statuses.withLock { $0 }
        #expect(answered.allSatisfy { $0 == 200 }, "\(answered.filter { $0 != 200 }.count) of \(answered.count) failed")
        let afterStream = try requestsByKey(fake)
        #expect(afterStream.count == 2 && afterStream[1] > 0)
        // Every request from here on starts after the swap: all of them carry the new key.
        for _ in 0..<12 {
            #expect(try mint(server) == 200)
        }
        let final = try requestsByKey(fake)
        #expect(final == [afterStream[0], afterStream[1] + 12])
        #expect(final.reduce(0, +) == answered.count + 1 + 12)
        let entry = server.logEntries.first { $0["message"] as? String == "API key reloaded" }
        #expect(entry?["trigger"] as? String == "file change")
        for output in [server.log, server.standardOutput] {
            #expect(!output.contains(Self.newKey) && !output.contains(Self.oldKey))
        }
    }

    @Test("SIGHUP reloads at once; a key file that fails validation keeps the current key and logs why, not the value")
    func sighupAndInvalidKey() throws {
        let volume = try SecretVolume(key: Self.oldKey)
        let (fake, server) = try start(volume: volume, threads: 2)

        // An invalid key (a space inside) replaces the file: refused, the old key stays.
        try volume.publish("cl_bad key", version: "..2026_12_01_00_05_00.2")
        server.signal(SIGHUP)
        #expect(server.waitForLog("API key reload failed; the current key stays in use"))
        #expect(try mint(server) == 200)
        #expect(try requestsByKey(fake) == [1, 0])

        try volume.publish(Self.newKey, version: "..2026_12_01_00_10_00.3")
        server.signal(SIGHUP)
        // SIGHUP reloads it, unless the periodic look found it first; then SIGHUP finds nothing left to do.
        #expect(eventually(within: 10) {
            let entries = server.logEntries.map { ($0["message"] as? String, $0["trigger"] as? String) }
            return entries.contains { $0 == ("API key reloaded", "SIGHUP") }
                || (entries.contains { $0 == ("API key reloaded", "file change") }
                    && entries.contains { $0 == ("API key file unchanged; nothing to reload", "SIGHUP") })
        })
        #expect(try mint(server) == 200)
        #expect(try requestsByKey(fake) == [1, 1])
        for output in [server.log, server.standardOutput] {
            #expect(!output.contains("cl_bad") && !output.contains(Self.newKey) && !output.contains(Self.oldKey))
        }
    }

    @Test("SIGHUP without a key file says there is nothing to reload, and the server keeps serving")
    func sighupWithoutKeyFile() throws {
        let server = try ServerProcess()
        server.signal(SIGHUP)
        #expect(server.waitForLog("SIGHUP: nothing to reload; the API key is not read from clientloop.api_key_file (CLIENTLOOP_API_KEY_FILE)"))
        #expect(try httpRequest(port: server.port, "GET", "/healthz").status == 200)
    }
}
