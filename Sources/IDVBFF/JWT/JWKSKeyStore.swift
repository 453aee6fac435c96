public import Foundation
import Synchronization

/// The current JWKS key set, shared by every event loop, replaced whole when the JWKS is refreshed.
///
/// Reading the set takes a lock for as long as copying a reference takes; verification then runs on the snapshot
/// without it. Fetching the JWKS is not done here: ``JWKSRefresher`` registers ``setRefreshHandler(_:)`` and hands
/// what it fetched to ``replace(withJWKSJSON:completion:)``.
public final class JWKSKeyStore: Sendable {
    private struct State {
        var keySet: JWKSKeySet
        var limiter: JWKSRefreshLimiter
        var refreshHandler: (@Sendable () -> Void)?
    }

    private let state: Mutex<State>

    /// Creates a store.
    /// - Parameters:
    ///   - keySet: The first set; ``JWKSKeySet/empty`` when the first fetch is still to come.
    ///   - limiter: The refresh rate limit; its `lastAttempt` is usually when `keySet` was fetched.
    public init(keySet: JWKSKeySet, limiter: JWKSRefreshLimiter = JWKSRefreshLimiter()) {
        state = Mutex(State(keySet: keySet, limiter: limiter, refreshHandler: nil))
    }

    /// The set to verify with now.
    public var keySet: JWKSKeySet {
        state.withLock { $0.keySet }
    }

    /// Swaps in a freshly loaded set; requests already verifying keep the set they started with.
    public func replace(with keySet: JWKSKeySet) {
        state.withLock { $0.keySet = keySet }
    }

    /// Loads a fetched JWKS document in a task and swaps it in when it holds usable keys, for callers that are not
    /// `async` themselves (an HTTP client's completion callback, say).
    ///
    /// A document that fails to load leaves the current set in place. `completion` runs on the task, not on the
    /// caller's thread; it is for logging the outcome.
    public func replace(
        withJWKSJSON jwksJSON: [UInt8],
        completion: @escaping @Sendable (Result<JWKSKeySet, JWKSLoadError>) -> Void = { _ in }
    ) {
        Task {
            do throws(JWKSLoadError) {
                let keySet = try await JWKSKeySet.load(jwksJSON: jwksJSON)
                self.replace(with: keySet)
                completion(.success(keySet))
            } catch {
                completion(.failure(error))
            }
        }
    }

    /// Sets what to call when a refresh is due; it must only start the fetch and return at once.
    public func setRefreshHandler(_ handler: @escaping @Sendable () -> Void) {
        state.withLock { $0.refreshHandler = handler }
    }

    /// Called when a token names a `kid` the set does not know: the provider may have rotated its keys. Starts a
    /// refresh through the handler when the rate limit allows; returns whether it did.
    @discardableResult
    public func requestRefresh(now: Date) -> Bool {
        let handler: (@Sendable () -> Void)? = state.withLock { state in
            guard let handler = state.refreshHandler, state.limiter.claimAttempt(now: now) else { return nil }
            return handler
        }
        // Outside the lock: the handler may well read the store.
        handler?()
        return handler != nil
    }
}

/// Decides when the JWKS may be fetched again, so that tokens naming unknown keys cannot make the service hammer the
/// identity provider.
///
/// Pure logic with the time passed in; the fetch itself happens elsewhere.
public struct JWKSRefreshLimiter: Sendable, Equatable {
    /// The shortest time between two fetch attempts, successful or not.
    public let minimumInterval: TimeInterval
    /// When the last attempt started, if there was one.
    public private(set) var lastAttempt: Date?

    /// The default ``minimumInterval``: a rotated key is picked up within a minute, and an attacker sending random
    /// `kid`s causes at most one fetch a minute.
    public static let defaultMinimumInterval: TimeInterval = 60

    /// Creates a limiter.
    /// - Parameters:
    ///   - minimumInterval: The shortest time between two attempts; negative values count as zero.
    ///   - lastAttempt: When the last attempt started, typically when the current set was loaded; `nil` allows one now.
    public init(minimumInterval: TimeInterval = JWKSRefreshLimiter.defaultMinimumInterval, lastAttempt: Date? = nil) {
        self.minimumInterval = max(minimumInterval, 0)
        self.lastAttempt = lastAttempt
    }

    /// Whether a fetch may start at `now`.
    ///
    /// A clock that stepped back before the last attempt allows one: otherwise a large step would block refreshes
    /// until the clock caught up. Recording that attempt then sets a new reference, so this cannot repeat per request.
    public func shouldRefresh(now: Date) -> Bool {
        guard let lastAttempt else { return true }
        let elapsed = now.timeIntervalSince(lastAttempt)
        return elapsed < 0 || elapsed >= minimumInterval
    }

    /// Notes that a fetch started at `now`.
    private mutating func recordAttempt(at now: Date) {
        lastAttempt = now
    }

    /// Checks and records in one step: whether a fetch may start at `now`, noting it as started if so.
    public mutating func claimAttempt(now: Date) -> Bool {
        guard shouldRefresh(now: now) else { return false }
        recordAttempt(at: now)
        return true
    }
}
