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

    @Test(arguments: [
        ("graph.clientloop.com", UpstreamURL.Rejection.notAbsolute),
        ("localhost:9000/graphql", .notAbsolute),
        ("https:/graph.example.com/", .notAbsolute),
        (" https://graph.example.com/", .notAbsolute),
        ("https://", .notAbsolute),
        ("https://:443/", .notAbsolute),
        ("ftp://graph.example.com/", .unsupportedScheme("ftp")),
        ("https://user:secret@graph.example.com/", .containsCredentials),
        ("https://graph.example.com@evil.example/", .containsCredentials),
        ("https://graph.example.com/?debug=1", .containsQuery),
        ("https://graph.example.com?", .containsQuery),
        ("https://graph.example.com/#top", .containsFragment),
        ("https://graph.example.com:0/", .invalidPort),
        ("https://graph.example.com:65536/", .invalidPort),
        ("https://graph.example.com:/", .invalidPort),
        ("https://graph.example.com:44x/", .invalidPort),
        ("https://graph..example.com/", .invalidHost),
        ("https://gräph.example.com/", .invalidHost),
        ("https://graph example.com/", .invalidHost),
        ("https://[::1/", .invalidHost),
        ("https://[graph]/", .invalidHost),
        ("https://graph.example.com/a b", .invalidPath),
        ("https://graph.example.com/%zz", .invalidPath),
        ("https://graph.example.com/%4", .invalidPath),
        ("https://graph.example.com/\\x", .invalidPath),
        ("https://graph.example.com/é", .invalidPath),
    ])
    func graphURLRejections(text: String, rejection: UpstreamURL.Rejection) {
        #expect(throws: rejection) {
            try UpstreamURL(validating: text)
        }
    }

    @Test func graphURLKeepsItsPercentEncodedPath() throws {
        let url = try UpstreamURL(validating: "https://graph.example.com/v1/a%2Fb;x=1/@:~!$&'()*+,=")
        #expect(url.path == "/v1/a%2Fb;x=1/@:~!$&'()*+,=")
    }

    @Test func rejectionsNeverQuoteTheURL() {
        let rejection = #expect(throws: UpstreamURL.Rejection.self) {
            try UpstreamURL(validating: "https://user:hunter2@graph.example.com/")
        }
        #expect(rejection.map { "\($0)".contains("hunter2") } == false)
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
