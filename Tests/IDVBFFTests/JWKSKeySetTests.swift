import Foundation
import Testing
@testable import EventHTTP
@testable import IDVBFF

@Suite("JWKS key set")
struct JWKSKeySetTests {
    typealias Provider = TestIdentityProvider

    private func load(_ keys: [[String: String]]) async throws -> JWKSKeySet {
        try await JWKSKeySet.load(jwksJSON: Provider.jwksJSON(keys))
    }

    private func algorithms(of set: JWKSKeySet, kid: String) -> [JWTSignatureAlgorithm] {
        JWTSignatureAlgorithm.allCases.filter {
            if case .found = set.lookup(keyIdentifier: kid, algorithm: $0) { return true }
            return false
        }
    }

    @Test func loadsRSAECAndEdDSAKeys() async throws {
        let provider = try await Provider.shared.value
        let set = try await JWKSKeySet.load(jwksJSON: provider.jwksJSON())
        #expect(set.keyIdentifiers == ["ec-1", "ed-1", "rsa-1"])
        #expect(set.skippedKeys.isEmpty)
        #expect(algorithms(of: set, kid: "rsa-1") == [.rs256])
        #expect(algorithms(of: set, kid: "ec-1") == [.es256])
        #expect(algorithms(of: set, kid: "ed-1") == [.edDSA])
    }

    @Test func anRSAKeyWithoutAlgServesEveryRSAAlgorithm() async throws {
        let provider = try await Provider.shared.value
        let set = try await load([provider.rsaJWK(alg: nil)])
        #expect(algorithms(of: set, kid: "rsa-1") == [.rs256, .rs384, .rs512, .ps256, .ps384, .ps512])
    }

    @Test func anECKeyWithoutAlgServesOnlyItsCurvesAlgorithm() async throws {
        let provider = try await Provider.shared.value
        let set = try await load([provider.ecJWK(alg: nil)])
        #expect(algorithms(of: set, kid: "ec-1") == [.es256])
    }

    @Test func lookupReportsAnUnknownKeyIdentifier() async throws {
        let provider = try await Provider.shared.value
        let set = try await JWKSKeySet.load(jwksJSON: provider.jwksJSON())
        guard case .unknownKeyIdentifier = set.lookup(keyIdentifier: "nope", algorithm: .rs256) else {
            Issue.record("an unknown kid must be reported as such")
            return
        }
    }

    @Test func lookupReportsAKeyPublishedForAnotherAlgorithm() async throws {
        let provider = try await Provider.shared.value
        let set = try await JWKSKeySet.load(jwksJSON: provider.jwksJSON())
        guard case .algorithmMismatch(let available) = set.lookup(keyIdentifier: "rsa-1", algorithm: .ps256) else {
            Issue.record("a key must only serve its own alg")
            return
        }
        #expect(available == [.rs256])
    }

    /// One unusable key next to a good one, and the reason it is skipped.
    struct UnusableKey: Sendable, CustomTestStringConvertible {
        let label: String
        let jwk: @Sendable (TestIdentityProvider) throws -> [String: String]
        var kid: String? = "x"
        let reason: String

        var testDescription: String { label }
    }

    static let unusableKeys: [UnusableKey] = [
        .init(label: "no kid", jwk: { var jwk = $0.ecJWK(kid: "x"); jwk["kid"] = nil; return jwk }, kid: nil,
              reason: "has no kid, and tokens must name their key"),
        .init(label: "encryption key", jwk: { var jwk = try $0.rsaJWK(kid: "x", alg: nil); jwk["use"] = "enc"; return jwk },
              reason: #"is published for use "enc", not for signatures"#),
        .init(label: "symmetric key", jwk: { _ in ["kty": "oct", "kid": "x", "k": "c2VjcmV0"] },
              reason: #"has kty "oct"; only RSA, EC and OKP keys verify contact tokens"#),
        .init(label: "HS256 alg", jwk: { try $0.rsaJWK(kid: "x", alg: "HS256") },
              reason: #"has alg "HS256", which is not an accepted signature algorithm"#),
        .init(label: "alg for another key type", jwk: { $0.ecJWK(kid: "x", alg: "RS256") },
              reason: "has alg RS256, which does not match kty EC and crv P-256"),
        .init(label: "private key material", jwk: { var jwk = $0.edJWK(kid: "x"); jwk["d"] = "AAAA"; return jwk },
              reason: "holds private key material; a JWKS must publish public keys only"),
        .init(label: "small RSA key", jwk: { _ in
                  ["kty": "RSA", "kid": "x", "alg": "RS256", "e": "AQAB",
                   "n": JWTBase64URL.encode([0xC0] + [UInt8](repeating: 0x55, count: 127))] },
              reason: "is a 1024-bit RSA key; at least 2048 bits are required"),
        .init(label: "unsupported curve", jwk: { _ in ["kty": "EC", "kid": "x", "crv": "secp256k1", "x": "AA", "y": "AA"] },
              reason: #"has curve "secp256k1", which is not supported"#),
    ]

    @Test(arguments: unusableKeys)
    func skipsKeysThatCannotVerifyContactTokens(key: UnusableKey) async throws {
        let provider = try await Provider.shared.value
        let set = try await load([key.jwk(provider), provider.edJWK()])
        #expect(set.keyIdentifiers == [Provider.edKeyID])
        #expect(set.skippedKeys == [JWKSSkippedKey(keyIdentifier: key.kid, reason: key.reason)])
    }

    @Test func skipsAKeyWhoseOperationsDoNotIncludeVerify() async throws {
        let provider = try await Provider.shared.value
        let document = #"{"keys":[{"kty":"EC","kid":"x","key_ops":["encrypt"]},"# + String(
            decoding: try JSONSerialization.data(withJSONObject: provider.edJWK()), as: UTF8.self) + "]}"
        let set = try await JWKSKeySet.load(jwksJSON: Array(document.utf8))
        #expect(set.skippedKeys == [JWKSSkippedKey(keyIdentifier: "x", reason: "its key_ops do not include verify")])
    }

    @Test func skipsAKeyThatIsNotAnObject() async throws {
        let provider = try await Provider.shared.value
        let document = #"{"keys":["rsa-1","# + String(
            decoding: try JSONSerialization.data(withJSONObject: provider.edJWK()), as: UTF8.self) + "]}"
        let set = try await JWKSKeySet.load(jwksJSON: Array(document.utf8))
        #expect(set.keyIdentifiers == [Provider.edKeyID])
        #expect(set.skippedKeys.count == 1)
    }

    @Test func keepsTheFirstOfTwoKeysWithTheSameKidAndAlgorithm() async throws {
        let provider = try await Provider.shared.value
        let set = try await load([try provider.rsaJWK(), try provider.rsaJWK()])
        #expect(algorithms(of: set, kid: Provider.rsaKeyID) == [.rs256])
        #expect(set.skippedKeys == [JWKSSkippedKey(keyIdentifier: "rsa-1", reason: "repeats a kid already used for RS256")])
    }

    @Test func refusesADocumentWithoutUsableKeys() async throws {
        let document = try Provider.jwksJSON([["kty": "oct", "kid": "x", "k": "c2VjcmV0"]])
        await #expect(throws: JWKSLoadError.noUsableKeys(skipped: [
            JWKSSkippedKey(keyIdentifier: "x", reason: #"has kty "oct"; only RSA, EC and OKP keys verify contact tokens"#),
        ])) {
            try await JWKSKeySet.load(jwksJSON: document)
        }
    }

    @Test func refusesAnEmptyKeySet() async throws {
        await #expect(throws: JWKSLoadError.noUsableKeys(skipped: [])) {
            try await JWKSKeySet.load(jwksJSON: Array(#"{"keys":[]}"#.utf8))
        }
    }

    @Test(arguments: ["", "[]", #"{"keys":{}}"#, #"{"key":[]}"#, "not json"])
    func refusesADocumentThatIsNotAKeySet(document: String) async throws {
        do {
            _ = try await JWKSKeySet.load(jwksJSON: Array(document.utf8))
            Issue.record("the document must be refused")
        } catch {
            guard case .notAKeySet = error else {
                Issue.record("expected notAKeySet, got \(error)")
                return
            }
        }
    }

    @Test func emptySetKnowsNoKey() {
        #expect(JWKSKeySet.empty.isEmpty)
        guard case .unknownKeyIdentifier = JWKSKeySet.empty.lookup(keyIdentifier: "rsa-1", algorithm: .rs256) else {
            Issue.record("the empty set must know no key")
            return
        }
    }
}
