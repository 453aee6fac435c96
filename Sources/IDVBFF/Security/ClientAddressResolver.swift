public import EventHTTP
/// Decides which address a request comes from: the socket peer, or what trusted proxies say in `X-Forwarded-For`.
///
/// Each proxy appends the address it received the request from, so the right end of `X-Forwarded-For` is written by
/// the proxy nearest to the server and the left end by whoever sent the request, possibly a liar. The resolver walks
/// from the right, past trusted proxies only, and stops at the first address that is not one of them: that is the
/// client. Everything further left is the client's own claim and is never used.
public struct ClientAddressResolver: Sendable {
    /// The warning for operators when ``ClientAddress/ignoredForwardedFor`` is set.
    public static let untrustedForwardedForWarning =
        "requests carry X-Forwarded-For from an untrusted peer; set proxy.trusted_cidrs (PROXY_TRUSTED_CIDRS) to the "
        + "load balancer's addresses, or every visitor shares its rate limit"

    /// The proxies whose `X-Forwarded-For` is believed.
    public let trustedProxies: TrustedProxies

    /// Creates a resolver that believes `X-Forwarded-For` only from `trustedProxies`.
    public init(trustedProxies: TrustedProxies = .empty) {
        self.trustedProxies = trustedProxies
    }

    /// The client of `request`.
    public func resolve(_ request: HTTPRequest) -> ClientAddress {
        resolve(peerAddress: request.peerAddress, headers: request.headers)
    }

    /// The client of a request from `peerAddress` (as the socket reports it) with `headers`.
    ///
    /// - The peer is the client unless it is a trusted proxy; then `X-Forwarded-For` is walked from the right,
    ///   skipping trusted addresses, and the first untrusted one is the client.
    /// - When every entry is trusted, the left-most is the client.
    /// - An entry that is not an address ends the walk: the last trusted address before it (or the peer) is the
    ///   client, since nothing beyond garbage can be vouched for.
    public func resolve(peerAddress: String?, headers: HTTPHeaders) -> ClientAddress {
        let peer = peerAddress.flatMap(Self.peerIPAddress)
        guard let peer, trustedProxies.contains(peer) else {
            return ClientAddress(
                address: peer, source: .peer, ignoredForwardedFor: ClientAddressForwardedFor.isPresent(in: headers))
        }
        var client = ClientAddress(address: peer, source: .peer)
        for entry in ClientAddressForwardedFor.entriesFromRight(headers) {
            guard let address = ClientAddressForwardedFor.address(inEntry: entry) else { break }
            client = ClientAddress(address: address, source: .forwardedFor)
            if !trustedProxies.contains(address) {
                break
            }
        }
        return client
    }

    /// The socket peer's address. A link-local peer comes with a zone (`fe80::1%eth0`); the zone is the server's own
    /// interface name, not part of who the client is, so it is dropped here (unlike in `X-Forwarded-For`).
    private static func peerIPAddress(_ text: String) -> IPAddress? {
        IPAddress(text.split(separator: "%", maxSplits: 1, omittingEmptySubsequences: false)[0])
    }
}
