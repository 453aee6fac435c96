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

/// Why a text is not a CIDR block, phrased for an operator fixing the configuration.
public struct CIDRParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong with the text.
    public enum Reason: Sendable, Equatable {
        /// The part before `/` is not an IPv4 or IPv6 address (zone ids, brackets and host names are not accepted).
        case notAnAddress
        /// The part after `/` is not a whole number from 0 to `maximum`.
        case invalidPrefixLength(maximum: Int)
        /// Bits after the prefix are set, so the text is an address inside `block` rather than the block itself;
        /// refused because it is more often a typo than intended.
        case hostBitsSet(block: CIDR)
    }

    /// The longest part of the offending text quoted in ``description``, in characters.
    static let maximumQuotedLength = 64

    /// The offending text.
    public var text: String
    /// What is wrong with it.
    public var reason: Reason

    /// Creates an error for `text`.
    public init(text: String, reason: Reason) {
        self.text = text
        self.reason = reason
    }

    /// One sentence naming the text and what is expected instead.
    public var description: String {
        let quoted = text.count > Self.maximumQuotedLength ? String(text.prefix(Self.maximumQuotedLength)) + "…" : text
        switch reason {
        case .notAnAddress:
            return "\"\(quoted)\" is not an IP address or CIDR block such as 10.0.0.0/8 or fd00::/8"
        case .invalidPrefixLength(let maximum):
            return "\"\(quoted)\" has a prefix length that is not a whole number from 0 to \(maximum)"
        case .hostBitsSet(let block):
            return "\"\(quoted)\" has bits set after its prefix length; write the block as \(block)"
        }
    }
}
