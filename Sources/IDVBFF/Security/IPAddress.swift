/// An IPv4 or IPv6 address as 128 bits, for matching against CIDR blocks and keying rate limits.
///
/// IPv4 addresses are kept in their IPv4-mapped IPv6 form (`::ffff:a.b.c.d`), so `1.2.3.4` and `::ffff:1.2.3.4` are
/// the same address: dual-stack sockets and proxies write either form for the same client.
public struct IPAddress: Sendable, Hashable {
    /// The upper 64 bits, in network order (the first byte is the most significant).
    let high: UInt64
    /// The lower 64 bits, in network order.
    let low: UInt64

    /// The prefix that marks an IPv4-mapped address in the lower half: `::ffff:0:0/96`.
    static let mappedIPv4Marker: UInt64 = 0x0000_FFFF_0000_0000

    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The address of four IPv4 octets, such as `IPAddress(ipv4: (192, 0, 2, 1))`.
    public init(ipv4 octets: (UInt8, UInt8, UInt8, UInt8)) {
        let value = UInt32(octets.0) << 24 | UInt32(octets.1) << 16 | UInt32(octets.2) << 8 | UInt32(octets.3)
        self.init(high: 0, low: Self.mappedIPv4Marker | UInt64(value))
    }

    /// Whether this is an IPv4 address (including one written in IPv4-mapped IPv6 form).
    public var isIPv4: Bool {
        high == 0 && low & 0xFFFF_FFFF_0000_0000 == Self.mappedIPv4Marker
    }

    /// The 32-bit IPv4 value, meaningful only when ``isIPv4``.
    var ipv4Value: UInt32 {
        UInt32(truncatingIfNeeded: low)
    }

    /// The address with every bit after the first `prefixLength` (of 128) cleared.
    func masked(toPrefixLength prefixLength: Int) -> IPAddress {
        let mask = Self.mask(prefixLength: prefixLength)
        return IPAddress(high: high & mask.high, low: low & mask.low)
    }

    /// The 128-bit netmask with `prefixLength` leading ones, split into halves.
    static func mask(prefixLength: Int) -> (high: UInt64, low: UInt64) {
        let length = min(max(prefixLength, 0), 128)
        // Shifting a UInt64 by 64 is not "all bits gone" in every language; spell the edges out.
        let high: UInt64 = length >= 64 ? .max : (length == 0 ? 0 : ~(UInt64.max >> UInt64(length)))
        let lowLength = length - 64
        let low: UInt64 = lowLength >= 64 ? .max : (lowLength <= 0 ? 0 : ~(UInt64.max >> UInt64(lowLength)))
        return (high, low)
    }
}
