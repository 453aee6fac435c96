public import EventHTTP

/// Where the first answer to each `Idempotency-Key` is kept, shared by every loop. In memory, per replica, today
/// (``IdempotencyTable``); a shared store (Redis) for several replicas would implement the same three calls.
public protocol IdempotencyStore: Sendable {
    /// Claims `key` for a new request, or says what became of the request that claimed it first. When the answer is
    /// ``IdempotencyClaim/waiting``, `waiter` is called once with that request's answer, on whatever thread
    /// finishes it.
    func claim(_ key: IdempotencyRecordKey, fingerprint: IdempotencyFingerprint, waiter: @escaping @Sendable (HTTPResponse) -> Void) -> IdempotencyClaim

    /// The claimed request's answer: kept for replays when `keep` (until the key expires), handed to every waiter
    /// either way. Without `keep` the key is released, so that a retry runs the request again.
    func finish(_ key: IdempotencyRecordKey, answer: HTTPResponse, keep: Bool)
}

/// Who asked, and with which key: the same key from two clients is two keys.
public struct IdempotencyRecordKey: Hashable, Sendable {
    public var client: String
    public var key: String

    public init(client: String, key: String) {
        self.client = client
        self.key = key
    }
}

/// A digest of what was asked (method, path and body), so that a key reused for another request is noticed.
public struct IdempotencyFingerprint: Hashable, Sendable {
    public var digest: [UInt8]

    public init(digest: [UInt8]) {
        self.digest = digest
    }
}

/// The outcome of ``IdempotencyStore/claim(_:fingerprint:waiter:)``.
public enum IdempotencyClaim: Sendable, Equatable {
    /// The key is new (or expired): run the request, then ``IdempotencyStore/finish(_:answer:keep:)``.
    case proceed
    /// A request with this key was answered: send this again.
    case replay(HTTPResponse)
    /// A request with this key is still running; the waiter will get its answer.
    case waiting
    /// The key was used for a different request.
    case mismatch
    /// The store is full of requests still running: run this one without protection.
    case unavailable
}
