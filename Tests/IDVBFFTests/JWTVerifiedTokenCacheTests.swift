import Foundation
import JWTKit
import Testing
@testable import IDVBFF

@Suite("JWT verified-token cache")
struct JWTVerifiedTokenCacheTests {
    typealias Provider = TestIdentityProvider

    @Test("a token seen again is answered from the cache; altered bytes are checked afresh and refused")
    func keepsOnlyWhatPassed() async throws {
        let provider = try await Provider.shared.value
        let verifier = try await provider.verifier()
        let token = try provider.token(kid: Provider.edKeyID, alg: "EdDSA")
        let first = verifier.verify(token: token, now: Provider.now)
        #expect(first.map(\.keyIdentifier) == .success(Provider.edKeyID))
        #expect(verifier.verify(token: token, now: Provider.now) == first)
        #expect(verifier.cachedTokenCount == 1)
        // The last signature character changed: another token, whose signature fails.
        var altered = Array(token.utf8)
        altered[altered.count - 2] = altered[altered.count - 2] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        #expect(verifier.verify(token: String(decoding: altered, as: UTF8.self), now: Provider.now)
            == .failure(.badSignature(keyIdentifier: Provider.edKeyID, algorithm: .edDSA)))
        #expect(verifier.cachedTokenCount == 1)  // failures are never kept
    }

    @Test("a full cache starts again empty")
    func boundedByCapacity() {
        let cache = JWTVerifiedTokenCache(capacity: 2)
        let entry = JWTVerifiedTokenCache.Entry(keySerial: 1, keyIdentifier: "k", algorithm: .edDSA,
                                                claims: JWTTimedClaims(expiration: 1, notBefore: nil, contactId: nil))
        for token in ["a", "b", "c"] {
            cache.keep(entry, for: JWTVerifiedTokenCache.digest(of: token[...]))
        }
        #expect(cache.count == 1)
        #expect(cache.entry(for: JWTVerifiedTokenCache.digest(of: "c")) == entry)
        #expect(cache.entry(for: JWTVerifiedTokenCache.digest(of: "a")) == nil)
    }

    @Test("a JWKS loaded anew never meets the old keys' entries: a kid reused for another key, a key removed",
          arguments: [(Provider.edKeyID, JWTVerificationFailure.badSignature(keyIdentifier: Provider.edKeyID, algorithm: .edDSA)),
                      ("another", .unknownKeyIdentifier(Provider.edKeyID))])
    func aNewKeySetStartsAfresh(newKeyIdentifier: String, failure: JWTVerificationFailure) async throws {
        let provider = try await Provider.shared.value
        let store = try await provider.keyStore()
        let verifier = JWTContactVerifier(options: Provider.options(), keyStore: store)
        let token = try provider.token(kid: Provider.edKeyID, alg: "EdDSA")
        #expect(verifier.verify(token: token, now: Provider.now).map(\.keyIdentifier) == .success(Provider.edKeyID))
        #expect(verifier.cachedTokenCount == 1)

        let other = try EdDSA.PrivateKey(curve: .ed25519)
        let replacement = ["kty": "OKP", "crv": "Ed25519", "kid": newKeyIdentifier, "alg": "EdDSA",
                           "x": JWTBase64URL.encode(other.publicKey.rawRepresentation)]
        store.replace(with: try await JWKSKeySet.load(jwksJSON: Provider.jwksJSON([replacement])))
        #expect(verifier.verify(token: token, now: Provider.now) == .failure(failure))
    }

    @Test("exp and nbf are checked every time: a cached token expires, and one with a later nbf waits for it")
    func timeIsCheckedEveryTime() async throws {
        let provider = try await Provider.shared.value
        let verifier = try await provider.verifier()
        let token = try provider.token(kid: Provider.edKeyID, alg: "EdDSA")
        #expect((try? verifier.verify(token: token, now: Provider.now).get()) != nil)
        let later = Provider.now.addingTimeInterval(3600)
        guard case .failure(.expired) = verifier.verify(token: token, now: later) else {
            Issue.record("an expired token passed from the cache")
            return
        }
        // The same answer a verifier that never saw the token gives.
        let fresh = try await provider.verifier()
        #expect(verifier.verify(token: token, now: later) == fresh.verify(token: token, now: later))

        let notBefore = Int(Provider.now.timeIntervalSince1970) + 120
        let early = try provider.token(claims: Provider.claims(["nbf": notBefore, "exp": notBefore + 300]), kid: Provider.edKeyID, alg: "EdDSA")
        #expect((try? verifier.verify(token: early, now: Provider.now.addingTimeInterval(180)).get()) != nil)
        guard case .failure(.notYetValid) = verifier.verify(token: early, now: Provider.now) else {
            Issue.record("a token before its nbf passed from the cache")
            return
        }
    }
}
