public import EventHTTP
/// Per-client rate limits shared by every event loop: a token bucket per client address, in bounded memory.
///
/// Clients are spread over shards by a seeded hash of their address, each shard behind its own lock, so loops
/// rarely wait for each other and no lock covers all clients. Each shard holds at most its share of
/// ``maximumTrackedClients``; when one is full it forgets full buckets first (that changes no decision), then those
/// nearest to full (that refills them early by the least). Limited clients are furthest from full, so they are
/// forgotten last. A new client is always tracked and allowed: a flood of distinct addresses costs the flood its own
/// entries, never memory beyond the bound, and never other clients' access or a limited client's state.
///
/// IPv6 clients are keyed by their /64 (``ipv6KeyPrefixLength``): one subscriber or host usually holds a whole
/// /64, and keying single addresses would give it 2⁶⁴ buckets.
public final class RateLimiter: Sendable {
    /// The default bound on tracked clients.
    public static let defaultMaximumTrackedClients = 100_000
    /// The default number of shards.
    public static let defaultShardCount = 64
    /// The default prefix length that identifies an IPv6 client.
    public static let defaultIPv6KeyPrefixLength = 64

    /// The limit every client gets.
    public let policy: RateLimitPolicy
    /// The most clients tracked at once: the requested bound rounded down to a multiple of the shard count.
    public let maximumTrackedClients: Int
    /// How many leading bits of an IPv6 address identify a client.
    public let ipv6KeyPrefixLength: Int

    private let clock: MonotonicClock
    private let shards: [RateLimiterShard]
    // Mixed into the shard hash so the shard choice is independent of each shard's own dictionary hashing.
    private let shardSeed = UInt64.random(in: .min ... .max)

    /// Creates a limiter.
    /// - Parameters:
    ///   - policy: The limit every client gets; a per-minute rate of 0 turns limiting off.
    ///   - maximumTrackedClients: The bound on clients remembered at once (at least 1).
    ///   - shardCount: How many independently locked shards share the clients (at most one per tracked client).
    ///   - ipv6KeyPrefixLength: How many leading bits of an IPv6 address identify a client (1–128).
    ///   - clock: The monotonic clock buckets refill by.
    public init(
        policy: RateLimitPolicy,
        maximumTrackedClients: Int = defaultMaximumTrackedClients,
        shardCount: Int = defaultShardCount,
        ipv6KeyPrefixLength: Int = defaultIPv6KeyPrefixLength,
        clock: MonotonicClock = .continuous
    ) {
        let bound = max(maximumTrackedClients, 1)
        let count = min(max(shardCount, 1), bound)
        let perShard = bound / count
        self.policy = policy
        self.maximumTrackedClients = perShard * count
        self.ipv6KeyPrefixLength = min(max(ipv6KeyPrefixLength, 1), 128)
        self.clock = clock
        self.shards = (0..<count).map { _ in RateLimiterShard(capacity: perShard) }
    }

    /// Takes a token from `client`'s bucket now. Clients whose address is unknown share one bucket.
    public func take(for client: IPAddress?) -> RateLimitDecision {
        guard policy.isEnabled else { return .unlimited }
        let key = key(for: client)
        return shard(for: key).take(for: key, policy: policy, now: clock.now().wholeNanoseconds)
    }

    /// The `RateLimit-Policy` and `RateLimit` fields describing `decision` (see ``RateLimitHeaders``); empty when
    /// limiting is off.
    public func headers(for decision: RateLimitDecision) -> HTTPHeaders {
        RateLimitHeaders.fields(for: decision, policy: policy)
    }

    /// The number of clients currently tracked, for tests and metrics; it locks every shard in turn.
    public var trackedClientCount: Int {
        shards.reduce(0) { $0 + $1.count }
    }

    /// The address that stands for `client`'s bucket: IPv6 addresses cut to ``ipv6KeyPrefixLength``.
    func key(for client: IPAddress?) -> IPAddress? {
        guard let client, !client.isIPv4 else { return client }
        return client.masked(toPrefixLength: ipv6KeyPrefixLength)
    }

    private func shard(for key: IPAddress?) -> RateLimiterShard {
        var hasher = Hasher()
        hasher.combine(shardSeed)
        hasher.combine(key)
        return shards[Int(UInt(bitPattern: hasher.finalize()) % UInt(shards.count))]
    }
}
