import Testing
@testable import EventHTTP
@testable import IDVBFF

@Suite("Demo mode configuration")
struct DemoConfigurationTests {
    private func load(_ environment: [String: String]) async throws(ConfigurationError) -> AppConfiguration {
        try await AppConfiguration.load(overrides: ConfigurationOverrides(demo: true), environment: environment, processorCount: 2)
    }

    @Test func needsNoKeyOrOrg() async throws {
        let configuration = try await load([:])
        #expect(configuration.clientLoop.apiKey == ClientLoopSettings.demoAPIKey)
        #expect(configuration.clientLoop.orgId == ClientLoopSettings.demoOrgID)
        #expect(configuration.clientLoop.graphURL.scheme == .http)
        #expect(configuration.clientLoop.graphURL.host == "127.0.0.1")
    }

    @Test func checkConfigSaysTheGraphURLIsTheInProcessFake() async throws {
        let configuration = try await load([:])
        let line = configuration.description.split(separator: "\n").first { $0.hasPrefix("clientloop.graph_url ") }
        #expect(line?.hasSuffix(" = (the in-process fake ClientLoop, on a port chosen at start-up)") == true)
        #expect(!configuration.description.contains(":0/"))
    }

    @Test func neverUsesARealKeyFromTheEnvironment() async throws {
        let configuration = try await load(["CLIENTLOOP_API_KEY": "real-key", "CLIENTLOOP_ORG_ID": "org-real"])
        #expect(configuration.clientLoop.apiKey == ClientLoopSettings.demoAPIKey)
        #expect(configuration.clientLoop.orgId == "org-real")
    }

    @Test func refusesAGraphURL() async {
        await #expect(throws: ConfigurationError.self) {
            try await load(["CLIENTLOOP_GRAPH_URL": "https://graph.clientloop.com/"])
        }
        do {
            _ = try await load(["CLIENTLOOP_GRAPH_URL": "https://graph.clientloop.com/"])
        } catch {
            #expect(error.problems.map(\.key) == ["clientloop.graph_url"])
            #expect(error.problems[0].message.contains("--demo"))
        }
    }
}
