import Testing

@testable import EventHTTP
@testable import IDVBFF

// MARK: - Contact tokens: their checks and where their keys come from

extension ConfigurationTests {
    private static func jwtEnvironment(_ additions: [String: String]) -> [String: String] {
        environment([
            "CONTACT_POLICY": "jwt", "JWT_ISSUER": "https://id.example.com/", "JWT_AUDIENCE": "idv-bff",
        ].merging(additions) { $1 })
    }

    @Test func tokenChecksAreReadFromTheEnvironment() async throws {
        let configuration = try await Self.load(environment: Self.jwtEnvironment([
            "JWT_JWKS_URL": "https://id.example.com/jwks", "JWT_ALGORITHMS": "ES256, EdDSA", "JWT_LEEWAY_SECONDS": "10",
            "JWT_CONTACT_CLAIM": "crm_contact", "JWT_ALLOW_NEW_CONTACTS": "yes",
        ]))
        #expect(configuration.security.jwt?.options == JWTOptions(
            issuer: "https://id.example.com/", audience: "idv-bff", algorithms: ["ES256", "EdDSA"],
            leewaySeconds: 10, contactClaim: "crm_contact", allowNewContacts: true))
    }

    @Test(arguments: [("true", true), ("1", true), ("FALSE", false), ("no", false), ("0", false)])
    func allowNewContactsAcceptsTheUsualSpellings(text: String, expected: Bool) async throws {
        let configuration = try await Self.load(environment: Self.jwtEnvironment([
            "JWT_JWKS_URL": "https://id.example.com/jwks", "JWT_ALLOW_NEW_CONTACTS": text,
        ]))
        #expect(configuration.security.jwt?.options.allowNewContacts == expected)
    }

    @Test func tokenCheckProblemsNameTheirSettings() async {
        let problems = await Self.problems(environment: Self.jwtEnvironment([
            "JWT_JWKS_URL": "https://id.example.com/jwks", "JWT_ALLOW_NEW_CONTACTS": "maybe",
            "JWT_LEEWAY_SECONDS": "301", "JWT_ALGORITHMS": "HS256",
        ]))
        #expect(problems.map(\.description) == [
            "jwt.leeway_seconds (JWT_LEEWAY_SECONDS): \"301\" is not a number of seconds (0-300)",
            #"jwt.allow_new_contacts (JWT_ALLOW_NEW_CONTACTS): "maybe" is not true or false"#,
            #"jwt.algorithms (JWT_ALGORITHMS): "HS256" is never accepted: unsigned and shared-secret tokens are refused"#,
        ])
    }

    @Test func jwksURLIsFetchedOnTheDefaultSchedule() async throws {
        let configuration = try await Self.load(environment: Self.jwtEnvironment(["JWT_JWKS_URL": "https://id.example.com/.well-known/jwks.json"]))
        let remote = try #require(configuration.security.jwt?.keySource.remote)
        #expect(remote.url.description == "https://id.example.com/.well-known/jwks.json")
        #expect(remote.refreshSeconds == 300)
        #expect(configuration.description.contains("jwt.jwks_url"))
        #expect(configuration.description.contains("jwt.jwks_refresh_seconds"))
    }

    @Test func jwksRefreshIntervalIsConfigurable() async throws {
        let configuration = try await Self.load(environment: Self.jwtEnvironment([
            "JWT_JWKS_URL": "https://id.example.com/jwks", "JWT_JWKS_REFRESH_SECONDS": "60",
        ]))
        #expect(configuration.security.jwt?.keySource.remote?.refreshSeconds == 60)
    }

    @Test func jwksFileOrURLIsRequired() async {
        let problems = await Self.problems(environment: Self.jwtEnvironment([:]))
        #expect(problems.map(\.description) == [
            "jwt.jwks_file (JWT_JWKS_FILE): or jwt.jwks_url (JWT_JWKS_URL) is required when contact.policy is jwt",
        ])
    }

    @Test func jwksFileAndURLTogetherAreRefused() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.file("jwks.json", #"{"keys":[]}"#)
        let problems = await Self.problems(environment: Self.jwtEnvironment([
            "JWT_JWKS_FILE": file, "JWT_JWKS_URL": "https://id.example.com/jwks",
        ]))
        #expect(problems.map(\.description) == [
            "jwt.jwks_file (JWT_JWKS_FILE): and jwt.jwks_url (JWT_JWKS_URL) are both set; set only one",
        ])
    }

    @Test(arguments: [
        ("http://id.example.com/jwks", "jwt.jwks_url"),
        ("id.example.com/jwks", "jwt.jwks_url"),
        ("https://user:pass@id.example.com/jwks", "jwt.jwks_url"),
    ])
    func jwksURLMustBeVerifiedHTTPS(url: String, key: String) async {
        let problems = await Self.problems(environment: Self.jwtEnvironment(["JWT_JWKS_URL": url]))
        #expect(problems.map(\.key) == [key])
        #expect(problems.allSatisfy { !$0.description.contains("user:pass") })
    }

    @Test(arguments: ["9", "86401", "soon"])
    func jwksRefreshIntervalIsBounded(seconds: String) async {
        let problems = await Self.problems(environment: Self.jwtEnvironment([
            "JWT_JWKS_URL": "https://id.example.com/jwks", "JWT_JWKS_REFRESH_SECONDS": seconds,
        ]))
        #expect(problems.map(\.key) == ["jwt.jwks_refresh_seconds"])
    }

    @Test func jwksSettingsAreIgnoredUnlessThePolicyIsJWT() async throws {
        let configuration = try await Self.load(environment: Self.environment(["JWT_JWKS_URL": "not a url"]))
        #expect(configuration.security.jwt == nil)
    }
}
