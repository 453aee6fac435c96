import Testing
@testable import EventHTTP
@testable import IDVBFF

@Suite("Rate limiter")
struct RateLimiterTests {
    /// 6 per minute (a token every 10 seconds), 2 at once.
    private let policy = RateLimitPolicy(perMinute: 6, burst: 2)

    private func address(_ text: String) throws -> IPAddress {
        try #require(IPAddress(text))
    }

    /// The `index`-th address of 10.0.0.0/8 (the first 16 million distinct IPv4 clients).
    private func distinctAddress(_ index: Int) -> IPAddress {
        IPAddress(ipv4: (10, UInt8(truncatingIfNeeded: index >> 16), UInt8(truncatingIfNeeded: index >> 8), UInt8(truncatingIfNeeded: index)))
    }

    @Test func limitsEachClientToItsBurst() throws {
        let limiter = RateLimiter(policy: policy, clock: ManualMonotonicClock().clock)
        let client = try address("198.51.100.1")
        #expect(limiter.take(for: client) == .allowed(remaining: 1, resetSeconds: 10))
        #expect(limiter.take(for: client) == .allowed(remaining: 0, resetSeconds: 10))
        #expect(limiter.take(for: client) == .limited(retryAfterSeconds: 10))
    }

    @Test func keepsClientsApart() throws {
        let limiter = RateLimiter(policy: policy, clock: ManualMonotonicClock().clock)
        let greedy = try address("198.51.100.1")
        let other = try address("198.51.100.2")
        for _ in 0..<5 { _ = limiter.take(for: greedy) }
        #expect(!limiter.take(for: greedy).isAllowed)
        #expect(limiter.take(for: other) == .allowed(remaining: 1, resetSeconds: 10))
    }

    @Test func refillsWithTheClock() throws {
        let time = ManualMonotonicClock()
        let limiter = RateLimiter(policy: policy, clock: time.clock)
        let client = try address("198.51.100.1")
        _ = limiter.take(for: client)
        _ = limiter.take(for: client)
        #expect(!limiter.take(for: client).isAllowed)
        time.advance(by: .seconds(10))
        #expect(limiter.take(for: client).isAllowed)
    }

    @Test func sharesABucketAcrossAnIPv6Slash64() throws {
        let limiter = RateLimiter(policy: policy, clock: ManualMonotonicClock().clock)
        _ = limiter.take(for: try address("2001:db8:1:2::1"))
        _ = limiter.take(for: try address("2001:db8:1:2::2"))
        #expect(!limiter.take(for: try address("2001:db8:1:2:ffff::3")).isAllowed)
        #expect(limiter.take(for: try address("2001:db8:1:3::1")).isAllowed)
        #expect(limiter.trackedClientCount == 2)
    }

    @Test func keysIPv4ClientsByTheirWholeAddress() throws {
        let limiter = RateLimiter(policy: policy, clock: ManualMonotonicClock().clock)
        _ = limiter.take(for: try address("198.51.100.1"))
        _ = limiter.take(for: try address("198.51.100.1"))
        #expect(limiter.take(for: try address("198.51.100.2")).isAllowed)
        #expect(limiter.key(for: try address("198.51.100.2")) == (try address("198.51.100.2")))
    }

    @Test func sharesOneBucketAmongClientsOfUnknownAddress() throws {
        let limiter = RateLimiter(policy: policy, clock: ManualMonotonicClock().clock)
        _ = limiter.take(for: nil)
        _ = limiter.take(for: nil)
        #expect(!limiter.take(for: nil).isAllowed)
        #expect(limiter.take(for: try address("::")).isAllowed)
    }

    @Test func tracksNothingWhenDisabled() {
        let limiter = RateLimiter(policy: .disabled, clock: ManualMonotonicClock().clock)
        for index in 0..<1000 {
            #expect(limiter.take(for: distinctAddress(index % 3)) == .unlimited)
        }
        #expect(limiter.trackedClientCount == 0)
        #expect(limiter.headers(for: .unlimited) == [:])
    }

    @Test func forgetsClientsWhoseBucketsAreFullAgain() {
        let time = ManualMonotonicClock()
        let limiter = RateLimiter(policy: policy, maximumTrackedClients: 64, shardCount: 1, clock: time.clock)
        for index in 0..<64 { _ = limiter.take(for: distinctAddress(index)) }
        #expect(limiter.trackedClientCount == 64)
        time.advance(by: .seconds(10))  // every bucket is full again
        _ = limiter.take(for: distinctAddress(1000))
        #expect(limiter.trackedClientCount == 1)
    }

    @Test func boundsMemoryUnderAFloodOfTwoHundredThousandDistinctAddresses() {
        let time = ManualMonotonicClock()
        let limiter = RateLimiter(policy: policy, clock: time.clock)
        #expect(limiter.maximumTrackedClients == 99_968)  // 64 shards of 1562
        var refused = 0
        var largestCount = 0
        for index in 0..<200_000 {
            refused += limiter.take(for: distinctAddress(index)).isAllowed ? 0 : 1
            if index % 500 == 0 {
                largestCount = max(largestCount, limiter.trackedClientCount)
                time.advance(by: .milliseconds(1))
            }
        }
        #expect(refused == 0)
        #expect(largestCount <= limiter.maximumTrackedClients)
        #expect(limiter.trackedClientCount <= limiter.maximumTrackedClients)
        // Room is made a sixteenth at a time, not by forgetting everyone.
        #expect(limiter.trackedClientCount > limiter.maximumTrackedClients * 7 / 8)
    }

    @Test func roundsTheBoundDownToAMultipleOfTheShardCount() {
        #expect(RateLimiter(policy: policy, maximumTrackedClients: 10_000).maximumTrackedClients == 9_984)
        #expect(RateLimiter(policy: policy, maximumTrackedClients: 0).maximumTrackedClients == 1)
    }

    @Test func neverTracksMoreThanTheCapEvenForAMoment() {
        let limiter = RateLimiter(policy: policy, maximumTrackedClients: 1_000, shardCount: 1, clock: ManualMonotonicClock().clock)
        var largestCount = 0
        for index in 0..<20_000 {
            _ = limiter.take(for: distinctAddress(index))
            largestCount = max(largestCount, limiter.trackedClientCount)
        }
        #expect(largestCount == 1_000)
    }

    @Test func aFloodOfNewAddressesDoesNotResetALimitedClient() throws {
        let time = ManualMonotonicClock()
        let limiter = RateLimiter(policy: policy, maximumTrackedClients: 100, shardCount: 1, clock: time.clock)
        let abuser = try address("198.51.100.1")
        for _ in 0..<10 { _ = limiter.take(for: abuser) }
        #expect(!limiter.take(for: abuser).isAllowed)
        for index in 0..<10_000 {
            _ = limiter.take(for: distinctAddress(index))
        }
        #expect(limiter.trackedClientCount <= 100)
        #expect(!limiter.take(for: abuser).isAllowed)
    }

    @Test func aFloodOfNewAddressesLeavesOtherClientsServed() throws {
        let limiter = RateLimiter(policy: policy, maximumTrackedClients: 100, shardCount: 4, clock: ManualMonotonicClock().clock)
        for index in 0..<10_000 {
            _ = limiter.take(for: distinctAddress(index))
        }
        #expect(limiter.take(for: try address("203.0.113.7")).isAllowed)
    }

    @Test func neverHasMoreShardsThanTrackedClients() {
        let limiter = RateLimiter(policy: policy, maximumTrackedClients: 10, shardCount: 64, clock: ManualMonotonicClock().clock)
        #expect(limiter.maximumTrackedClients == 10)
        for index in 0..<1_000 {
            _ = limiter.take(for: distinctAddress(index))
            #expect(limiter.trackedClientCount <= 10)
        }
    }

    @Test func allowsExactlyTheBurstToOneClientHammeredFromManyTasks() async throws {
        let limiter = RateLimiter(policy: RateLimitPolicy(perMinute: 1, burst: 50), clock: ManualMonotonicClock().clock)
        let client = try address("198.51.100.1")
        let allowed = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    (0..<1_000).reduce(0) { count, _ in count + (limiter.take(for: client).isAllowed ? 1 : 0) }
                }
            }
            return await group.reduce(0, +)
        }
        #expect(allowed == 50)
    }

    @Test func keepsManyClientsExactUnderConcurrentUse() async {
        let limiter = RateLimiter(policy: RateLimitPolicy(perMinute: 1, burst: 5), clock: ManualMonotonicClock().clock)
        let clients = (0..<200).map(distinctAddress)
        let allowed = await withTaskGroup(of: Int.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var count = 0
                    for round in 0..<10 {
                        for index in clients.indices where (index + task + round) % 2 == 0 {
                            count += limiter.take(for: clients[index]).isAllowed ? 1 : 0
                        }
                    }
                    return count
                }
            }
            return await group.reduce(0, +)
        }
        #expect(allowed == 200 * 5)
    }

    // MARK: Eviction order

    @Test func makingRoomDropsFullBucketsFirstThenThoseNearestToFull() {
        var entries: [IPAddress?: Int64] = [:]
        for index in 0..<32 {
            entries[distinctAddress(index)] = Int64(index)  // full at 0, 1, … 31
        }
        RateLimiterShard.makeRoom(in: &entries, capacity: 32, now: 10)
        // 0…10 are full at 10 and go; nothing else needs to, as a sixteenth (2) is already free.
        #expect(entries.count == 21)
        #expect(entries.values.min() == 11)

        RateLimiterShard.makeRoom(in: &entries, capacity: 21, now: 0)
        // Nothing is full at 0: the one nearest to full (11) goes, freeing a sixteenth of 21 (at least one).
        #expect(entries.count == 20)
        #expect(entries.values.min() == 12)
    }

    @Test func makingRoomDropsExactlyEnoughAmongEqualBuckets() {
        var entries: [IPAddress?: Int64] = [:]
        for index in 0..<32 {
            entries[distinctAddress(index)] = 100
        }
        RateLimiterShard.makeRoom(in: &entries, capacity: 32, now: 0)
        #expect(entries.count == 30)
    }
}
