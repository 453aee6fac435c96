public import EventHTTP
import Synchronization

/// The in-memory ``IdempotencyStore``: one table for the process, behind one lock taken only by requests that carry
/// an `Idempotency-Key`. Bounded: answers are kept for `ttl`, and when `capacity` records exist the oldest kept
/// answer makes room (requests still running are never dropped).
public final class IdempotencyTable: IdempotencyStore {
    private let ttl: Duration
    private let capacity: Int
    private let clock: MonotonicClock
    private let state = Mutex(State())

    private struct State {
        var records: [IdempotencyRecordKey: Record] = [:]
        /// Kept answers in the order they were kept, which with one TTL is the order they expire.
        var keptOrder: [(key: IdempotencyRecordKey, expires: Duration)] = []
        var keptOrderStart = 0
    }

    private enum Record {
        case running(IdempotencyFingerprint, waiters: [@Sendable (HTTPResponse) -> Void])
        case answered(IdempotencyFingerprint, HTTPResponse, expires: Duration)
    }

    public init(ttlSeconds: Int, capacity: Int, clock: MonotonicClock = .continuous) {
        ttl = .seconds(ttlSeconds)
        self.capacity = capacity
        self.clock = clock
    }

    /// Records held now, running and answered.
    public var count: Int { state.withLock { $0.records.count } }

    public func claim(
        _ key: IdempotencyRecordKey, fingerprint: IdempotencyFingerprint,
        waiter: @escaping @Sendable (HTTPResponse) -> Void
    ) -> IdempotencyClaim {
        let now = clock.now()
        return state.withLock { state in
            Self.expire(&state, now: now, capacity: nil)
            switch state.records[key] {
            case .running(let first, var waiters)?:
                guard first == fingerprint else { return .mismatch }
                waiters.append(waiter)
                state.records[key] = .running(first, waiters: waiters)
                return .waiting
            case .answered(let first, let answer, _)?:
                return first == fingerprint ? .replay(answer) : .mismatch
            case nil:
                if state.records.count >= capacity {
                    Self.expire(&state, now: now, capacity: capacity)
                    guard state.records.count < capacity else { return .unavailable }
                }
                state.records[key] = .running(fingerprint, waiters: [])
                return .proceed
            }
        }
    }

    public func finish(_ key: IdempotencyRecordKey, answer: HTTPResponse, keep: Bool) {
        let expires = clock.now() + ttl
        let waiters: [@Sendable (HTTPResponse) -> Void] = state.withLock { state in
            guard case .running(let fingerprint, let waiters)? = state.records[key] else { return [] }
            if keep {
                state.records[key] = .answered(fingerprint, answer, expires: expires)
                state.keptOrder.append((key, expires))
            } else {
                state.records[key] = nil
            }
            return waiters
        }
        for waiter in waiters {
            waiter(answer)
        }
    }

    /// Drops expired answers; with `capacity`, also the oldest kept answers until there is room for one more.
    private static func expire(_ state: inout State, now: Duration, capacity: Int?) {
        while state.keptOrderStart < state.keptOrder.count {
            let oldest = state.keptOrder[state.keptOrderStart]
            let full = capacity.map { state.records.count >= $0 } ?? false
            guard oldest.expires <= now || full else { break }
            state.keptOrderStart += 1
            // A key re-claimed after expiring has a newer entry further on; only drop the record this one kept.
            if case .answered(_, _, let expires)? = state.records[oldest.key], expires == oldest.expires {
                state.records[oldest.key] = nil
            }
        }
        if state.keptOrderStart > 1024, state.keptOrderStart * 2 > state.keptOrder.count {
            state.keptOrder.removeFirst(state.keptOrderStart)
            state.keptOrderStart = 0
        }
    }
}
