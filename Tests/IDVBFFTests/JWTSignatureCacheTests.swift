import Foundation
import JWTKit
import Testing
@testable import IDVBFF

@Suite("JWT signature cache")
struct JWTSignatureCacheTests {
    typealias Provider = TestIdentityProvider

    @Test("a token seen again is accepted from the cache; altered bytes are checked afresh and refused")
    func keepsOnlyWhatPassed() async throws {
        let provider = try await Provider.shared.value
        let keySet = try await JWKSKeySet.load(jwksJSON: provider.jwksJSON())
        guard case .found(let key) = keySet.lookup(keyIdentifier: Provider.edKeyID, algorithm: .edDSA) else {
            Issue.record("the test key set lacks the Ed25519 key")
            return
        }
        let parsed = try JWTCompactToken.parse(provider.token(kid: Provider.edKeyID, alg: "EdDSA")).get()
        let (signature, signingInput) = (parsed.signature, parsed.signingInput)
        let cache = JWTSignatureCache()
        #expect(cache.isValid(signature, of: signingInput, by: key))
        #expect(cache.isValid(signature, of: signingInput, by: key))
        #expect(cache.count == 1)
        var altered = signature
        altered[0] ^= 1
        #expect(!cache.isValid(altered, of: signingInput, by: key))
        #expect(!cache.isValid(signature, of: signingInput.dropLast(), by: key))
        #expect(cache.count == 1)  // failures are never kept
    }

    @Test("a kid reused for another key in a new JWKS never meets the old key's entries")
    func aNewKeySetStartsAfresh() async throws {
        let provider = try await Provider.shared.value
        let store = try await provider.keyStore()
        let verifier = JWTContactVerifier(options: Provider.options(), keyStore: store)
        let token = try provider.token(kid: Provider.edKeyID, alg: "EdDSA")
        #expect(verifier.verify(token: token, now: Provider.now).map(\.keyIdentifier) == .success(Provider.edKeyID))

        let other = try EdDSA.PrivateKey(curve: .ed25519)
        let reused = ["kty": "OKP", "crv": "Ed25519", "kid": Provider.edKeyID, "alg": "EdDSA",
                      "x": JWTBase64URL.encode(other.publicKey.rawRepresentation)]
        store.replace(with: try await JWKSKeySet.load(jwksJSON: Provider.jwksJSON([reused])))
        #expect(verifier.verify(token: token, now: Provider.now)
            == .failure(.badSignature(keyIdentifier: Provider.edKeyID, algorithm: .edDSA)))
    }

    @Test("the claims are checked every time: a cached signature does not keep an expired token alive")
    func claimsAreCheckedEveryTime() async throws {
        let provider = try await Provider.shared.value
        let verifier = try await provider.verifier()
        let token = try provider.token(kid: Provider.edKeyID, alg: "EdDSA")
        #expect((try? verifier.verify(token: token, now: Provider.now).get()) != nil)
        let later = Provider.now.addingTimeInterval(3600)
        guard case .failure = verifier.verify(token: token, now: later) else {
            Issue.record("an expired token passed on a cached signature")
            return
        }
    }
}
