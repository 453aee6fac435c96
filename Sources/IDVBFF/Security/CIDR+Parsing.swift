public import EventHTTP
extension CIDR {
    /// Parses `address/prefix` (`10.0.0.0/8`, `fd00::/8`, `::ffff:10.0.0.0/104`) or a bare address, which is a
    /// block of one (`127.0.0.1` is `/32`, `::1` is `/128`).
    ///
    /// The prefix length counts in the family the address is written in, so an IPv4-mapped IPv6 block takes an
    /// IPv6 length. Whitespace, zone ids and bits set after the prefix are errors.
    public init(parsing text: some StringProtocol) throws(CIDRParseError) {
        let whole = String(text)
        let parts = whole.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(parts[0]) else {
            throw CIDRParseError(text: whole, reason: .notAnAddress)
        }
        // The family as written, not as stored: `::ffff:10.0.0.0/104` counts IPv6 bits.
        let writtenAsIPv6 = parts[0].utf8.contains(UInt8(ascii: ":"))
        let maximum = writtenAsIPv6 ? 128 : 32
        guard parts.count == 2 else {
            self.init(host: address)
            return
        }
        guard let length = Self.prefixLength(parts[1], maximum: maximum) else {
            throw CIDRParseError(text: whole, reason: .invalidPrefixLength(maximum: maximum))
        }
        let block = CIDR(network: address, mappedPrefixLength: writtenAsIPv6 ? length : 96 + length)
        guard block.network == address else {
            throw CIDRParseError(text: whole, reason: .hostBitsSet(block: block))
        }
        self = block
    }

    /// Parses like ``init(parsing:)``, or returns `nil` when the text is not a block.
    public init?(_ text: some StringProtocol) {
        guard let block = try? CIDR(parsing: text) else { return nil }
        self = block
    }

    /// One to three ASCII digits no larger than `maximum`.
    private static func prefixLength(_ text: Substring, maximum: Int) -> Int? {
        let digits = text.utf8
        guard (1...3).contains(digits.count), digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let length = Int(text), length <= maximum
        else {
            return nil
        }
        return length
    }
}
