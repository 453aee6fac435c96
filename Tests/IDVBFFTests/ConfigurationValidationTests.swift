import Foundation
import Testing

@testable import EventHTTP
@testable import IDVBFF

// MARK: - Problems with individual settings

extension ConfigurationTests {
    @Test func missingAPIKeyIsAProblem() async {
        let problems = await Self.problems(environment: ["CLIENTLOOP_ORG_ID": "org-42"])
        #expect(problems.map(\.description) == [
            "clientloop.api_key (CLIENTLOOP_API_KEY): is required; set it or clientloop.api_key_file (CLIENTLOOP_API_KEY_FILE)"
        ])
    }

    @Test func missingOrgIdIsAProblem() async {
        let problems = await Self.problems(environment: ["CLIENTLOOP_API_KEY": Self.apiKey])
        #expect(problems == [
            ConfigurationProblem(key: "clientloop.org_id", environmentVariable: "CLIENTLOOP_ORG_ID", message: "is required")
        ])
    }

    @Test func emptyValuesCountAsMissing() async {
        let problems = await Self.problems(environment: ["CLIENTLOOP_API_KEY": "", "CLIENTLOOP_ORG_ID": " \n"])
        #expect(problems.map(\.key) == ["clientloop.api_key", "clientloop.org_id"])
    }

    @Test func bothApiKeyAndFileIsAProblem() async throws {
        let directory = try TemporaryDirectory()
        let keyFile = try directory.file("key", "another-key\n")
        let problems = await Self.problems(environment: Self.environment(["CLIENTLOOP_API_KEY_FILE": keyFile]))
        #expect(problems.map(\.description) == [
            "clientloop.api_key (CLIENTLOOP_API_KEY): is set together with clientloop.api_key_file (CLIENTLOOP_API_KEY_FILE); set only one of them"
        ])
    }

    @Test func missingAPIKeyFileIsAProblem() async throws {
        let directory = try TemporaryDirectory()
        let keyFile = (directory.path as NSString).appendingPathComponent("absent")
        let problems = await Self.problems(environment: [
            "CLIENTLOOP_API_KEY_FILE": keyFile,
            "CLIENTLOOP_ORG_ID": "org-42",
        ])
        #expect(problems.map(\.description) == [
            "clientloop.api_key_file (CLIENTLOOP_API_KEY_FILE): \"\(keyFile)\" does not exist"
        ])
    }

    @Test func apiKeyFileThatIsADirectoryIsAProblem() async throws {
        let directory = try TemporaryDirectory()
        let problems = await Self.problems(environment: [
            "CLIENTLOOP_API_KEY_FILE": directory.path,
            "CLIENTLOOP_ORG_ID": "org-42",
        ])
        #expect(problems.map(\.description) == [
            "clientloop.api_key_file (CLIENTLOOP_API_KEY_FILE): \"\(directory.path)\" is a directory, not a file"
        ])
    }

    @Test func apiKeyFileThatIsNotARegularFileIsAProblem() async {
        // A device would never end; it is refused before it is read.
        let problems = await Self.problems(environment: [
            "CLIENTLOOP_API_KEY_FILE": "/dev/zero",
            "CLIENTLOOP_ORG_ID": "org-42",
        ])
        #expect(problems.map(\.description) == [
            "clientloop.api_key_file (CLIENTLOOP_API_KEY_FILE): \"/dev/zero\" is not a regular file"
        ])
    }

    @Test func emptyAPIKeyFileIsAProblem() async throws {
        let directory = try TemporaryDirectory()
        let keyFile = try directory.file("key", " \n\t\n")
        let problems = await Self.problems(environment: [
            "CLIENTLOOP_API_KEY_FILE": keyFile,
            "CLIENTLOOP_ORG_ID": "org-42",
        ])
        #expect(problems.map(\.description) == [
            "clientloop.api_key_file (CLIENTLOOP_API_KEY_FILE): \"\(keyFile)\" is empty"
        ])
    }

    @Test func portThatIsNotANumberIsAProblem() async {
        let problems = await Self.problems(overrides: ConfigurationOverrides(port: "abc"))
        #expect(problems.map(\.description) == [#"http.port (--port): "abc" is not a port number (0-65535)"#])
    }

    @Test func aPortProblemNamesWhereTheValueWasSet() async {
        let fromEnvironment = await Self.problems(environment: Self.requiredEnvironment.merging(["HTTP_PORT": "70000"]) { $1 })
        #expect(fromEnvironment.map(\.description) == [#"http.port (HTTP_PORT): "70000" is not a port number (0-65535)"#])
        // The flag wins over the variable, so only its value can be at fault.
        let overridden = await Self.problems(
            environment: Self.requiredEnvironment.merging(["HTTP_PORT": "8080"]) { $1 }, overrides: ConfigurationOverrides(port: "70000"))
        #expect(overridden.map(\.description) == [#"http.port (--port): "70000" is not a port number (0-65535)"#])
    }

    @Test(arguments: [
        ("HTTP_PORT", "65536", #"http.port (HTTP_PORT): "65536" is not a port number (0-65535)"#),
        ("HTTP_PORT", "-1", #"http.port (HTTP_PORT): "-1" is not a port number (0-65535)"#),
        ("HTTP_PORT", "80.5", #"http.port (HTTP_PORT): "80.5" is not a port number (0-65535)"#),
        ("HTTP_THREADS", "0", #"http.threads (HTTP_THREADS): "0" is not a thread count (1-256)"#),
        ("HTTP_THREADS", "257", #"http.threads (HTTP_THREADS): "257" is not a thread count (1-256)"#),
        ("HTTP_THREADS", "many", #"http.threads (HTTP_THREADS): "many" is not a thread count (1-256)"#),
        ("HTTP_MAX_BODY_BYTES", "0", #"http.max_body_bytes (HTTP_MAX_BODY_BYTES): "0" is not a byte count (1-1048576)"#),
        ("HTTP_MAX_BODY_BYTES", "1048577", #"http.max_body_bytes (HTTP_MAX_BODY_BYTES): "1048577" is not a byte count (1-1048576)"#),
        ("HTTP_MAX_BODY_BYTES", "8k", #"http.max_body_bytes (HTTP_MAX_BODY_BYTES): "8k" is not a byte count (1-1048576)"#),
        ("HTTP_MAX_CONNECTIONS", "0", #"http.max_connections (HTTP_MAX_CONNECTIONS): "0" is not a connection count (1-1000000)"#),
        ("HTTP_REQUEST_TIMEOUT_SECONDS", "0", #"http.request_timeout_seconds (HTTP_REQUEST_TIMEOUT_SECONDS): "0" is not a number of seconds (1-600)"#),
        ("HTTP_REQUEST_TIMEOUT_SECONDS", "1.5", #"http.request_timeout_seconds (HTTP_REQUEST_TIMEOUT_SECONDS): "1.5" is not a number of seconds (1-600)"#),
        ("CLIENTLOOP_TIMEOUT_MS", "99", #"clientloop.timeout_ms (CLIENTLOOP_TIMEOUT_MS): "99" is not a timeout in milliseconds (100-120000)"#),
        ("CLIENTLOOP_TIMEOUT_MS", "120001", #"clientloop.timeout_ms (CLIENTLOOP_TIMEOUT_MS): "120001" is not a timeout in milliseconds (100-120000)"#),
        ("CLIENTLOOP_TIMEOUT_MS", "10s", #"clientloop.timeout_ms (CLIENTLOOP_TIMEOUT_MS): "10s" is not a timeout in milliseconds (100-120000)"#),
        ("CLIENTLOOP_POOL_SIZE", "0", #"clientloop.pool_size (CLIENTLOOP_POOL_SIZE): "0" is not a connection count (1-1024)"#),
        ("CLIENTLOOP_POOL_SIZE", "many", #"clientloop.pool_size (CLIENTLOOP_POOL_SIZE): "many" is not a connection count (1-1024)"#),
        ("SHUTDOWN_DELAY_SECONDS", "-0.5", #"shutdown.delay_seconds (SHUTDOWN_DELAY_SECONDS): "-0.5" is not a number of seconds (0-300)"#),
        ("SHUTDOWN_DELAY_SECONDS", "300.5", #"shutdown.delay_seconds (SHUTDOWN_DELAY_SECONDS): "300.5" is not a number of seconds (0-300)"#),
        ("SHUTDOWN_DELAY_SECONDS", "soon", #"shutdown.delay_seconds (SHUTDOWN_DELAY_SECONDS): "soon" is not a number of seconds (0-300)"#),
        ("SHUTDOWN_GRACE_SECONDS", "3601", #"shutdown.grace_seconds (SHUTDOWN_GRACE_SECONDS): "3601" is not a number of seconds (0-3600)"#),
        ("SHUTDOWN_GRACE_SECONDS", "nan", #"shutdown.grace_seconds (SHUTDOWN_GRACE_SECONDS): "nan" is not a number of seconds (0-3600)"#),
        ("SHUTDOWN_GRACE_SECONDS", "inf", #"shutdown.grace_seconds (SHUTDOWN_GRACE_SECONDS): "inf" is not a number of seconds (0-3600)"#),
    ])
    func unparsableOrOutOfRangeNumberIsAProblem(variable: String, value: String, expected: String) async {
        let problems = await Self.problems(environment: Self.environment([variable: value]))
        #expect(problems.map(\.description) == [expected])
    }

    @Test func hostWithPortIsAProblem() async {
        let problems = await Self.problems(overrides: ConfigurationOverrides(host: "0.0.0.0:8080"))
        #expect(problems.map(\.description) == [
            #"http.host (--host): "0.0.0.0:8080" includes a port; set http.port (HTTP_PORT) instead"#
        ])
    }

    @Test func hostWithSpacesIsAProblem() async {
        let problems = await Self.problems(environment: Self.environment(["HTTP_HOST": "my host"]))
        #expect(problems.map(\.description) == [#"http.host (HTTP_HOST): "my host" is not a host name or IP address"#])
    }

    @Test func unknownClientLoopEnvironmentIsAProblem() async {
        let problems = await Self.problems(environment: Self.environment(["CLIENTLOOP_ENV": "qa"]))
        #expect(problems.map(\.description) == [
            #"clientloop.env (CLIENTLOOP_ENV): "qa" is not a ClientLoop environment (prod, stage)"#
        ])
    }

    @Test func stageWithoutGraphURLIsAProblem() async {
        let problems = await Self.problems(environment: Self.environment(["CLIENTLOOP_ENV": "stage"]))
        #expect(problems.map(\.description) == [
            #"clientloop.graph_url (CLIENTLOOP_GRAPH_URL): is required when clientloop.env is "stage""#
        ])
    }

    @Test(arguments: [
        ("graph.clientloop.com", "is not an absolute URL such as https://host.example/path"),
        ("/graphql", "is not an absolute URL such as https://host.example/path"),
        ("https://", "is not an absolute URL such as https://host.example/path"),
        ("ftp://graph.clientloop.com/", #"has the scheme "ftp"; use https"#),
        ("https://user:hunter2@graph.clientloop.com/", "must not contain a user name or password"),
        ("https://user@graph.clientloop.com/", "must not contain a user name or password"),
        ("https://graph.clientloop.com/#section", "must not contain a fragment"),
        ("https://graph.clientloop.com/?debug=1", "must not contain a query"),
        ("https://graph.clientloop.com:0/", "has a port outside 1-65535"),
        (
            "http://graph.clientloop.com/",
            #"uses plain http with "graph.clientloop.com"; use https (http is allowed only for localhost, 127.0.0.0/8 and ::1)"#
        ),
    ])
    func invalidGraphURLIsAProblem(url: String, expectedMessage: String) async {
        let problems = await Self.problems(environment: Self.environment(["CLIENTLOOP_GRAPH_URL": url]))
        #expect(problems == [
            ConfigurationProblem(key: "clientloop.graph_url", environmentVariable: "CLIENTLOOP_GRAPH_URL", message: expectedMessage)
        ])
    }

    @Test func graphURLProblemNeverQuotesCredentials() async {
        let problems = await Self.problems(
            environment: Self.environment(["CLIENTLOOP_GRAPH_URL": "http://admin:hunter2@example.com/"])
        )
        #expect(problems.count == 1)
        #expect(!problems.description.contains("hunter2"))
    }

    @Test func unknownLogLevelIsAProblem() async {
        let problems = await Self.problems(environment: Self.environment(["LOG_LEVEL": "verbose"]))
        #expect(problems.map(\.description) == [
            #"log.level (LOG_LEVEL): "verbose" is not a log level (trace, debug, info, notice, warning, error, critical)"#
        ])
    }

    @Test func unreadableCAFileIsAProblem() async throws {
        let directory = try TemporaryDirectory()
        let caFile = (directory.path as NSString).appendingPathComponent("missing-ca.pem")
        let problems = await Self.problems(environment: Self.environment(["CLIENTLOOP_CA_FILE": caFile]))
        #expect(problems.map(\.description) == [#"clientloop.ca_file (CLIENTLOOP_CA_FILE): "\#(caFile)" does not exist"#])
    }

    @Test func caFileThatIsADirectoryIsAProblem() async throws {
        let directory = try TemporaryDirectory()
        let problems = await Self.problems(environment: Self.environment(["CLIENTLOOP_CA_FILE": directory.path]))
        #expect(problems.map(\.description) == [
            #"clientloop.ca_file (CLIENTLOOP_CA_FILE): "\#(directory.path)" is a directory, not a file"#
        ])
    }

    @Test func readableCAFileIsAccepted() async throws {
        let directory = try TemporaryDirectory()
        let caFile = try directory.file("extra-ca.pem", "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n")
        let configuration = try await Self.load(environment: Self.environment(["CLIENTLOOP_CA_FILE": caFile]))
        #expect(configuration.clientLoop.caFile == caFile)
    }

    @Test func reportsEveryProblemAtOnce() async {
        let problems = await Self.problems(
            environment: [
                "HTTP_THREADS": "0",
                "HTTP_MAX_BODY_BYTES": "huge",
                "CLIENTLOOP_ENV": "dev",
                "CLIENTLOOP_CA_FILE": "/nonexistent/ca.pem",
                "CLIENTLOOP_TIMEOUT_MS": "5",
                "LOG_LEVEL": "loud",
                "SHUTDOWN_DELAY_SECONDS": "-1",
                "SHUTDOWN_GRACE_SECONDS": "forever",
            ],
            overrides: ConfigurationOverrides(host: "a b", port: "abc")
        )
        #expect(problems.map(\.key) == [
            "http.host", "http.port", "http.threads", "http.max_body_bytes",
            "clientloop.api_key", "clientloop.org_id", "clientloop.env", "clientloop.ca_file", "clientloop.timeout_ms",
            "log.level", "shutdown.delay_seconds", "shutdown.grace_seconds",
        ])
    }

    @Test func errorDescriptionListsEachProblemOnItsOwnLine() async {
        let problems = await Self.problems(environment: [:])
        let error = ConfigurationError(problems: problems)
        #expect(error.description == """
            invalid configuration (2 problems):
              - clientloop.api_key (CLIENTLOOP_API_KEY): is required; set it or clientloop.api_key_file (CLIENTLOOP_API_KEY_FILE)
              - clientloop.org_id (CLIENTLOOP_ORG_ID): is required
            """)
    }
}
