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
        resolve(peer: request.peerIPAddress, headers: request.headers)
    }

    /// The client of a request from the socket peer `peer` with `headers`.
    ///
    /// - The peer is the client unless it is a trusted proxy; then `X-Forwarded-For` is walked from the right,
    ///   skipping trusted addresses, and the first untrusted one is the client.
    /// - When every entry is trusted, the left-most is the client.
    /// - An entry that is not an address ends the walk: the last trusted address before it (or the peer) is the
    ///   client, since nothing beyond garbage can be vouched for.
    public func resolve(peer: IPAddress?, headers: HTTPHeaders) -> ClientAddress {
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

    /// The scheme a request arrived with at the edge: `https` only when the socket peer is a trusted proxy and it
    /// says so in one `X-Forwarded-Proto` value; otherwise `http`, which is what this listener speaks. A list
    /// (`https, http`) is not believed: which proxy wrote which member cannot be told.
    public func scheme(peer: IPAddress?, headers: HTTPHeaders) -> WebScheme {
        guard !trustedProxies.isEmpty, let peer, trustedProxies.contains(peer) else {
            return .http
        }
        let values = headers.values(named: "X-Forwarded-Proto")
        guard values.count == 1, values[0].trimmingSpacesAndTabs().lowercased() == "https" else { return .http }
        return .https
    }
}

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

/// Reading `X-Forwarded-For`, a comma-separated list of addresses that each proxy appends its peer to.
enum ClientAddressForwardedFor {
    /// The header's name.
    static let headerName = "X-Forwarded-For"

    /// The entries of every `X-Forwarded-For` field, right-most first, as if the fields were joined with commas in
    /// order. Empty entries (`a,,b`) are skipped, as HTTP list syntax asks; surrounding spaces and tabs are trimmed.
    static func entriesFromRight(_ headers: HTTPHeaders) -> [String] {
        HTTPFieldList.members(of: headers.values(named: headerName)).reversed()
    }

    /// Whether any `X-Forwarded-For` field is present, even an empty one.
    static func isPresent(in headers: HTTPHeaders) -> Bool {
        headers.contains(headerName)
    }

    /// The address in one entry: `192.0.2.1`, `192.0.2.1:5678`, `2001:db8::1`, `[2001:db8::1]` or
    /// `[2001:db8::1]:4711`. `nil` for anything else (`unknown`, host names, zone ids, bad ports).
    static func address(inEntry entry: String) -> IPAddress? {
        let entry = Substring(entry)
        if entry.hasPrefix("[") {
            guard let close = entry.firstIndex(of: "]") else { return nil }
            let afterClose = entry[entry.index(after: close)...]
            guard afterClose.isEmpty || (afterClose.hasPrefix(":") && isPort(afterClose.dropFirst())) else { return nil }
            return IPAddress(entry[entry.index(after: entry.startIndex)..<close])
        }
        let colons = entry.utf8.lazy.filter { $0 == UInt8(ascii: ":") }.count
        // One colon can only be IPv4 with a port; IPv6 without brackets has at least two and takes no port.
        if colons == 1, let colon = entry.firstIndex(of: ":") {
            guard isPort(entry[entry.index(after: colon)...]) else { return nil }
            return IPAddress(entry[..<colon])
        }
        return IPAddress(entry)
    }

    /// One to five ASCII digits no larger than 65535.
    private static func isPort(_ text: Substring) -> Bool {
        let digits = text.utf8
        guard (1...5).contains(digits.count), digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else {
            return false
        }
        return Int(text).map { $0 <= 65535 } ?? false
    }
}

/// The proxies (load balancers, CDNs) whose `X-Forwarded-For` is believed, as CIDR blocks.
///
/// Empty by default: then only the socket peer identifies a client, because anyone can write `X-Forwarded-For`.
public struct TrustedProxies: Sendable, Equatable {
    /// The blocks, in the order given.
    public let blocks: [CIDR]

    /// Trusts no one.
    public static let empty = TrustedProxies([])

    /// Trusts the given blocks.
    public init(_ blocks: [CIDR]) {
        self.blocks = blocks
    }

    /// Whether no proxy is trusted.
    public var isEmpty: Bool {
        blocks.isEmpty
    }

    /// Whether `address` belongs to a trusted proxy.
    public func contains(_ address: IPAddress) -> Bool {
        blocks.contains { $0.contains(address) }
    }

    /// Parses a comma-separated list such as `10.0.0.0/8, fd00::/8, 127.0.0.1`.
    ///
    /// Spaces around entries and empty entries are ignored. Every bad entry is reported, so that configuration can
    /// list them all at once; the good ones are kept either way.
    public static func parse(commaSeparated list: String) -> (trustedProxies: TrustedProxies, problems: [CIDRParseError]) {
        parse(entries: HTTPFieldList.members(of: [list]))
    }

    /// Parses one entry per element, as from a YAML or JSON list; spaces around entries and empty entries are
    /// ignored.
    public static func parse(entries: [String]) -> (trustedProxies: TrustedProxies, problems: [CIDRParseError]) {
        var blocks: [CIDR] = []
        var problems: [CIDRParseError] = []
        for entry in entries {
            let trimmed = entry.trimmingSpacesAndTabs()
            guard !trimmed.isEmpty else { continue }
            do {
                blocks.append(try CIDR(parsing: trimmed))
            } catch {
                problems.append(error)
            }
        }
        return (TrustedProxies(blocks), problems)
    }
}
