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
