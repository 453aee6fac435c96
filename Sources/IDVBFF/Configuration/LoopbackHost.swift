#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Recognises hosts that only ever reach this machine, where plain HTTP exposes nothing on the network.
enum LoopbackHost {
    /// Whether `host` is `localhost`, an address in 127.0.0.0/8, or `::1` (IPv6 addresses without brackets).
    static func contains(_ host: String) -> Bool {
        let lowercased = host.lowercased()
        if lowercased == "localhost" || lowercased == "localhost." {
            return true
        }
        var ipv4 = [UInt8](repeating: 0, count: 4)
        if inet_pton(AF_INET, lowercased, &ipv4) == 1 {
            return ipv4[0] == 127
        }
        var ipv6 = [UInt8](repeating: 0, count: 16)
        if inet_pton(AF_INET6, lowercased, &ipv6) == 1 {
            let isIPv6Loopback = ipv6[0..<15].allSatisfy { $0 == 0 } && ipv6[15] == 1
            let isIPv4MappedLoopback = ipv6[0..<10].allSatisfy { $0 == 0 } && ipv6[10] == 0xFF && ipv6[11] == 0xFF
                && ipv6[12] == 127
            return isIPv6Loopback || isIPv4MappedLoopback
        }
        return false
    }
}
