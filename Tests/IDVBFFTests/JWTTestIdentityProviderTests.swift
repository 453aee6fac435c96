import CryptoExtras
import Foundation
import JWTKit
import Testing
@testable import EventHTTP
@testable import IDVBFF

/// An identity provider for tests: keys generated for the run, their JWKS, and tokens signed with jwt-kit.
///
/// Tokens are assembled from literal header and payload JSON so that tests can write exactly the claims, types and
/// oddities they need; the signature always comes from jwt-kit's own signer for the key.
struct TestIdentityProvider: Sendable {
    static let issuer = "https://id.example.com/"
    static let audience = "idv-bff"
    static let contactId = "contact_123"
    /// A fixed moment, so that tests never depend on the machine's clock.
    static let now = Date(timeIntervalSince1970: 1_900_000_000)

    /// Key ids in the JWKS.
    static let rsaKeyID = "rsa-1"
    static let ecKeyID = "ec-1"
    static let edKeyID = "ed-1"

    /// Generating an RSA key takes a while: one provider serves every test.
    static let shared = Task { try await TestIdentityProvider() }

    let rsaKey: JWTKit.Insecure.RSA.PrivateKey
    let ecKey: ES256PrivateKey
    let edKey: EdDSA.PrivateKey
    private let signers: [String: any JWTAlgorithm]

    private init() async throws {
        rsaKey = try JWTKit.Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048))
        ecKey = ES256PrivateKey()
        edKey = try EdDSA.PrivateKey(curve: .ed25519)
        let collection = JWTKeyCollection()
        await collection.add(rsa: rsaKey, digestAlgorithm: .sha256, kid: JWKIdentifier(string: Self.rsaKeyID))
        await collection.add(ecdsa: ecKey, kid: JWKIdentifier(string: Self.ecKeyID))
        await collection.add(eddsa: edKey, kid: JWKIdentifier(string: Self.edKeyID))
        var signers: [String: any JWTAlgorithm] = [:]
        for kid in [Self.rsaKeyID, Self.ecKeyID, Self.edKeyID] {
            signers[kid] = try await collection.getKey(for: JWKIdentifier(string: kid))
        }
        self.signers = signers
    }

    // MARK: JWKS

    /// The RSA key as a JWK member list, with `alg` when given.
    func rsaJWK(kid: String = rsaKeyID, alg: String? = "RS256") throws -> [String: String] {
        let primitives = try rsaKey.publicKey.getKeyPrimitives()
        var jwk = ["kty": "RSA", "kid": kid, "use": "sig",
                   "n": JWTBase64URL.encode(primitives.modulus), "e": JWTBase64URL.encode(primitives.publicExponent)]
        jwk["alg"] = alg
        return jwk
    }

    /// The P-256 key as a JWK member list.
    func ecJWK(kid: String = ecKeyID, alg: String? = "ES256") -> [String: String] {
        let parameters = ecKey.publicKey.parameters ?? (x: "", y: "")
        var jwk = ["kty": "EC", "crv": "P-256", "kid": kid, "x": parameters.x, "y": parameters.y]
        jwk["alg"] = alg
        return jwk
    }

    /// The Ed25519 key as a JWK member list.
    func edJWK(kid: String = edKeyID, alg: String? = "EdDSA") -> [String: String] {
        var jwk = ["kty": "OKP", "crv": "Ed25519", "kid": kid, "x": JWTBase64URL.encode(edKey.publicKey.rawRepresentation)]
        jwk["alg"] = alg
        return jwk
    }

    /// A JWKS document holding `keys`.
    static func jwksJSON(_ keys: [[String: String]]) throws -> [UInt8] {
        Array(try JSONSerialization.data(withJSONObject: ["keys": keys], options: [.sortedKeys]))
    }

    /// The JWKS with all three public keys.
    func jwksJSON() throws -> [UInt8] {
        try Self.jwksJSON([rsaJWK(), ecJWK(), edJWK()])
    }

    /// A store holding the JWKS with all three public keys.
    func keyStore(limiter: JWKSRefreshLimiter = JWKSRefreshLimiter()) async throws -> JWKSKeyStore {
        JWKSKeyStore(keySet: try await JWKSKeySet.load(jwksJSON: jwksJSON()), limiter: limiter)
    }

    /// A verifier over the three keys with default options, or with `options`.
    func verifier(options: JWTOptions = TestIdentityProvider.options()) async throws -> JWTContactVerifier {
        JWTContactVerifier(options: options, keyStore: try await keyStore())
    }

    /// Options for this provider's issuer and audience.
    static func options(
        algorithms: [String] = JWTSignatureAlgorithm.defaultAllowlist.map(\.rawValue),
        allowNewContacts: Bool = false
    ) -> JWTOptions {
        JWTOptions(issuer: issuer, audience: audience, algorithms: algorithms, allowNewContacts: allowNewContacts)
    }

    // MARK: Tokens

    /// Claims that pass every check; `overrides` replace or, with `nil`, remove members.
    static func claims(_ overrides: [String: (any Sendable)?] = [:]) -> [String: any Sendable] {
        var claims: [String: any Sendable] = [
            "iss": issuer,
            "aud": audience,
            "sub": "user-42",
            "iat": Int(now.timeIntervalSince1970) - 10,
            "exp": Int(now.timeIntervalSince1970) + 300,
            "clientloop_contact_id": contactId,
        ]
        for (name, value) in overrides {
            claims[name] = value
        }
        return claims
    }

    /// A token over `claims`, signed by the key `kid`, with header `alg` as given; the header names `kid` unless
    /// `headerKid` names another key or `includeKid` is false.
    func token(
        claims: [String: any Sendable] = claims(),
        kid: String = rsaKeyID,
        alg: String = "RS256",
        headerKid: String? = nil,
        includeKid: Bool = true
    ) throws -> String {
        var header: [String: any Sendable] = ["alg": alg, "typ": "JWT"]
        if includeKid {
            header["kid"] = headerKid ?? kid
        }
        return try sign(header: Self.json(header), payload: Self.json(claims), kid: kid)
    }

    /// `header` and `payload` JSON, encoded and signed by key `kid`.
    func sign(header: String, payload: String, kid: String) throws -> String {
        let signingInput = Self.encode(header) + "." + Self.encode(payload)
        let signer = try #require(signers[kid])
        return signingInput + "." + JWTBase64URL.encode(try signer.sign(Array(signingInput.utf8)))
    }

    /// `header` and `payload` JSON, encoded, with `signature` bytes.
    static func assemble(header: String, payload: String, signature: [UInt8] = []) -> String {
        encode(header) + "." + encode(payload) + "." + JWTBase64URL.encode(signature)
    }

    static func encode(_ json: String) -> String {
        JWTBase64URL.encode(Array(json.utf8))
    }

    static func json(_ object: [String: any Sendable]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }
}

/// A payload as an application would declare it with jwt-kit's claim types.
struct TestContactPayload: JWTPayload {
    var iss: IssuerClaim
    var aud: AudienceClaim
    var exp: ExpirationClaim
    var clientloop_contact_id: String

    func verify(using _: some JWTAlgorithm) throws {}
}

@Suite("Test identity provider")
struct JWTTestIdentityProviderTests {
    @Test func itsJWKSAndTokensAreAcceptedByJWTKitItself() async throws {
        let provider = try await TestIdentityProvider.shared.value
        let collection = JWTKeyCollection()
        try await collection.add(jwksJSON: String(decoding: provider.jwksJSON(), as: UTF8.self))
        for (kid, alg) in [(TestIdentityProvider.rsaKeyID, "RS256"), (TestIdentityProvider.ecKeyID, "ES256"), (TestIdentityProvider.edKeyID, "EdDSA")] {
            let claims = TestIdentityProvider.claims(["exp": Int(Date().timeIntervalSince1970) + 300])
            let token = try provider.token(claims: claims, kid: kid, alg: alg)
            let payload = try await collection.verify(token, as: TestContactPayload.self)
            #expect(payload.clientloop_contact_id == TestIdentityProvider.contactId)
        }
    }
}
