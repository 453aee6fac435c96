import Foundation
import Testing

@testable import EventHTTP
@testable import IDVBFF

// MARK: - Keeping the API key secret

extension ConfigurationTests {
    /// Pieces of the key that must not appear either, so a partial leak is caught too.
    static let apiKeyFragments = [apiKey, String(apiKey.prefix(10)), String(apiKey.suffix(10))]

    static func expectNoTraceOfAPIKey(in text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for fragment in apiKeyFragments {
            #expect(!text.contains(fragment), "the API key leaked into: \(text)", sourceLocation: sourceLocation)
        }
    }

    @Test func secretValueIsAvailableToCode() async throws {
        let configuration = try await Self.load()
        #expect(configuration.clientLoop.apiKey.value == Self.apiKey)
    }

    @Test func descriptionRedactsSecret() async throws {
        let configuration = try await Self.load()
        #expect(configuration.description.contains("clientloop.api_key") == true)
        #expect(configuration.description.contains("<redacted>"))
        Self.expectNoTraceOfAPIKey(in: configuration.description)
    }

    @Test func stringConversionsDoNotRevealSecret() async throws {
        let configuration = try await Self.load()
        Self.expectNoTraceOfAPIKey(in: String(describing: configuration))
        Self.expectNoTraceOfAPIKey(in: String(reflecting: configuration))
        Self.expectNoTraceOfAPIKey(in: "\(configuration.clientLoop)")
        Self.expectNoTraceOfAPIKey(in: String(reflecting: configuration.clientLoop))
        #expect(String(describing: configuration.clientLoop.apiKey) == "<redacted>")
        #expect(String(reflecting: configuration.clientLoop.apiKey) == "<redacted>")
    }

    @Test func dumpDoesNotRevealSecret() async throws {
        let configuration = try await Self.load()
        var output = ""
        dump(configuration, to: &output)
        #expect(output.contains("apiKey"))
        Self.expectNoTraceOfAPIKey(in: output)
    }

    @Test func mirrorOfSecretHasNoChildren() {
        #expect(Mirror(reflecting: Secret(Self.apiKey)).children.isEmpty)
    }

    @Test func descriptionListsEverySetting() async throws {
        let configuration = try await Self.load()
        #expect(configuration.description == """
            http.host                    = 0.0.0.0
            http.port                    = 8080
            http.threads                 = 4
            http.max_body_bytes          = 8192
            http.max_connections         = 4096
            http.request_timeout_seconds = 30
            clientloop.api_key           = <redacted>
            clientloop.api_key_file      = (not set)
            clientloop.org_id            = org-42
            clientloop.env               = prod
            clientloop.graph_url         = https://graph.clientloop.com/
            clientloop.ca_file           = (not set)
            clientloop.timeout_ms        = 10000
            clientloop.pool_size         = 16
            clientloop.max_in_flight     = 64
            cors.allowed_origins         = (same origin only)
            cors.max_age_seconds         = 600
            rate_limit.per_minute        = 30
            rate_limit.burst             = 10
            proxy.trusted_cidrs          = (not set)
            contact.policy               = none
            idempotency.ttl_seconds      = 600
            idempotency.max_entries      = 10000
            log.level                    = info
            metrics.enabled              = true
            metrics.port                 = (not set: /metrics on the main listener)
            shutdown.delay_seconds       = 0
            shutdown.grace_seconds       = 10
            """)
    }

    @Test func problemsNeverQuoteTheSecret() async throws {
        let directory = try TemporaryDirectory()
        let keyFile = try directory.file("key", Self.apiKey)
        let brokenYAML = try directory.file(
            "broken.yaml",
            "clientloop:\n  api_key: \(Self.apiKey)\n  org_id: [unterminated\n"
        )
        let brokenJSON = try directory.file(
            "broken.json",
            #"{ "clientloop": { "api_key": "\#(Self.apiKey)" "org_id": 1 } }"#
        )
        let misplacedKey = try directory.file(
            "misplaced.yaml",
            "clientloop:\n  api_key:\n    - \(Self.apiKey)\n"
        )
        let scenarios: [([String: String], ConfigurationOverrides)] = [
            (Self.environment(["CLIENTLOOP_API_KEY_FILE": keyFile]), ConfigurationOverrides()),
            (Self.environment(["HTTP_PORT": "x", "LOG_LEVEL": "loud"]), ConfigurationOverrides()),
            ([:], ConfigurationOverrides(configFile: brokenYAML)),
            ([:], ConfigurationOverrides(configFile: brokenJSON)),
            ([:], ConfigurationOverrides(configFile: misplacedKey)),
        ]
        for (environment, overrides) in scenarios {
            let problems = await Self.problems(environment: environment, overrides: overrides)
            #expect(!problems.isEmpty)
            Self.expectNoTraceOfAPIKey(in: ConfigurationError(problems: problems).description)
            Self.expectNoTraceOfAPIKey(in: String(reflecting: problems))
            var dumped = ""
            dump(ConfigurationError(problems: problems), to: &dumped)
            Self.expectNoTraceOfAPIKey(in: dumped)
        }
    }
}
