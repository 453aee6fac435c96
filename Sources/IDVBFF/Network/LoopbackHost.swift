import EventHTTP

/// Recognises hosts that only ever reach this machine, where plain HTTP exposes nothing on the network.
enum LoopbackHost {
    // IPv4-mapped IPv6 addresses (`::ffff:127.0.0.1`) parse as IPv4, so they fall in the first block.
    private static let loopbackBlocks = [CIDR("127.0.0.0/8"), CIDR("::1/128")].compactMap { $0 }

    /// Whether `host` is `localhost`, an address in 127.0.0.0/8, or `::1` (IPv6 addresses without brackets).
    static func contains(_ host: String) -> Bool {
        let lowercased = host.lowercased()
        if lowercased == "localhost" || lowercased == "localhost." {
            return true
        }
        guard let address = IPAddress(lowercased) else { return false }
        return loopbackBlocks.contains { $0.contains(address) }
    }
}
