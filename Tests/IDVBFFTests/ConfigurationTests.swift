import Configuration
import Foundation
import Logging
import Testing

@testable import EventHTTP
@testable import IDVBFF

/// Loading, precedence, validation and redaction of ``AppConfiguration``.
///
/// The tests are spread over several `Configuration*Tests.swift` files as extensions of this suite.
/// Every test passes its environment explicitly and writes files to its own temporary directory.
@Suite struct ConfigurationTests {
    /// A distinctive API key, so any leak of it is easy to find.
    static let apiKey = "cl_live_Q7zK2mW9xV4pR8tY"

    /// The smallest environment that loads: the two required settings.
    static let requiredEnvironment = [
        "CLIENTLOOP_API_KEY": apiKey,
        "CLIENTLOOP_ORG_ID": "org-42",
    ]

    /// Loads a configuration that is expected to be valid.
    static func load(
        environment: [String: String] = requiredEnvironment,
        overrides: ConfigurationOverrides = ConfigurationOverrides(),
        processorCount: Int = 4
    ) async throws -> AppConfiguration {
        try await AppConfiguration.load(overrides: overrides, environment: environment, processorCount: processorCount)
    }

    /// Loads a configuration that is expected to be invalid and returns its problems.
    static func problems(
        environment: [String: String] = requiredEnvironment,
        overrides: ConfigurationOverrides = ConfigurationOverrides(),
        sourceLocation: SourceLocation = #_sourceLocation
    ) async -> [ConfigurationProblem] {
        do {
            let configuration = try await AppConfiguration.load(
                overrides: overrides,
                environment: environment,
                processorCount: 4
            )
            Issue.record("expected problems, loaded:\n\(configuration)", sourceLocation: sourceLocation)
            return []
        } catch {
            return error.problems
        }
    }

    /// `requiredEnvironment` with some variables added or replaced.
    static func environment(_ additions: [String: String]) -> [String: String] {
        requiredEnvironment.merging(additions) { _, added in added }
    }

    /// A directory under the system's temporary directory, removed when released.
    final class TemporaryDirectory {
        let path: String

        init() throws {
            path = FileManager.default.temporaryDirectory
                .appendingPathComponent("idv-bff-configuration-tests-\(UUID().uuidString)")
                .path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }

        /// Writes `contents` to a file called `name` in the directory and returns its path.
        func file(_ name: String, _ contents: String) throws -> String {
            let filePath = (path as NSString).appendingPathComponent(name)
            try contents.write(toFile: filePath, atomically: true, encoding: .utf8)
            return filePath
        }

        deinit {
            try? FileManager.default.removeItem(atPath: path)
        }
    }
}

// MARK: - Defaults and precedence

extension ConfigurationTests {
    @Test func defaultsApplyWhenNothingSet() async throws {
        let configuration = try await Self.load()

        #expect(configuration.http == HTTPSettings(host: "0.0.0.0", port: 8080, threads: 4, maxBodyBytes: 8192))
        #expect(configuration.clientLoop.apiKey == Secret(Self.apiKey))
        #expect(configuration.clientLoop.apiKeyFile == nil)
        #expect(configuration.clientLoop.orgId == "org-42")
        #expect(configuration.clientLoop.environment == .prod)
        #expect(configuration.clientLoop.graphURL.description == "https://graph.clientloop.com/")
        #expect(configuration.clientLoop.caFile == nil)
        #expect(configuration.clientLoop.timeoutMilliseconds == 10_000)
        #expect(configuration.log.level.rawValue == "info")
        #expect(configuration.shutdown == ShutdownSettings(delaySeconds: 0, graceSeconds: 10))
    }

    @Test(arguments: [(1, 1), (3, 3), (256, 256), (512, 256), (0, 1)])
    func defaultThreadsFollowProcessorCountWithinRange(processorCount: Int, expectedThreads: Int) async throws {
        let configuration = try await Self.load(processorCount: processorCount)
        #expect(configuration.http.threads == expectedThreads)
    }

    @Test func fileOverridesDefaults() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.file(
            "settings.yaml",
            """
            http:
              host: 127.0.0.1
              port: 9000
              threads: 3
              max_body_bytes: 4096
            clientloop:
              org_id: org-from-file
              env: stage
              graph_url: https://graph.stage.clientloop.com/graphql
              timeout_ms: 2500
            log:
              level: debug
            shutdown:
              delay_seconds: 0.5
              grace_seconds: 20
            """
        )
        let configuration = try await Self.load(
            environment: ["CLIENTLOOP_API_KEY": Self.apiKey],
            overrides: ConfigurationOverrides(configFile: file)
        )

        #expect(configuration.http == HTTPSettings(host: "127.0.0.1", port: 9000, threads: 3, maxBodyBytes: 4096))
        #expect(configuration.clientLoop.orgId == "org-from-file")
        #expect(configuration.clientLoop.environment == .stage)
        #expect(configuration.clientLoop.graphURL.description == "https://graph.stage.clientloop.com/graphql")
        #expect(configuration.clientLoop.timeoutMilliseconds == 2500)
        #expect(configuration.log.level.rawValue == "debug")
        #expect(configuration.shutdown == ShutdownSettings(delaySeconds: 0.5, graceSeconds: 20))
    }

    @Test func jsonFileOverridesDefaultsWithNumbersOrStrings() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.file(
            "settings.json",
            """
            {
              "http": { "host": "127.0.0.1", "port": 9000, "threads": "3", "max_body_bytes": 4096 },
              "clientloop": { "org_id": "org-from-json", "timeout_ms": 2500, "ca_file": null },
              "log": { "level": "warning" },
              "shutdown": { "delay_seconds": 0.5, "grace_seconds": 20 }
            }
            """
        )
        let configuration = try await Self.load(
            environment: ["CLIENTLOOP_API_KEY": Self.apiKey],
            overrides: ConfigurationOverrides(configFile: file)
        )

        #expect(configuration.http == HTTPSettings(host: "127.0.0.1", port: 9000, threads: 3, maxBodyBytes: 4096))
        #expect(configuration.clientLoop.orgId == "org-from-json")
        #expect(configuration.clientLoop.caFile == nil)
        #expect(configuration.clientLoop.timeoutMilliseconds == 2500)
        #expect(configuration.log.level.rawValue == "warning")
        #expect(configuration.shutdown == ShutdownSettings(delaySeconds: 0.5, graceSeconds: 20))
    }

    @Test func environmentOverridesFile() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.file(
            "settings.yaml",
            """
            http:
              host: 127.0.0.1
              port: 9000
              threads: 3
            clientloop:
              org_id: org-from-file
            """
        )
        let configuration = try await Self.load(
            environment: Self.environment(["HTTP_PORT": "9100", "CLIENTLOOP_ORG_ID": "org-from-environment"]),
            overrides: ConfigurationOverrides(configFile: file)
        )

        #expect(configuration.http.port == 9100)
        #expect(configuration.clientLoop.orgId == "org-from-environment")
        // Keys the environment leaves unset still come from the file.
        #expect(configuration.http.host == "127.0.0.1")
        #expect(configuration.http.threads == 3)
    }

    @Test func commandLineOverridesEnvironment() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.file("settings.json", #"{ "http": { "host": "10.0.0.1", "port": 9000 } }"#)
        let configuration = try await Self.load(
            environment: Self.environment(["HTTP_HOST": "127.0.0.2", "HTTP_PORT": "9100"]),
            overrides: ConfigurationOverrides(configFile: file, host: "127.0.0.3", port: "9200")
        )

        #expect(configuration.http.host == "127.0.0.3")
        #expect(configuration.http.port == 9200)
    }

    @Test func blankEnvironmentValueDoesNotHideFile() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.file("settings.yaml", "http:\n  port: 9000\n")
        let configuration = try await Self.load(
            environment: Self.environment(["HTTP_PORT": "  "]),
            overrides: ConfigurationOverrides(configFile: file, port: "")
        )

        #expect(configuration.http.port == 9000)
    }

    @Test func everyEnvironmentVariableIsRead() async throws {
        let directory = try TemporaryDirectory()
        let caFile = try directory.file("ca.pem", "-----BEGIN CERTIFICATE-----\n")
        let configuration = try await Self.load(environment: [
            "HTTP_HOST": "::1",
            "HTTP_PORT": "0",
            "HTTP_THREADS": "7",
            "HTTP_MAX_BODY_BYTES": "1048576",
            "HTTP_MAX_CONNECTIONS": "100",
            "HTTP_REQUEST_TIMEOUT_SECONDS": "5",
            "CLIENTLOOP_API_KEY": Self.apiKey,
            "CLIENTLOOP_ORG_ID": "org-7",
            "CLIENTLOOP_ENV": "stage",
            "CLIENTLOOP_GRAPH_URL": "http://127.0.0.1:9000/graphql",
            "CLIENTLOOP_CA_FILE": caFile,
            "CLIENTLOOP_TIMEOUT_MS": "120000",
            "LOG_LEVEL": "critical",
            "SHUTDOWN_DELAY_SECONDS": "300",
            "SHUTDOWN_GRACE_SECONDS": "3600",
        ])

        #expect(configuration.http == HTTPSettings(
            host: "::1", port: 0, threads: 7, maxBodyBytes: 1_048_576, maxConnections: 100, requestTimeoutSeconds: 5))
        #expect(configuration.clientLoop.orgId == "org-7")
        #expect(configuration.clientLoop.environment == .stage)
        #expect(configuration.clientLoop.graphURL.description == "http://127.0.0.1:9000/graphql")
        #expect(configuration.clientLoop.caFile == caFile)
        #expect(configuration.clientLoop.timeoutMilliseconds == 120_000)
        #expect(configuration.log.level.rawValue == "critical")
        #expect(configuration.shutdown == ShutdownSettings(delaySeconds: 300, graceSeconds: 3600))
    }

    @Test func surroundingWhitespaceIsIgnored() async throws {
        let configuration = try await Self.load(
            environment: Self.environment(["HTTP_PORT": " 9000\n", "LOG_LEVEL": " debug "])
        )
        #expect(configuration.http.port == 9000)
        #expect(configuration.log.level.rawValue == "debug")
    }

    @Test func settingsAreTrimmedOfASCIIWhitespaceOnly() {
        #expect(" \t\r\n\u{0B}\u{0C}key value\n\n".trimmingWhitespace() == "key value")
        #expect(" \n\t ".trimmingWhitespace() == "")
        #expect("".trimmingWhitespace() == "")
        // Other spaces are characters of the value: a key pasted with a no-break space must fail loudly upstream.
        #expect("\u{A0}key\u{2028}".trimmingWhitespace() == "\u{A0}key\u{2028}")
    }

    @Test func namesOfLogLevelsAndEnvironmentsIgnoreLetterCase() async throws {
        let configuration = try await Self.load(
            environment: Self.environment(["LOG_LEVEL": "WARNING", "CLIENTLOOP_ENV": "Prod"])
        )
        #expect(configuration.log.level.rawValue == "warning")
        #expect(configuration.clientLoop.environment == .prod)
    }

    @Test func portZeroAsksForAnEphemeralPort() async throws {
        let configuration = try await Self.load(overrides: ConfigurationOverrides(port: "0"))
        #expect(configuration.http.port == 0)
    }

    @Test func bracketedIPv6HostIsAccepted() async throws {
        let configuration = try await Self.load(overrides: ConfigurationOverrides(host: "[::]"))
        #expect(configuration.http.host == "::")
    }

    @Test func stageWithGraphURLLoads() async throws {
        let configuration = try await Self.load(
            environment: Self.environment([
                "CLIENTLOOP_ENV": "stage",
                "CLIENTLOOP_GRAPH_URL": "https://graph.stage.clientloop.com/",
            ])
        )
        #expect(configuration.clientLoop.environment == .stage)
        #expect(configuration.clientLoop.graphURL.host == "graph.stage.clientloop.com")
    }

    @Test func apiKeyFileIsTrimmed() async throws {
        let directory = try TemporaryDirectory()
        let keyFile = try directory.file("clientloop_api_key", "  \n\(Self.apiKey)\r\n\n")
        let configuration = try await Self.load(environment: [
            "CLIENTLOOP_API_KEY_FILE": keyFile,
            "CLIENTLOOP_ORG_ID": "org-42",
        ])

        #expect(configuration.clientLoop.apiKey.value == Self.apiKey)
        #expect(configuration.clientLoop.apiKeyFile == keyFile)
    }

    @Test func apiKeyFileIsFollowedThroughSymbolicLinks() async throws {
        // Kubernetes mounts secrets as symbolic links into a timestamped directory.
        let directory = try TemporaryDirectory()
        let keyFile = try directory.file("real_key", Self.apiKey + "\n")
        let link = (directory.path as NSString).appendingPathComponent("clientloop_api_key")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: keyFile)
        let configuration = try await Self.load(environment: [
            "CLIENTLOOP_API_KEY_FILE": link,
            "CLIENTLOOP_ORG_ID": "org-42",
        ])

        #expect(configuration.clientLoop.apiKey.value == Self.apiKey)
    }

    @Test func commentedOutYAMLFileHoldsNoSettings() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.file("settings.yml", "# http:\n#   port: 9000\n\n---\n")
        let configuration = try await Self.load(overrides: ConfigurationOverrides(configFile: file))
        #expect(configuration.http.port == 8080)
    }

    @Test(arguments: SettingKey.allCases)
    func environmentVariableNameMatchesTheLibrarysDerivation(key: SettingKey) async throws {
        // Problems name the variable; it must be the one swift-configuration actually reads.
        let provider = EnvironmentVariablesProvider(environmentVariables: [key.environmentVariable: "probe"])
        let lookup = try provider.value(forKey: AbsoluteConfigKey(ConfigKey(key.name)), type: .string)
        #expect(lookup.encodedKey == key.environmentVariable)
        #expect(lookup.value?.content == .string("probe"))
    }

    @Test func environmentVariableNamesAreTheDocumentedOnes() {
        #expect(SettingKey.allCases.map(\.environmentVariable) == [
            "HTTP_HOST", "HTTP_PORT", "HTTP_THREADS", "HTTP_MAX_BODY_BYTES", "HTTP_MAX_CONNECTIONS",
            "HTTP_REQUEST_TIMEOUT_SECONDS", "CLIENTLOOP_API_KEY", "CLIENTLOOP_API_KEY_FILE", "CLIENTLOOP_ORG_ID", "CLIENTLOOP_ENV",
            "CLIENTLOOP_GRAPH_URL", "CLIENTLOOP_CA_FILE", "CLIENTLOOP_TIMEOUT_MS", "CLIENTLOOP_POOL_SIZE",
            "CORS_ALLOWED_ORIGINS", "CORS_MAX_AGE_SECONDS", "RATE_LIMIT_PER_MINUTE", "RATE_LIMIT_BURST",
            "CLIENTLOOP_MAX_IN_FLIGHT", "PROXY_TRUSTED_CIDRS", "CONTACT_POLICY", "JWT_JWKS_FILE", "JWT_JWKS_URL",
            "JWT_JWKS_REFRESH_SECONDS", "JWT_ISSUER",
            "JWT_AUDIENCE", "JWT_ALGORITHMS", "JWT_LEEWAY_SECONDS", "JWT_CONTACT_CLAIM", "JWT_ALLOW_NEW_CONTACTS",
            "IDEMPOTENCY_TTL_SECONDS", "IDEMPOTENCY_MAX_ENTRIES", "LOG_LEVEL", "METRICS_ENABLED", "METRICS_PORT", "SHUTDOWN_DELAY_SECONDS", "SHUTDOWN_GRACE_SECONDS",
        ])
    }
}
