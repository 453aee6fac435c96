#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
