import Synchronization
public import EventHTTP

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
