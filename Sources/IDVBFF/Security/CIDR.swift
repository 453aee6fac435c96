public import EventHTTP
/// A block of IP addresses such as `10.0.0.0/8` or `fd00::/8`, for deciding whom to trust.
///
/// IPv4 blocks are held as IPv4-mapped IPv6 blocks (`10.0.0.0/8` is `::ffff:10.0.0.0/104`), matching how
/// ``IPAddress`` holds IPv4 addresses: an IPv4 block contains an IPv4 client however it was written, and never an
/// IPv6 one.
public struct CIDR: Sendable, Hashable {
    /// The block's first address; every bit after the prefix is zero.
    public let network: IPAddress
    /// How many leading bits of all 128 are fixed; 96 more than the IPv4 prefix length for IPv4 blocks.
    let mappedPrefixLength: Int

    init(network: IPAddress, mappedPrefixLength: Int) {
        self.network = network.masked(toPrefixLength: mappedPrefixLength)
        self.mappedPrefixLength = mappedPrefixLength
    }

    /// The block of `prefixLength` leading bits of `network`, counted in the address's own family: 0–32 for IPv4,
    /// 0–128 for IPv6. Bits after the prefix are cleared. `nil` when the length is out of range.
    public init?(network: IPAddress, prefixLength: Int) {
        let maximum = network.isIPv4 ? 32 : 128
        guard (0...maximum).contains(prefixLength) else { return nil }
        self.init(network: network, mappedPrefixLength: network.isIPv4 ? 96 + prefixLength : prefixLength)
    }

    /// The block holding exactly one address: `/32` for IPv4, `/128` for IPv6.
    public init(host address: IPAddress) {
        self.init(network: address, mappedPrefixLength: 128)
    }

    /// Whether this is an IPv4 block (written either way).
    public var isIPv4: Bool {
        network.isIPv4 && mappedPrefixLength >= 96
    }

    /// The prefix length in the block's own family: 0–32 for IPv4, 0–128 for IPv6.
    public var prefixLength: Int {
        isIPv4 ? mappedPrefixLength - 96 : mappedPrefixLength
    }

    /// Whether `address` lies inside the block.
    public func contains(_ address: IPAddress) -> Bool {
        address.masked(toPrefixLength: mappedPrefixLength) == network
    }
}

extension CIDR: CustomStringConvertible {
    /// The block in the usual notation: `10.0.0.0/8`, `fd00::/8`.
    public var description: String {
        "\(network)/\(prefixLength)"
    }
}
