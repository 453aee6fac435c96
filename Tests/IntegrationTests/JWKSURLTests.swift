import Foundation
import Testing

/// `jwt.jwks_url`: the identity provider's keys fetched over the verified HTTPS client (here from the fake
/// ClientLoop host, which serves a JWKS file), refreshed when a token names a key that is not known yet.
@Suite("JWKS from a URL")
struct JWKSURLTests {
    private struct Setup {
        let fixture: UpstreamFixture
        let jwksFile: JWKSFile

        func bearer(_ token: String) -> [(String, String)] {
            [("Authorization", "Bearer \(token)")]
        }

        func jwksFetches() throws -> Int {
            try fixture.fakeStats()["jwksRequests"] as? Int ?? -1
        }
    }

    private func start(publishing providers: [IdentityProvider], extraEnvironment: [String: String] = [:]) throws -> Setup {
        let jwksFile = try JWKSFile(IdentityProvider.jwks(of: providers))
        var environment = ["CONTACT_POLICY": "jwt", "JWT_ISSUER": IdentityProvider.issuer, "JWT_AUDIENCE": IdentityProvider.audience]
        environment.merge(extraEnvironment) { _, new in new }
        let fixture = try UpstreamFixture(
            fakeArguments: ["--jwks-file", jwksFile.path],
            environment: environment,
            environmentNamingFake: { ["JWT_JWKS_URL": "https://localhost:\($0)/jwks.json"] }
        )
        return Setup(fixture: fixture, jwksFile: jwksFile)
    }

    /// On one CPU Swift concurrency has a single thread: the refreshed keys load there only if no event loop ever
    /// sits on it.
    @Test("keys are fetched over TLS at start-up; a rotated-in kid triggers one rate-limited refresh, on one CPU too",
          arguments: [false, true])
    func fetchesAndRefreshesOnUnknownKid(onOneCPU: Bool) async throws {
        let current = try await IdentityProvider(keyID: "current")
        let next = try await IdentityProvider(keyID: "next")
        let setup = try start(publishing: [current], extraEnvironment: onOneCPU ? try OneCPUPreload.environment : [:])

        let accepted = try setup.fixture.mint(headers: setup.bearer(try await current.token(contactId: "contact_1")))
        #expect(accepted.status == 200)
        #expect(try setup.jwksFetches() == 1)

        // The provider publishes its next key and starts signing with it: the first such token is refused
        // (never checked against another key) and makes idv-bff fetch the JWKS again.
        try setup.jwksFile.write(IdentityProvider.jwks(of: [current, next]))
        let rotated = try await next.token(contactId: "contact_2")
        let first = try setup.fixture.mint(headers: setup.bearer(rotated))
        #expect(first.status == 401)
        #expect(setup.fixture.server.waitForLog("JWKS refreshed"))
        #expect(try setup.fixture.mint(headers: setup.bearer(rotated)).status == 200)
        #expect(try setup.jwksFetches() == 2)

        // Tokens naming keys nobody published cannot make idv-bff hammer the identity provider.
        let stranger = try await IdentityProvider(keyID: "stranger")
        for _ in 0..<10 {
            #expect(try setup.fixture.mint(headers: setup.bearer(try await stranger.token(contactId: "contact_3"))).status == 401)
        }
        #expect(try setup.jwksFetches() == 2)
    }

    @Test("a JWKS URL whose certificate is not trusted stops start-up with exit 69, naming the setting")
    func untrustedJWKSURLStopsStartUp() async throws {
        let provider = try await IdentityProvider()
        let jwksFile = try JWKSFile(provider.jwks)
        let rogue = try ServerProcess.fakeClientLoop(certificate: TestPKI.shared.untrusted, arguments: ["--jwks-file", jwksFile.path])

        var environment = ServerProcess.baseEnvironment()
        environment["CLIENTLOOP_CA_FILE"] = TestPKI.shared.caCertificate
        environment["CONTACT_POLICY"] = "jwt"
        environment["JWT_ISSUER"] = IdentityProvider.issuer
        environment["JWT_AUDIENCE"] = IdentityProvider.audience
        environment["JWT_JWKS_URL"] = "https://localhost:\(rogue.port)/jwks.json"
        let result = try ServerProcess.runToExit(environment: environment)
        #expect(result.status == 69)
        #expect(result.stderr.contains("jwt.jwks_url (JWT_JWKS_URL)"))
        #expect(result.stderr.contains("certificate verification failed"))
        #expect(try HTTPSConnection.get(port: rogue.port, path: "/__stats")["jwksRequests"] as? Int == 0)
    }
}
