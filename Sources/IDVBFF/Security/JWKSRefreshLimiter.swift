public import Foundation

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
