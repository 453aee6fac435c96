public import EventHTTP
import Synchronization

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
    private let policyFieldValue: String
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
        policyFieldValue = RateLimitHeaders.policyValue(of: policy)
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
        RateLimitHeaders.fields(for: decision, policyValue: policyFieldValue)
    }

    /// The number of clients tracked; it locks every shard in turn, so only tests, proving the table bounded, ask.
    var trackedClientCount: Int {
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

/// One slice of a ``RateLimiter``'s clients, behind its own lock, with a fixed maximum number of entries.
///
/// An entry is a client's ``TokenBucket/fullAt`` in nanoseconds; a client without an entry has a full bucket.
final class RateLimiterShard: Sendable {
    /// The most entries the shard holds.
    let capacity: Int
    private let fullAtByClient = Mutex<[IPAddress?: Int64]>([:])

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
    }

    /// The number of clients tracked.
    var count: Int {
        fullAtByClient.withLock { $0.count }
    }

    /// Takes a token from `client`'s bucket at `now`.
    func take(for client: IPAddress?, policy: RateLimitPolicy, now: Int64) -> RateLimitDecision {
        fullAtByClient.withLock { entries in
            let known = entries[client]
            var bucket = TokenBucket(policy: policy, fullAtNanoseconds: known ?? now)
            let decision = bucket.take(nowNanoseconds: now)
            // A refused request changes nothing, so only allowed ones are written (and a new client is never refused).
            guard decision.isAllowed else { return decision }
            if known == nil, entries.count >= capacity {
                Self.makeRoom(in: &entries, capacity: capacity, now: now)
            }
            entries[client] = bucket.fullAtNanoseconds
            return decision
        }
    }

    /// Frees at least a sixteenth of the shard, so that the work is shared by many insertions.
    ///
    /// Full buckets go first: forgetting them changes no decision. If that is not enough, the buckets nearest to
    /// full go next: forgetting one refills it early by the least. Clients that are being limited are furthest from
    /// full, so they are the last to go, and a flood of new addresses cannot wash a limited client's state away.
    static func makeRoom(in entries: inout [IPAddress?: Int64], capacity: Int, now: Int64) {
        let target = capacity - max(capacity / 16, 1)
        entries = entries.filter { $0.value > now }
        let excess = entries.count - target
        guard excess > 0 else { return }
        let cutoff = entries.values.sorted()[excess - 1]
        let belowCutoff = entries.values.lazy.filter { $0 < cutoff }.count
        var tiesToDrop = excess - belowCutoff
        entries = entries.filter { _, fullAt in
            if fullAt < cutoff { return false }
            if fullAt == cutoff, tiesToDrop > 0 {
                tiesToDrop -= 1
                return false
            }
            return true
        }
    }
}

/// How many requests one client may make: a sustained rate per minute and a burst it may spend at once.
///
/// A token bucket holds up to ``burst`` tokens and refills at ``perMinute`` / 60 tokens per second; a request takes
/// one token or is refused.
public struct RateLimitPolicy: Sendable, Equatable {
    /// The largest burst accepted; beyond it a limit limits nothing, and the nanosecond arithmetic stays far from
    /// overflowing.
    public static let maximumBurst = 1_000_000

    /// Tokens added per minute; 0 turns rate limiting off.
    public let perMinute: Int
    /// The bucket's capacity: how many requests a rested client may make at once.
    public let burst: Int

    /// No limit at all.
    public static let disabled = RateLimitPolicy(perMinute: 0, burst: 1)

    /// Creates a policy. Configuration validates the numbers; here a negative rate counts as 0 (off) and the burst is
    /// kept within 1...``maximumBurst``, so that no value can make the arithmetic misbehave.
    public init(perMinute: Int, burst: Int) {
        self.perMinute = max(perMinute, 0)
        self.burst = min(max(burst, 1), Self.maximumBurst)
    }

    /// Whether requests are limited at all.
    public var isEnabled: Bool {
        perMinute > 0
    }

    /// The time an empty bucket takes to fill, in whole seconds rounded up: the `w` of `RateLimit-Policy`.
    public var windowSeconds: Int {
        guard isEnabled else { return 0 }
        let nanoseconds = Int64(burst) * nanosecondsPerToken
        return Int((nanoseconds + 999_999_999) / 1_000_000_000)
    }

    /// The time one token takes to come back. At least a nanosecond, so absurd rates stay finite.
    var nanosecondsPerToken: Int64 {
        guard isEnabled else { return 0 }
        return max(60_000_000_000 / Int64(perMinute), 1)
    }
}

/// What a token bucket says about one request, with what the `RateLimit` header fields and `Retry-After` need.
public enum RateLimitDecision: Sendable, Equatable {
    /// Rate limiting is off: nothing was counted, and no rate-limit header is sent.
    case unlimited
    /// The request may proceed. `remaining` whole tokens are left; `resetSeconds` is how long until the client can do
    /// better than now: until the bucket is full again, or, when nothing remains, until the next token is back.
    case allowed(remaining: Int, resetSeconds: Int)
    /// The request is refused; a token is back after `retryAfterSeconds` (rounded up, at least 1).
    case limited(retryAfterSeconds: Int)

    /// Whether the request may proceed.
    public var isAllowed: Bool {
        switch self {
        case .unlimited, .allowed: true
        case .limited: false
        }
    }
}
