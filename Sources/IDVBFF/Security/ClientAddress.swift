public import EventHTTP
/// Who sent a request, as far as the server can tell, and whether a forwarding header was ignored on the way.
public struct ClientAddress: Sendable, Equatable {
    /// Where ``address`` came from.
    public enum Source: Sendable, Equatable {
        /// The socket peer: no trusted proxy was involved.
        case peer
        /// An `X-Forwarded-For` entry written by a trusted proxy.
        case forwardedFor
    }

    /// The client's address; `nil` when the socket peer is unknown (the connection is gone) or not an IP address.
    public var address: IPAddress?
    /// Where ``address`` came from.
    public var source: Source
    /// Whether the request carried `X-Forwarded-For` that was ignored because the peer is not a trusted proxy.
    ///
    /// Either someone forges the header, or the service runs behind a load balancer that is not configured as
    /// trusted, so that every visitor shares the balancer's rate limit; worth a (throttled) warning.
    public var ignoredForwardedFor: Bool

    /// Creates a resolved address.
    public init(address: IPAddress?, source: Source, ignoredForwardedFor: Bool = false) {
        self.address = address
        self.source = source
        self.ignoredForwardedFor = ignoredForwardedFor
    }
}
