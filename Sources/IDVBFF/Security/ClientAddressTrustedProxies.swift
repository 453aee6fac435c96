public import EventHTTP
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
