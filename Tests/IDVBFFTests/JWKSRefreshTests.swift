import Foundation
import Synchronization
import Testing
@testable import EventHTTP
@testable import IDVBFF

@Suite("JWKS refresh")
struct JWKSRefreshTests {
    typealias Provider = TestIdentityProvider

    private static let start = Provider.now

    // MARK: Limiter

    @Test func allowsTheFirstRefresh() {
        #expect(JWKSRefreshLimiter(minimumInterval: 60).shouldRefresh(now: Self.start))
    }

    @Test func refusesARefreshWithinTheMinimumInterval() {
        let limiter = JWKSRefreshLimiter(minimumInterval: 60, lastAttempt: Self.start)
        #expect(!limiter.shouldRefresh(now: Self.start))
        #expect(!limiter.shouldRefresh(now: Self.start.addingTimeInterval(59.9)))
    }

    @Test func allowsARefreshOnceTheMinimumIntervalHasPassed() {
        let limiter = JWKSRefreshLimiter(minimumInterval: 60, lastAttempt: Self.start)
        #expect(limiter.shouldRefresh(now: Self.start.addingTimeInterval(60)))
    }

    @Test func claimingRecordsTheAttempt() {
        var limiter = JWKSRefreshLimiter(minimumInterval: 60)
        let first = limiter.claimAttempt(now: Self.start)
        let second = limiter.claimAttempt(now: Self.start.addingTimeInterval(1))
        #expect(first && !second)
        #expect(limiter.lastAttempt == Self.start)
        let later = limiter.claimAttempt(now: Self.start.addingTimeInterval(61))
        #expect(later)
    }

    @Test func aClockThatSteppedBackAllowsOneRefreshThenLimitsAgain() {
        var limiter = JWKSRefreshLimiter(minimumInterval: 60, lastAttempt: Self.start)
        let earlier = Self.start.addingTimeInterval(-3600)
        let afterStep = limiter.claimAttempt(now: earlier)
        let secondAfterStep = limiter.claimAttempt(now: earlier.addingTimeInterval(1))
        #expect(afterStep && !secondAfterStep)
    }

    @Test func treatsANegativeIntervalAsZero() {
        #expect(JWKSRefreshLimiter(minimumInterval: -5).minimumInterval == 0)
    }

    // MARK: Store

    @Test func onlyOneOfManyConcurrentRequestsRefreshes() async {
        let store = JWKSKeyStore(keySet: .empty, limiter: JWKSRefreshLimiter(minimumInterval: 60))
        let refreshes = RefreshCounter()
        store.setRefreshHandler { refreshes.increment() }
        let wins = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<64 {
                group.addTask { store.requestRefresh(now: Self.start) }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(wins == 1)
        #expect(refreshes.value == 1)
        #expect(!store.requestRefresh(now: Self.start.addingTimeInterval(30)))
        #expect(store.requestRefresh(now: Self.start.addingTimeInterval(60)))
    }

    @Test func unknownKeyIdentifiersTriggerAtMostOneRefreshPerInterval() async throws {
        let provider = try await Provider.shared.value
        let store = try await provider.keyStore(limiter: JWKSRefreshLimiter(minimumInterval: 60))
        let refreshes = RefreshCounter()
        store.setRefreshHandler { refreshes.increment() }
        let verifier = JWTContactVerifier(options: Provider.options(), keyStore: store)
        let token = try provider.token(headerKid: "rotated-2")

        for second in 0..<100 {
            let result = verifier.verify(token: token, now: Self.start.addingTimeInterval(Double(second) * 0.5))
            #expect(result == .failure(.unknownKeyIdentifier("rotated-2")))
        }
        #expect(refreshes.value == 1)

        _ = verifier.verify(token: token, now: Self.start.addingTimeInterval(60))
        #expect(refreshes.value == 2)
    }

    @Test func knownKeysNeverTriggerARefresh() async throws {
        let provider = try await Provider.shared.value
        let store = try await provider.keyStore()
        let refreshes = RefreshCounter()
        store.setRefreshHandler { refreshes.increment() }
        let verifier = JWTContactVerifier(options: Provider.options(), keyStore: store)
        _ = verifier.verify(token: try provider.token(claims: Provider.claims(["iss": "other"])), now: Self.start)
        _ = verifier.verify(token: try provider.token(), now: Self.start)
        #expect(refreshes.value == 0)
    }

    @Test func withoutAHandlerNoRefreshIsClaimed() {
        let store = JWKSKeyStore(keySet: .empty)
        #expect(!store.requestRefresh(now: Self.start))
        // The attempt without a handler claimed nothing: one with a handler may refresh at once.
        store.setRefreshHandler {}
        #expect(store.requestRefresh(now: Self.start))
    }

    @Test func aReplacedKeySetVerifiesTheRotatedKey() async throws {
        let provider = try await Provider.shared.value
        let store = JWKSKeyStore(keySet: try await JWKSKeySet.load(jwksJSON: Provider.jwksJSON([provider.ecJWK()])))
        let verifier = JWTContactVerifier(options: Provider.options(), keyStore: store)
        let token = try provider.token(kid: Provider.edKeyID, alg: "EdDSA")
        #expect(verifier.verify(token: token, now: Self.start) == .failure(.unknownKeyIdentifier(Provider.edKeyID)))

        store.replace(with: try await JWKSKeySet.load(jwksJSON: Provider.jwksJSON([provider.ecJWK(), provider.edJWK()])))
        #expect(verifier.verify(token: token, now: Self.start).map(\.keyIdentifier) == .success(Provider.edKeyID))
    }

    @Test func replacingFromJSONSwapsInAUsableSetAndKeepsTheOldOneOtherwise() async throws {
        let provider = try await Provider.shared.value
        let store = JWKSKeyStore(keySet: .empty)
        let document = try provider.jwksJSON()
        let loaded = await withCheckedContinuation { continuation in
            store.replace(withJWKSJSON: document) { continuation.resume(returning: $0) }
        }
        #expect((try? loaded.get())?.keyIdentifiers == ["ec-1", "ed-1", "rsa-1"])
        #expect(store.keySet.keyIdentifiers == ["ec-1", "ed-1", "rsa-1"])

        let refused = await withCheckedContinuation { continuation in
            store.replace(withJWKSJSON: Array(#"{"keys":[]}"#.utf8)) { continuation.resume(returning: $0) }
        }
        #expect(refused.failureError == .noUsableKeys(skipped: []))
        #expect(store.keySet.keyIdentifiers == ["ec-1", "ed-1", "rsa-1"])
    }

    @Test func anEmptyStoreRefusesEveryTokenAsNamingAnUnknownKey() async throws {
        let provider = try await Provider.shared.value
        let verifier = JWTContactVerifier(options: Provider.options(), keyStore: JWKSKeyStore(keySet: .empty))
        #expect(verifier.verify(token: try provider.token(), now: Self.start) == .failure(.unknownKeyIdentifier(Provider.rsaKeyID)))
    }
}

/// Counts refresh requests from any thread.
private final class RefreshCounter: Sendable {
    private let count = Atomic<Int>(0)

    func increment() {
        count.add(1, ordering: .relaxed)
    }

    var value: Int {
        count.load(ordering: .relaxed)
    }
}
