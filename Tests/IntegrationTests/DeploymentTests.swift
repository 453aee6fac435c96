import Foundation
import Testing

/// The deployment artefacts: the Kubernetes manifests and the container image's runtime stage.
@Suite("Deployment")
struct DeploymentTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized

    @Test("the Kubernetes manifests validate offline and agree with the README and the Dockerfile")
    func kubernetesManifests() throws {
        let result = try Self.run("/usr/bin/env", ["python3", Self.repository.appendingPathComponent("Tests/Deploy/check_manifests.py").path, Self.repository.path])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("egress: DNS and 443 only"))
    }

    /// Minutes of work (a static release build and a Debian root filesystem), so it runs when asked for:
    /// `IDV_BFF_VERIFY_IMAGE=1`, as root, with debootstrap installed. CI runs the script on its own.
    @Test("the runtime stage works in a bookworm root filesystem with exactly its packages",
          .enabled(if: ProcessInfo.processInfo.environment["IDV_BFF_VERIFY_IMAGE"] == "1"
              && getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/debootstrap")))
    func runtimeImage() throws {
        let result = try Self.run("/bin/bash", [Self.repository.appendingPathComponent("scripts/verify-image.sh").path])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("SIGTERM: exit 0"))
    }

    private static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
