import Testing

@testable import EventHTTP
@testable import IDVBFF

// MARK: - The upstream GraphQL endpoint

extension ConfigurationTests {
    @Test func graphURLIsSplitIntoItsParts() throws {
        let url = try UpstreamURL(validating: "HTTPS://Graph.Example.COM:8443/v1/graphql")
        #expect(url.scheme == .https)
        #expect(url.usesTLS)
        #expect(url.host == "graph.example.com")
        #expect(url.port == 8443)
        #expect(url.path == "/v1/graphql")
        #expect(url.authority == "graph.example.com:8443")
        #expect(url.description == "https://graph.example.com:8443/v1/graphql")
    }

    @Test func graphURLDefaultsPortAndPath() throws {
        let secure = try UpstreamURL(validating: "https://graph.clientloop.com")
        #expect(secure.port == 443)
        #expect(secure.path == "/")
        #expect(secure.authority == "graph.clientloop.com")
        #expect(secure == .clientLoopProduction)

        let plain = try UpstreamURL(validating: "http://localhost")
        #expect(plain.port == 80)
        #expect(!plain.usesTLS)
        #expect(plain.description == "http://localhost/")
    }

    @Test func graphURLWithIPv6HostIsUnbracketed() throws {
        let url = try UpstreamURL(validating: "http://[::1]:9000/graphql")
        #expect(url.host == "::1")
        #expect(url.port == 9000)
        #expect(url.authority == "[::1]:9000")
        #expect(url.description == "http://[::1]:9000/graphql")
    }

    @Test(arguments: [
        "http://localhost:9000/", "http://LOCALHOST/", "http://127.0.0.1:9000/", "http://127.255.0.9/",
        "http://[::1]:9000/", "http://[0:0:0:0:0:0:0:1]/",
    ])
    func plainHTTPAllowedForLoopback(url: String) throws {
        #expect(try UpstreamURL(validating: url).scheme == .http)
    }

    @Test(arguments: [
        "http://example.com/", "http://10.0.0.1/", "http://128.0.0.1/", "http://[::2]/", "http://localhost.example.com/",
        "http://127.0.0.1.example.com/",
    ])
    func plainHTTPRejectedForOtherHosts(url: String) {
        let rejection = #expect(throws: UpstreamURL.Rejection.self) {
            try UpstreamURL(validating: url)
        }
        guard case .plainHTTPToNonLoopbackHost? = rejection else {
            Issue.record("expected plain http to be rejected, got \(String(describing: rejection))")
            return
        }
    }

    @Test func plainHTTPAllowedOnlyForLoopback() async throws {
        let loopback = try await Self.load(
            environment: Self.environment(["CLIENTLOOP_GRAPH_URL": "http://127.0.0.1:9000/"])
        )
        #expect(loopback.clientLoop.graphURL.description == "http://127.0.0.1:9000/")

        let problems = await Self.problems(
            environment: Self.environment(["CLIENTLOOP_GRAPH_URL": "http://192.168.1.10:9000/"])
        )
        #expect(problems.map(\.key) == ["clientloop.graph_url"])
    }

    @Test func environmentsKnowTheirDefaultEndpoint() {
        #expect(ClientLoopEnvironment.prod.defaultGraphURL == .clientLoopProduction)
        #expect(ClientLoopEnvironment.stage.defaultGraphURL == nil)
    }
}
