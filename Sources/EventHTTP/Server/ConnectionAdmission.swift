/// The process-wide cap on open client connections (`http.max_connections`), shared by every event loop because
/// the kernel spreads connections over their listeners.
///
/// A connection over the cap is closed at once, before a byte of it is read: a flood of idle or slow connections
/// then costs a file descriptor for one loop turn, not for the length of a timeout.
final class ConnectionAdmission: Sendable {
    let limit: ConcurrencyLimit
    /// Refusals are logged at most once per interval: under a flood there would be one per connection.
    let refusalWarnings = WarningThrottle(interval: .seconds(60))

    init(maximumConnections: Int) {
        limit = ConcurrencyLimit(maximum: maximumConnections)
    }
}
