import Foundation
import IDVBFF
import Testing

/// Start-up with bad or inspected configuration, and the promise that the API key never reaches any output.
@Suite("Configuration at start-up")
struct ConfigurationProcessTests {
    @Test("invalid configuration stops start-up with exit 78 and one line per problem")
    func invalidConfigurationExits78() throws {
        var environment = ServerProcess.baseEnvironment()
        environment["CLIENTLOOP_API_KEY"] = nil
        environment["CLIENTLOOP_ORG_ID"] = nil
        environment["HTTP_PORT"] = "eighty"
        environment["CLIENTLOOP_ENV"] = "qa"
        let result = try ServerProcess.runToExit(environment: environment)
        #expect(result.status == 78)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.contains("clientloop.api_key") && $0.contains("CLIENTLOOP_API_KEY") })
        #expect(lines.contains { $0.contains("clientloop.org_id") && $0.contains("CLIENTLOOP_ORG_ID") })
        #expect(lines.contains { $0.contains("http.port") && $0.contains("HTTP_PORT") && $0.contains("eighty") })
        #expect(lines.contains { $0.contains("clientloop.env") && $0.contains("CLIENTLOOP_ENV") })
    }

    @Test("an API key with a byte that cannot go in a header stops start-up with 78, without echoing it",
          arguments: ["cl_live_abc\r\nX-Injected: 1", "cl_live abc", "cl_live_\u{7F}", "cl_live_é"])
    func apiKeyThatCannotBeAHeaderValueExits78(key: String) throws {
        var environment = ServerProcess.baseEnvironment()
        environment["CLIENTLOOP_API_KEY"] = key
        let result = try ServerProcess.runToExit(environment: environment)
        #expect(result.status == 78)
        #expect(result.stderr.contains("clientloop.api_key (CLIENTLOOP_API_KEY)"))
        #expect(!result.stderr.contains("cl_live"))
        #expect(!result.stdout.contains("cl_live"))
    }

    @Test("a graph URL that is not https is refused unless it is loopback")
    func plainHTTPGraphURLRefused() throws {
        var environment = ServerProcess.baseEnvironment()
        environment["CLIENTLOOP_GRAPH_URL"] = "http://graph.example.com/"
        let refused = try ServerProcess.runToExit(environment: environment, arguments: ["--check-config"])
        #expect(refused.status == 78)
        #expect(refused.stderr.contains("CLIENTLOOP_GRAPH_URL"))
        environment["CLIENTLOOP_GRAPH_URL"] = "http://127.0.0.1:9999/"
        #expect(try ServerProcess.runToExit(environment: environment, arguments: ["--check-config"]).status == 0)
    }

    @Test("--check-config prints the effective configuration with the key redacted and exits 0")
    func checkConfigRedactsKey() throws {
        let result = try ServerProcess.runToExit(environment: ServerProcess.baseEnvironment(), arguments: ["--check-config", "--port", "9090"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("http.port"))
        #expect(result.stdout.contains("9090"))
        #expect(result.stdout.contains("<redacted>"))
        #expect(!result.stdout.contains(TestSecrets.apiKey))
        #expect(!result.stderr.contains(TestSecrets.apiKey))
    }

    @Test("--version prints the version")
    func versionPrints() throws {
        let result = try ServerProcess.runToExit(environment: ServerProcess.baseEnvironment(), arguments: ["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
    }

    @Test("the API key appears nowhere in the server's output, at any log level")
    func apiKeyNeverInOutput() throws {
        var environment = ServerProcess.baseEnvironment(threads: 2)
        environment["LOG_LEVEL"] = "trace"
        let server = try ServerProcess(environment: environment)
        _ = try httpRequest(port: server.port, "GET", "/healthz", headers: [("Authorization", "Bearer nothing")])
        _ = try httpRequest(port: server.port, "POST", "/nowhere", body: Array("{}".utf8))
        server.signal(SIGTERM)
        #expect(server.waitForExit() == 0)
        #expect(!server.log.isEmpty)
        #expect(!server.log.contains(TestSecrets.apiKey))
        #expect(!server.standardOutput.contains(TestSecrets.apiKey))
    }

    @Test("the API key read from a file is not echoed when the configuration is rejected")
    func keyNotEchoedOnRejection() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("idv-bff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyFile = directory.appendingPathComponent("key")
        try "  \(TestSecrets.apiKey)\n".write(to: keyFile, atomically: true, encoding: .utf8)

        var environment = ServerProcess.baseEnvironment()
        environment["CLIENTLOOP_API_KEY_FILE"] = keyFile.path  // together with CLIENTLOOP_API_KEY: a problem
        let result = try ServerProcess.runToExit(environment: environment)
        #expect(result.status == 78)
        #expect(result.stderr.contains("CLIENTLOOP_API_KEY_FILE"))
        #expect(!result.stderr.contains(TestSecrets.apiKey))
        #expect(!result.stdout.contains(TestSecrets.apiKey))

        environment["CLIENTLOOP_API_KEY"] = nil
        let accepted = try ServerProcess.runToExit(environment: environment, arguments: ["--check-config"])
        #expect(accepted.status == 0)
        #expect(!accepted.stdout.contains(TestSecrets.apiKey))
    }
}

extension ConfigurationProcessTests {
    @Test("idv-bff --help shows the options a newcomer needs, not only the subcommands")
    func topLevelHelpShowsServeOptions() throws {
        let help = try ServerProcess.runToExit(environment: ServerProcess.baseEnvironment(), arguments: ["--help"])
        #expect(help.status == 0)
        for option in ["--demo", "--port", "--config", "--check-config", "healthcheck", "fake-clientloop"] {
            #expect(help.stdout.contains(option), "\(option) missing from --help")
        }
    }
}

extension ConfigurationProcessTests {
    @Test("--check-config says how the CORS origins apply, and a bad --port is reported as the flag's")
    func checkConfigNotesAndFlagAttribution() throws {
        var environment = ServerProcess.baseEnvironment()
        let sameOrigin = try ServerProcess.runToExit(environment: environment, arguments: ["--check-config"])
        #expect(sameOrigin.status == 0)
        #expect(sameOrigin.stdout.contains("note: \(CORSPolicy.sameOriginOnlyNote)"))

        environment["CORS_ALLOWED_ORIGINS"] = "https://app.example.com"
        let listed = try ServerProcess.runToExit(environment: environment, arguments: ["--check-config"])
        #expect(listed.stdout.contains("note: \(CORSPolicy.listedOriginsNote)"))
        #expect(!listed.stdout.contains(CORSPolicy.sameOriginOnlyNote))

        environment["HTTP_PORT"] = "8080"
        let badFlag = try ServerProcess.runToExit(environment: environment, arguments: ["--check-config", "--port", "70000"])
        #expect(badFlag.status == 78)
        #expect(badFlag.stderr.contains(#"http.port (--port): "70000" is not a port number (0-65535)"#))
        #expect(!badFlag.stderr.contains("HTTP_PORT"))
    }
}
