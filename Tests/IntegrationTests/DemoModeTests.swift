import Foundation
import Testing

/// `idv-bff --demo`: the real request path against the in-process fake, with no credentials.
@Suite("Demo mode")
struct DemoModeTests {
    @Test("mints a fake token end to end with no key or org id, and says so loudly")
    func mintsWithoutCredentials() throws {
        let server = try ServerProcess(environment: ServerProcess.demoEnvironment(), arguments: ["--demo"])
        let response = try HTTPConnection(port: server.port)
            .request("POST", "/idv-session", headers: [("Content-Type", "application/json")], body: Array(#"{"contactId":"demo_1"}"#.utf8))
        #expect(response.status == 200)
        #expect((response.json?["token"] as? String)?.hasPrefix("link-sandbox-") == true)
        let warning = try #require(server.logEntries.first { ($0["message"] as? String)?.contains("DEMO MODE") == true })
        #expect(warning["level"] as? String == "warning")
        #expect((warning["message"] as? String)?.contains("FAKE") == true)
    }

    @Test("refuses to run against a configured graph URL")
    func refusesRealGraphURL() throws {
        var environment = ServerProcess.demoEnvironment()
        environment["CLIENTLOOP_GRAPH_URL"] = "https://graph.clientloop.com/"
        let result = try ServerProcess.runToExit(environment: environment, arguments: ["--demo"])
        #expect(result.status == 78)
        #expect(result.stderr.contains("CLIENTLOOP_GRAPH_URL"))
        #expect(result.stderr.contains("--demo"))
    }
}
