import Foundation
import Testing

@testable import EventHTTP
@testable import IDVBFF

// MARK: - The configuration file

extension ConfigurationTests {
    @Test func missingConfigFileIsAProblemNamingThePath() async throws {
        let directory = try TemporaryDirectory()
        let file = (directory.path as NSString).appendingPathComponent("absent.yaml")
        let problems = await Self.problems(overrides: ConfigurationOverrides(configFile: file))
        #expect(problems.map(\.description) == [#"config: "\#(file)" does not exist"#])
    }

    @Test func configFileWithUnknownExtensionIsAProblem() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.file("settings.toml", "port = 9000\n")
        let problems = await Self.problems(overrides: ConfigurationOverrides(configFile: file))
        #expect(problems.map(\.description) == [
            #"config: "\#(file)" has an unsupported extension; use .yaml, .yml or .json"#
        ])
    }

    @Test func invalidYAMLIsAProblemNamingThePath() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.file("settings.yaml", "http:\n  port: [9000\n")
        let problems = await Self.problems(overrides: ConfigurationOverrides(configFile: file))
        #expect(problems.count == 1)
        #expect(problems.first?.key == "config")
        #expect(problems.first?.environmentVariable == nil)
        #expect(problems.first?.message.hasPrefix(#""\#(file)" is not valid YAML: "#) == true)
        #expect(problems.first?.description.contains("\n") == false)
    }

    @Test func invalidJSONIsAProblemNamingThePath() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.file("settings.json", #"{ "http": { "port": 9000, } "#)
        let problems = await Self.problems(overrides: ConfigurationOverrides(configFile: file))
        #expect(problems.count == 1)
        #expect(problems.first?.message.hasPrefix(#""\#(file)" is not valid JSON: "#) == true)
        #expect(problems.first?.description.contains("\n") == false)
    }

    @Test func jsonFileThatIsNotAnObjectIsAProblem() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.file("settings.json", "[1, 2, 3]")
        let problems = await Self.problems(overrides: ConfigurationOverrides(configFile: file))
        #expect(problems.map(\.key) == ["config"])
    }

    @Test func otherProblemsAreReportedAlongsideABrokenFile() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.file("settings.yaml", "http: [\n")
        let problems = await Self.problems(
            environment: Self.environment(["LOG_LEVEL": "loud"]),
            overrides: ConfigurationOverrides(configFile: file)
        )
        #expect(problems.map(\.key) == ["config", "log.level"])
    }

    @Test func listInsteadOfSingleValueIsAProblem() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.file("settings.yaml", "http:\n  port: [9000, 9001]\n")
        let problems = await Self.problems(overrides: ConfigurationOverrides(configFile: file))
        #expect(problems.map(\.description) == ["http.port (HTTP_PORT): must be a single text or number value"])
    }

    @Test func jsonListInsteadOfSingleValueIsAProblem() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.file("settings.json", #"{ "log": { "level": ["debug"] } }"#)
        let problems = await Self.problems(overrides: ConfigurationOverrides(configFile: file))
        #expect(problems.map(\.description) == ["log.level (LOG_LEVEL): must be a single text or number value"])
    }

    @Test func malformedNumberInFileIsAProblem() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.file("settings.yaml", "http:\n  port: eighty\n")
        let problems = await Self.problems(overrides: ConfigurationOverrides(configFile: file))
        #expect(problems.map(\.description) == [#"http.port (HTTP_PORT): "eighty" is not a port number (0-65535)"#])
    }

    @Test func apiKeyCanComeFromTheFile() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.file(
            "settings.yaml",
            "clientloop:\n  api_key: \(Self.apiKey)\n  org_id: org-42\n"
        )
        let configuration = try await Self.load(environment: [:], overrides: ConfigurationOverrides(configFile: file))
        #expect(configuration.clientLoop.apiKey.value == Self.apiKey)
    }

    @Test("the example files load as shipped with a key and a real organisation id, and in demo mode with neither",
          arguments: ["idv-bff.example.yaml", "idv-bff.example.json"])
    func exampleFileLoads(name: String) async throws {
        let configuration = try await Self.load(
            environment: ["CLIENTLOOP_API_KEY": Self.apiKey, "CLIENTLOOP_ORG_ID": "35dHMM4pFzIykUsys1CDyZ9Xtkz"],
            overrides: ConfigurationOverrides(configFile: Self.exampleFile(name))
        )
        #expect(configuration.clientLoop.apiKey.value == Self.apiKey)
        let demo = try await Self.load(environment: [:], overrides: ConfigurationOverrides(configFile: Self.exampleFile(name), demo: true))
        #expect(demo.clientLoop.graphURL == ClientLoopSettings.demoGraphURL)
        #expect(demo.clientLoop.orgId == ClientLoopSettings.demoOrgID)
    }

    @Test("the example's placeholder organisation id is refused, saying what to set", arguments: ["idv-bff.example.yaml", "idv-bff.example.json"])
    func examplePlaceholderIsRefused(name: String) async throws {
        let problems = await Self.problems(
            environment: ["CLIENTLOOP_API_KEY": Self.apiKey],
            overrides: ConfigurationOverrides(configFile: Self.exampleFile(name))
        )
        #expect(problems.map(\.key) == ["clientloop.org_id"])
        #expect(problems.first?.message.contains("placeholder") == true)
    }

    @Test func exampleFilesAgree() async throws {
        let environment = ["CLIENTLOOP_API_KEY": Self.apiKey, "CLIENTLOOP_ORG_ID": "org-42"]
        let fromYAML = try await Self.load(
            environment: environment,
            overrides: ConfigurationOverrides(configFile: Self.exampleFile("idv-bff.example.yaml"))
        )
        let fromJSON = try await Self.load(
            environment: environment,
            overrides: ConfigurationOverrides(configFile: Self.exampleFile("idv-bff.example.json"))
        )
        #expect(fromYAML == fromJSON)
    }

    @Test(arguments: ["idv-bff.example.yaml", "idv-bff.example.json"])
    func exampleFileMentionsEveryKeyAndVariable(name: String) throws {
        let text = try String(contentsOfFile: Self.exampleFile(name), encoding: .utf8)
        for key in SettingKey.allCases {
            let leafName = String(key.name.split(separator: ".").last ?? "")
            #expect(text.contains(leafName), "\(name) lacks \(key.name)")
            if name.hasSuffix(".yaml") {
                #expect(text.contains(key.environmentVariable), "\(name) lacks \(key.environmentVariable)")
            }
        }
    }

    /// The path of a file in the repository's `Config` directory.
    static func exampleFile(_ name: String) -> String {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // IDVBFFTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // repository root
            .appendingPathComponent("Config")
            .appendingPathComponent(name)
            .path
    }
}
