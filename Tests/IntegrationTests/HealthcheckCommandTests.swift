import Foundation
import Testing

/// `idv-bff healthcheck`, the container image's HEALTHCHECK.
@Suite("healthcheck subcommand")
struct HealthcheckCommandTests {
    @Test("exits 0 when /healthz answers 200, found by --url or HTTP_PORT; 1 with a reason when nothing answers")
    func healthcheck() throws {
        let server = try ServerProcess()
        let path = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        let byURL = try ServerProcess.runToExit(environment: path, arguments: ["healthcheck", "--url", "http://127.0.0.1:\(server.port)/healthz"])
        #expect(byURL.status == 0)
        #expect(byURL.stderr.isEmpty)
        let byPort = try ServerProcess.runToExit(environment: path.merging(["HTTP_PORT": String(server.port)]) { $1 }, arguments: ["healthcheck"])
        #expect(byPort.status == 0)

        let notFound = try ServerProcess.runToExit(environment: path, arguments: ["healthcheck", "--url", "http://127.0.0.1:\(server.port)/nothing-here"])
        #expect(notFound.status == 1)
        #expect(notFound.stderr.contains("answered 404"))
        let closedPort = try ServerProcess.unusedPort()
        let refused = try ServerProcess.runToExit(environment: path, arguments: ["healthcheck", "--url", "http://127.0.0.1:\(closedPort)/healthz", "--timeout", "1"])
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("idv-bff healthcheck: http://127.0.0.1:\(closedPort)/healthz"))
    }
}
