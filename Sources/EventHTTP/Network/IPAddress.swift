#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
    public func masked(toPrefixLength prefixLength: Int) -> IPAddress {
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


extension IPAddress {
    /// The longest textual address accepted: a full IPv6 address with an embedded IPv4 part,
    /// `ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255`.
    static let maximumTextLength = 45

    /// Parses IPv4 dotted-quad (`192.0.2.1`) or IPv6 (`2001:db8::1`, `::ffff:192.0.2.1`) text with `inet_pton`.
    ///
    /// Returns `nil` for anything else: brackets, ports, zone ids (`fe80::1%eth0`), whitespace, octal-looking IPv4
    /// octets such as `010`, and shortened IPv4 forms such as `10.1`. An IPv4-mapped IPv6 address is the IPv4
    /// address.
    public init?(_ text: some StringProtocol) {
        let bytes = text.utf8
        // Checking the alphabet first keeps NUL bytes (which would end the C string early), zone ids and other
        // decoration away from inet_pton.
        guard !bytes.isEmpty, bytes.count <= Self.maximumTextLength, bytes.allSatisfy(Self.isAddressCharacter) else {
            return nil
        }
        let isIPv6 = bytes.contains(UInt8(ascii: ":"))
        let parsed: IPAddress? = withUnsafeTemporaryAllocation(of: CChar.self, capacity: Self.maximumTextLength + 1) {
            buffer in
            var end = 0
            for byte in bytes {
                buffer[end] = CChar(bitPattern: byte)
                end += 1
            }
            buffer[end] = 0
            return isIPv6 ? Self.parseIPv6(buffer.baseAddress!) : Self.parseIPv4(buffer.baseAddress!)
        }
        guard let parsed else { return nil }
        self = parsed
    }

    private static func isAddressCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
            UInt8(ascii: "A")...UInt8(ascii: "F"), UInt8(ascii: ":"), UInt8(ascii: "."):
            true
        default:
            false
        }
    }

    // inet_pton writes into plain bytes rather than in_addr/in6_addr: several C modules declare those structs,
    // and which one Swift attributes them to would decide which import their members need.
    private static func parseIPv4(_ text: UnsafePointer<CChar>) -> IPAddress? {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4) { bytes in
            guard inet_pton(AF_INET, text, bytes.baseAddress!) == 1 else { return nil }
            return IPAddress(ipv4: (bytes[0], bytes[1], bytes[2], bytes[3]))
        }
    }

    private static func parseIPv6(_ text: UnsafePointer<CChar>) -> IPAddress? {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { bytes in
            guard inet_pton(AF_INET6, text, bytes.baseAddress!) == 1 else { return nil }
            var high: UInt64 = 0
            var low: UInt64 = 0
            for index in 0..<8 {
                high = high << 8 | UInt64(bytes[index])
                low = low << 8 | UInt64(bytes[index + 8])
            }
            return IPAddress(high: high, low: low)
        }
    }
}


extension IPAddress: CustomStringConvertible {
    /// Dotted-quad text for IPv4 (also when it was written IPv4-mapped), RFC 5952 text for IPv6.
    public var description: String {
        if isIPv4 {
            let value = ipv4Value
            return "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
        }
        // Plain bytes rather than in6_addr, for the same reason as in parsing.
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<8 {
            bytes[index] = UInt8(truncatingIfNeeded: high >> UInt64(56 - index * 8))
            bytes[index + 8] = UInt8(truncatingIfNeeded: low >> UInt64(56 - index * 8))
        }
        let capacity = Int(INET6_ADDRSTRLEN)
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: capacity) { buffer in
            guard inet_ntop(AF_INET6, bytes, buffer.baseAddress!, socklen_t(capacity)) != nil else {
                return uncompressedIPv6Text  // Not expected: the buffer fits any IPv6 address.
            }
            return String(cString: buffer.baseAddress!)
        }
    }

    /// Eight hexadecimal groups without `::` shortening.
    private var uncompressedIPv6Text: String {
        (0..<8).map { group in
            let half = group < 4 ? high : low
            return String(UInt16(truncatingIfNeeded: half >> UInt64(48 - (group % 4) * 16)), radix: 16)
        }.joined(separator: ":")
    }
}
