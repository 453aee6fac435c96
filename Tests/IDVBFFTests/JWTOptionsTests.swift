import Testing
@testable import EventHTTP
@testable import IDVBFF

@Suite("JWT options")
struct JWTOptionsTests {
    private static let valid = JWTOptions(issuer: "https://id.example.com/", audience: "idv-bff")

    @Test func hasTheDocumentedDefaults() {
        let options = Self.valid
        #expect(options.algorithms == ["RS256", "ES256", "EdDSA"])
        #expect(options.leewaySeconds == 30)
        #expect(options.contactClaim == "clientloop_contact_id")
        #expect(options.allowNewContacts == false)
        #expect(options.allowedAlgorithms == [.rs256, .es256, .edDSA])
        #expect(options.problems.isEmpty)
    }

    @Test func requiresIssuerAndAudience() {
        let options = JWTOptions(issuer: "", audience: "")
        #expect(options.problems.map(\.description) == [
            "jwt.issuer (JWT_ISSUER): is required when contact.policy is jwt",
            "jwt.audience (JWT_AUDIENCE): is required when contact.policy is jwt",
        ])
    }

    @Test func refusesIssuerWithSurroundingWhitespace() {
        var options = Self.valid
        options.issuer = " https://id.example.com/"
        #expect(options.problems.map(\.key) == ["jwt.issuer"])
    }

    @Test(arguments: ["none", "None", "HS256", "HS384", "HS512"])
    func reportsForbiddenAlgorithmsAsProblems(name: String) {
        var options = Self.valid
        options.algorithms = ["RS256", name]
        #expect(options.problems.map(\.description) == [
            "jwt.algorithms (JWT_ALGORITHMS): \"\(name)\" is never accepted: unsigned and shared-secret tokens are refused",
        ])
        #expect(options.allowedAlgorithms == [.rs256])
    }

    @Test func reportsUnknownAlgorithms() {
        var options = Self.valid
        options.algorithms = ["rs256"]
        #expect(options.problems.count == 1)
        #expect(options.problems.first?.message.hasPrefix(#""rs256" is not supported; use RS256, RS384"#) == true)
    }

    @Test func requiresAtLeastOneAlgorithm() {
        var options = Self.valid
        options.algorithms = []
        #expect(options.problems.map(\.message) == ["must list at least one algorithm"])
    }

    @Test(arguments: [-1, 301])
    func boundsTheLeeway(seconds: Int) {
        var options = Self.valid
        options.leewaySeconds = seconds
        #expect(options.problems.map(\.key) == ["jwt.leeway_seconds"])
    }

    @Test func requiresAContactClaimName() {
        var options = Self.valid
        options.contactClaim = ""
        #expect(options.problems.map(\.key) == ["jwt.contact_claim"])
    }
}
