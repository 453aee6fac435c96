import Testing
@testable import EventHTTP
@testable import IDVBFF

@Suite("Concurrency-limited client")
struct ConcurrencyLimitedClientTests {
    /// Holds every call's completion until the test finishes it.
    private final class HeldClient: ClientLoopClient {
        private(set) var completions: [(Result<IDVSession, UpstreamFailure>) -> Void] = []

        func createIdvSession(
            contactId: String?,
            requestID: String,
            propagating headers: HTTPHeaders,
            completion: @escaping (Result<IDVSession, UpstreamFailure>) -> Void
        ) {
            completions.append(completion)
        }

        func dropAll() {
            completions.removeAll()
        }
    }

    private static let session = IDVSession(token: "tok", expiresAt: "2026-01-01T00:10:00Z")

    @Test func passesCallsThroughUnderTheCap() {
        let upstream = HeldClient()
        let limit = ConcurrencyLimit(maximum: 2)
        let client = ConcurrencyLimitedClient(wrapping: upstream, limit: limit)
        var results: [Result<IDVSession, UpstreamFailure>] = []
        client.createIdvSession(contactId: "ct_1", requestID: "r1") { results.append($0) }
        #expect(upstream.completions.count == 1)
        #expect(limit.inFlight == 1)
        upstream.completions[0](.success(Self.session))
        #expect(results == [.success(Self.session)])
        #expect(limit.inFlight == 0)
    }

    @Test func failsBusyAtOnceOverTheCapWithoutCallingUpstream() {
        let upstream = HeldClient()
        let limit = ConcurrencyLimit(maximum: 1)
        let client = ConcurrencyLimitedClient(wrapping: upstream, limit: limit)
        client.createIdvSession(contactId: nil, requestID: "r1") { _ in }
        var results: [Result<IDVSession, UpstreamFailure>] = []
        client.createIdvSession(contactId: nil, requestID: "r2") { results.append($0) }
        #expect(upstream.completions.count == 1)
        #expect(results == [.failure(.busy)])
        #expect(UpstreamFailure.busy.apiError == .upstreamBusy(retryAfterSeconds: 1))
    }

    @Test func releasesTheSlotBeforePassingTheResultOn() {
        let upstream = HeldClient()
        let limit = ConcurrencyLimit(maximum: 1)
        let client = ConcurrencyLimitedClient(wrapping: upstream, limit: limit)
        var inFlightSeenByCompletion: Int?
        client.createIdvSession(contactId: nil, requestID: "r1") { _ in inFlightSeenByCompletion = limit.inFlight }
        upstream.completions[0](.failure(.timeout))
        #expect(inFlightSeenByCompletion == 0)
    }

    @Test func releasesExactlyOnceEvenIfUpstreamCompletesTwice() {
        let upstream = HeldClient()
        let limit = ConcurrencyLimit(maximum: 2)
        let client = ConcurrencyLimitedClient(wrapping: upstream, limit: limit)
        client.createIdvSession(contactId: nil, requestID: "r1") { _ in }
        client.createIdvSession(contactId: nil, requestID: "r2") { _ in }
        #expect(limit.inFlight == 2)
        upstream.completions[0](.failure(.timeout))
        upstream.completions[0](.failure(.timeout))
        #expect(limit.inFlight == 1)
    }

    @Test func getsTheSlotBackWhenUpstreamDropsACompletionUncalled() {
        let upstream = HeldClient()
        let limit = ConcurrencyLimit(maximum: 1)
        let client = ConcurrencyLimitedClient(wrapping: upstream, limit: limit)
        client.createIdvSession(contactId: nil, requestID: "r1") { _ in }
        #expect(limit.inFlight == 1)
        upstream.dropAll()
        #expect(limit.inFlight == 0)
    }

    @Test func sharesOneCapAcrossLoops() {
        let limit = ConcurrencyLimit(maximum: 1)
        let firstLoop = ConcurrencyLimitedClient(wrapping: HeldClient(), limit: limit)
        let secondLoop = ConcurrencyLimitedClient(wrapping: HeldClient(), limit: limit)
        firstLoop.createIdvSession(contactId: nil, requestID: "r1") { _ in }
        var results: [Result<IDVSession, UpstreamFailure>] = []
        secondLoop.createIdvSession(contactId: nil, requestID: "r2") { results.append($0) }
        #expect(results == [.failure(.busy)])
    }
}
