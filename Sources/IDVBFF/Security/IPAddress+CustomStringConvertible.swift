#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
