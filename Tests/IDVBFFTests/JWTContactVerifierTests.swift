import Foundation
import JWTKit
import Testing
@testable import EventHTTP
@testable import IDVBFF

@Suite("JWT contact verifier")
struct JWTContactVerifierTests {
    typealias Provider = TestIdentityProvider

    private static let now = Provider.now
    private static let nowSeconds = Int(Provider.now.timeIntervalSince1970)
    private static let leeway = JWTOptions.defaultLeewaySeconds

    private func verify(
        _ token: String,
        options: JWTOptions = Provider.options(),
        at now: Date = now
    ) async throws -> Result<JWTVerifiedToken, JWTVerificationFailure> {
        let provider = try await Provider.shared.value
        return try await provider.verifier(options: options).verify(token: token, now: now)
    }

    // MARK: Acceptance

    @Test(arguments: [(Provider.rsaKeyID, "RS256"), (Provider.ecKeyID, "ES256"), (Provider.edKeyID, "EdDSA")])
    func acceptsAValidTokenForEachDefaultAlgorithm(kid: String, alg: String) async throws {
        let provider = try await Provider.shared.value
        let result = try await verify(provider.token(kid: kid, alg: alg))
        let expected = JWTVerifiedToken(
            keyIdentifier: kid, algorithm: try #require(JWTSignatureAlgorithm(rawValue: alg)), contactId: Provider.contactId)
        #expect(result == .success(expected))
    }

    @Test func acceptsATokenSignedByJWTKitsOwnSerializer() async throws {
        let provider = try await Provider.shared.value
        let signing = JWTKeyCollection()
        await signing.add(ecdsa: provider.ecKey, kid: JWKIdentifier(string: Provider.ecKeyID))
        let payload = TestContactPayload(
            iss: IssuerClaim(value: Provider.issuer),
            aud: AudienceClaim(value: [Provider.audience]),
            exp: ExpirationClaim(value: Self.now.addingTimeInterval(60)),
            clientloop_contact_id: "c-7"
        )
        let token = try await signing.sign(payload, kid: JWKIdentifier(string: Provider.ecKeyID))
        let result = try await verify(token)
        #expect(result == .success(.init(keyIdentifier: Provider.ecKeyID, algorithm: .es256, contactId: "c-7")))
    }

    @Test func acceptsATokenWithoutTheContactClaim() async throws {
        let provider = try await Provider.shared.value
        let token = try provider.token(claims: Provider.claims(["clientloop_contact_id": nil]))
        #expect(try await verify(token).map(\.contactId) == .success(nil))
    }

    @Test func readsTheContactFromTheConfiguredClaim() async throws {
        let provider = try await Provider.shared.value
        var options = Provider.options()
        options.contactClaim = "crm_contact"
        let token = try provider.token(claims: Provider.claims(["crm_contact": "from-crm"]))
        #expect(try await verify(token, options: options).map(\.contactId) == .success("from-crm"))
    }

    // MARK: Time

    @Test func rejectsAnExpiredToken() async throws {
        let provider = try await Provider.shared.value
        let expiration = Self.nowSeconds - Self.leeway - 60
        let token = try provider.token(claims: Provider.claims(["exp": expiration]))
        #expect(try await verify(token) == .failure(.expired(
            expiration: Double(expiration), now: Self.now.timeIntervalSince1970, leewaySeconds: Self.leeway)))
    }

    @Test func rejectsATokenWithoutExpiration() async throws {
        let provider = try await Provider.shared.value
        let token = try provider.token(claims: Provider.claims(["exp": nil]))
        #expect(try await verify(token) == .failure(.missingClaim("exp")))
    }

    @Test func rejectsAnExpirationThatIsNotANumber() async throws {
        let provider = try await Provider.shared.value
        let token = try provider.token(claims: Provider.claims(["exp": String(Self.nowSeconds + 300)]))
        #expect(try await verify(token) == .failure(.invalidClaim(name: "exp", reason: "is not a number")))
    }

    @Test func acceptsAnExpiredTokenUntilTheLeewayRunsOut() async throws {
        let provider = try await Provider.shared.value
        let expiration = Self.nowSeconds - Self.leeway + 1
        let token = try provider.token(claims: Provider.claims(["exp": expiration]))
        #expect(try await verify(token).map(\.contactId) == .success(Provider.contactId))
    }

    @Test func rejectsAnExpiredTokenAtTheExactEndOfTheLeeway() async throws {
        let provider = try await Provider.shared.value
        let expiration = Self.nowSeconds - Self.leeway
        let token = try provider.token(claims: Provider.claims(["exp": expiration]))
        #expect(try await verify(token) == .failure(.expired(
            expiration: Double(expiration), now: Self.now.timeIntervalSince1970, leewaySeconds: Self.leeway)))
    }

    @Test func rejectsATokenAtItsExpirationWhenThereIsNoLeeway() async throws {
        let provider = try await Provider.shared.value
        var options = Provider.options()
        options.leewaySeconds = 0
        let token = try provider.token(claims: Provider.claims(["exp": Self.nowSeconds]))
        #expect(try await verify(token, options: options) == .failure(.expired(
            expiration: Double(Self.nowSeconds), now: Self.now.timeIntervalSince1970, leewaySeconds: 0)))
    }

    @Test func rejectsATokenThatIsNotYetValid() async throws {
        let provider = try await Provider.shared.value
        let notBefore = Self.nowSeconds + Self.leeway + 60
        let token = try provider.token(claims: Provider.claims(["nbf": notBefore]))
        #expect(try await verify(token) == .failure(.notYetValid(
            notBefore: Double(notBefore), now: Self.now.timeIntervalSince1970, leewaySeconds: Self.leeway)))
    }

    @Test func acceptsANotBeforeThatIsExactlyTheLeewayAhead() async throws {
        let provider = try await Provider.shared.value
        let token = try provider.token(claims: Provider.claims(["nbf": Self.nowSeconds + Self.leeway]))
        #expect(try await verify(token).map(\.contactId) == .success(Provider.contactId))
    }

    @Test func rejectsANotBeforeOneSecondBeyondTheLeeway() async throws {
        let provider = try await Provider.shared.value
        let notBefore = Self.nowSeconds + Self.leeway + 1
        let token = try provider.token(claims: Provider.claims(["nbf": notBefore]))
        #expect(try await verify(token) == .failure(.notYetValid(
            notBefore: Double(notBefore), now: Self.now.timeIntervalSince1970, leewaySeconds: Self.leeway)))
    }

    @Test func acceptsFractionalNumericDates() async throws {
        let provider = try await Provider.shared.value
        let token = try provider.token(claims: Provider.claims(["exp": Double(Self.nowSeconds) + 0.5]))
        #expect(try await verify(token).map(\.contactId) == .success(Provider.contactId))
    }

    // MARK: Issuer and audience

    @Test func rejectsAnotherIssuer() async throws {
        let provider = try await Provider.shared.value
        let token = try provider.token(claims: Provider.claims(["iss": "https://evil.example.com/"]))
        #expect(try await verify(token) == .failure(.wrongIssuer("https://evil.example.com/")))
    }

    @Test func rejectsAnIssuerThatDiffersOnlyByATrailingSlash() async throws {
        let provider = try await Provider.shared.value
        let token = try provider.token(claims: Provider.claims(["iss": "https://id.example.com"]))
        #expect(try await verify(token) == .failure(.wrongIssuer("https://id.example.com")))
    }

    @Test func rejectsATokenWithoutIssuer() async throws {
        let provider = try await Provider.shared.value
        let token = try provider.token(claims: Provider.claims(["iss": nil]))
        #expect(try await verify(token) == .failure(.missingClaim("iss")))
    }

    @Test func rejectsAnotherAudience() async throws {
        let provider = try await Provider.shared.value
        let token = try provider.token(claims: Provider.claims(["aud": "another-app"]))
        #expect(try await verify(token) == .failure(.wrongAudience(["another-app"])))
    }

    @Test func rejectsATokenWithoutAudience() async throws {
        let provider = try await Provider.shared.value
        let token = try provider.token(claims: Provider.claims(["aud": nil]))
        #expect(try await verify(token) == .failure(.missingClaim("aud")))
    }

    @Test func acceptsAnAudienceArrayThatContainsTheAudience() async throws {
        let provider = try await Provider.shared.value
        let token = try provider.token(claims: Provider.claims(["aud": ["another-app", Provider.audience]]))
        #expect(try await verify(token).map(\.contactId) == .success(Provider.contactId))
    }

    @Test func rejectsAnAudienceArrayWithoutTheAudience() async throws {
        let provider = try await Provider.shared.value
        let token = try provider.token(claims: Provider.claims(["aud": ["another-app", "third-app"]]))
        #expect(try await verify(token) == .failure(.wrongAudience(["another-app", "third-app"])))
    }

    @Test func rejectsAnAudienceArrayWithNonStringElements() async throws {
        let provider = try await Provider.shared.value
        let token = try provider.token(claims: Provider.claims(["aud": [Provider.audience, 7] as [any Sendable]]))
        #expect(try await verify(token) == .failure(.invalidClaim(name: "aud", reason: "is an array with non-string elements")))
    }

    // MARK: Signature and keys

    @Test func rejectsATamperedPayload() async throws {
        let provider = try await Provider.shared.value
        let token = try provider.token()
        let parts = token.split(separator: ".").map(String.init)
        let forged = Provider.encode(try Provider.json(Provider.claims(["clientloop_contact_id": "someone_else"])))
        let tampered = [parts[0], forged, parts[2]].joined(separator: ".")
        #expect(try await verify(tampered) == .failure(.badSignature(keyIdentifier: Provider.rsaKeyID, algorithm: .rs256)))
    }

    @Test func rejectsASignatureByAKeyOutsideTheJWKS() async throws {
        let stranger = JWTKeyCollection()
        await stranger.add(ecdsa: ES256PrivateKey(), kid: JWKIdentifier(string: Provider.ecKeyID))
        let token = try await stranger.sign(TestContactPayload(
            iss: IssuerClaim(value: Provider.issuer), aud: AudienceClaim(value: [Provider.audience]),
            exp: ExpirationClaim(value: Self.now.addingTimeInterval(60)), clientloop_contact_id: "c-1"
        ), kid: JWKIdentifier(string: Provider.ecKeyID))
        #expect(try await verify(token) == .failure(.badSignature(keyIdentifier: Provider.ecKeyID, algorithm: .es256)))
    }

    @Test func rejectsAnUnknownKeyIdentifier() async throws {
        let provider = try await Provider.shared.value
        let token = try provider.token(headerKid: "rotated-2")
        #expect(try await verify(token) == .failure(.unknownKeyIdentifier("rotated-2")))
    }

    @Test func rejectsATokenWithoutKeyIdentifierInsteadOfTryingADefaultKey() async throws {
        let provider = try await Provider.shared.value
        let token = try provider.token(includeKid: false)
        #expect(try await verify(token) == .failure(.missingKeyIdentifier))
    }

    @Test func rejectsAnEmptyKeyIdentifier() async throws {
        let provider = try await Provider.shared.value
        let token = try provider.token(headerKid: "")
        #expect(try await verify(token) == .failure(.missingKeyIdentifier))
    }

    @Test(arguments: ["none", "None", "NONE"])
    func rejectsAnUnsignedToken(alg: String) async throws {
        let claims = try Provider.json(Provider.claims())
        let header = try Provider.json(["alg": alg, "kid": Provider.rsaKeyID, "typ": "JWT"])
        #expect(try await verify(Provider.assemble(header: header, payload: claims)) == .failure(.unsignedToken))
    }

    @Test func rejectsHS256SignedWithTheRSAPublicKey() async throws {
        let provider = try await Provider.shared.value
        // The classic alg swap: the published RSA key used as an HMAC secret.
        let attacker = JWTKeyCollection()
        await attacker.add(
            hmac: HMACKey(from: Array(provider.rsaKey.publicKey.pemRepresentation.utf8)),
            digestAlgorithm: .sha256, kid: JWKIdentifier(string: Provider.rsaKeyID))
        let hmac = try await attacker.getKey(for: JWKIdentifier(string: Provider.rsaKeyID))
        let header = try Provider.json(["alg": "HS256", "kid": Provider.rsaKeyID, "typ": "JWT"])
        let signingInput = Provider.encode(header) + "." + Provider.encode(try Provider.json(Provider.claims()))
        let token = signingInput + "." + JWTBase64URL.encode(try hmac.sign(Array(signingInput.utf8)))
        #expect(try await verify(token) == .failure(.symmetricAlgorithm("HS256")))
    }

    @Test func rejectsHS256EvenWhenTheAllowlistNamesIt() async throws {
        let header = try Provider.json(["alg": "HS256", "kid": Provider.rsaKeyID])
        let token = Provider.assemble(header: header, payload: try Provider.json(Provider.claims()), signature: [1, 2, 3])
        let options = Provider.options(algorithms: ["RS256", "HS256"])
        #expect(!options.problems.isEmpty)
        #expect(try await verify(token, options: options) == .failure(.symmetricAlgorithm("HS256")))
    }

    @Test func rejectsAnAlgorithmOutsideTheAllowlist() async throws {
        let provider = try await Provider.shared.value
        let token = try provider.token(kid: Provider.ecKeyID, alg: "ES256")
        #expect(try await verify(token, options: Provider.options(algorithms: ["RS256"])) == .failure(.algorithmNotAllowed("ES256")))
    }

    @Test func rejectsAnUnknownAlgorithm() async throws {
        let header = try Provider.json(["alg": "XS999", "kid": Provider.rsaKeyID])
        let token = Provider.assemble(header: header, payload: try Provider.json(Provider.claims()), signature: [1])
        #expect(try await verify(token) == .failure(.algorithmNotAllowed("XS999")))
    }

    @Test func rejectsAKeyPublishedForAnotherAlgorithm() async throws {
        let provider = try await Provider.shared.value
        // Signed by the EC key, but naming the RSA key: the RSA key must not be tried with ES256.
        let token = try provider.token(kid: Provider.ecKeyID, alg: "ES256", headerKid: Provider.rsaKeyID)
        #expect(try await verify(token) == .failure(.keyAlgorithmMismatch(
            keyIdentifier: Provider.rsaKeyID, algorithm: .es256, keyAlgorithms: [.rs256])))
    }

    @Test func rejectsAHeaderWithCriticalExtensions() async throws {
        let provider = try await Provider.shared.value
        let header = try Provider.json(["alg": "RS256", "kid": Provider.rsaKeyID, "crit": ["exp"], "exp": 1])
        let token = try provider.sign(header: header, payload: try Provider.json(Provider.claims()), kid: Provider.rsaKeyID)
        #expect(try await verify(token) == .failure(.criticalHeaderExtensions))
    }

    // MARK: Shape

    @Test(arguments: ["", "abc", "a.b", "a.b.c.d", "a.b.c.d.e", "!!!.e30.AA", "e30.e30.AA=="])
    func rejectsMalformedTokens(token: String) async throws {
        let result = try await verify(token)
        guard case .failure(.malformedToken) = result else {
            Issue.record("expected a malformed token, got \(result)")
            return
        }
    }

    @Test func rejectsAHeaderWithARepeatedMember() async throws {
        let provider = try await Provider.shared.value
        let header = #"{"alg":"none","alg":"RS256","kid":"rsa-1"}"#
        let token = try provider.sign(header: header, payload: try Provider.json(Provider.claims()), kid: Provider.rsaKeyID)
        guard case .failure(.malformedToken(let detail)) = try await verify(token) else {
            Issue.record("a repeated header member must make the token malformed")
            return
        }
        #expect(detail.contains("repeats a key"))
    }

    @Test func rejectsAPayloadWithARepeatedClaim() async throws {
        let provider = try await Provider.shared.value
        let valid = try Provider.json(Provider.claims())
        // A lenient parser would let the second contact id win.
        let payload = String(valid.dropLast()) + #","clientloop_contact_id":"someone_else"}"#
        let header = try Provider.json(["alg": "RS256", "kid": Provider.rsaKeyID])
        let token = try provider.sign(header: header, payload: payload, kid: Provider.rsaKeyID)
        guard case .failure(.malformedToken(let detail)) = try await verify(token) else {
            Issue.record("a repeated claim must make the token malformed")
            return
        }
        #expect(detail.contains("repeats a key"))
    }

    @Test func rejectsAnOverlongToken() async throws {
        let token = String(repeating: "a", count: JWTBearerAuthorization.maximumTokenLength + 1)
        #expect(try await verify(token) == .failure(.tokenTooLong(length: JWTBearerAuthorization.maximumTokenLength + 1)))
    }

    // MARK: Contact claim

    @Test(arguments: [
        ("empty", "" as any Sendable), ("not an id", "not an id!"), ("number", 123),
        ("too long", String(repeating: "x", count: 65)), ("look-alike", "c\u{0430}ntact"),
    ] as [(String, any Sendable)])
    func rejectsAContactClaimThatIsNotAContactId(label: String, value: any Sendable) async throws {
        let provider = try await Provider.shared.value
        let token = try provider.token(claims: Provider.claims(["clientloop_contact_id": value]))
        guard case .failure(.invalidClaim(name: "clientloop_contact_id", _)) = try await verify(token) else {
            Issue.record("\(label) must be refused as a contact id")
            return
        }
    }

    @Test func treatsANullContactClaimAsAbsent() async throws {
        let provider = try await Provider.shared.value
        let withoutClaim = try Provider.json(Provider.claims(["clientloop_contact_id": nil]))
        let payload = String(withoutClaim.dropLast()) + #","clientloop_contact_id":null}"#
        let header = try Provider.json(["alg": "RS256", "kid": Provider.rsaKeyID])
        let token = try provider.sign(header: header, payload: payload, kid: Provider.rsaKeyID)
        #expect(try await verify(token).map(\.contactId) == .success(nil))
    }

    // MARK: Log reasons

    @Test func failureDescriptionsQuoteTokenTextSafely() {
        let failure = JWTVerificationFailure.wrongIssuer("evil\n\u{202E}" + String(repeating: "x", count: 200))
        #expect(!failure.description.contains("\n"))
        #expect(failure.description.count < 120)
    }
}
