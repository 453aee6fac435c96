/// A key in a JWKS that cannot be used to verify contact tokens, and why; worth a warning in the log.
public struct JWKSSkippedKey: Sendable, Equatable, CustomStringConvertible {
    /// The key's `kid`, when it has one.
    public var keyIdentifier: String?
    /// Why the key is not used.
    public var reason: String

    /// Creates a record of a skipped key.
    public init(keyIdentifier: String?, reason: String) {
        self.keyIdentifier = keyIdentifier
        self.reason = reason
    }

    /// `key "kid": reason`, or `key without kid: reason`.
    public var description: String {
        if let keyIdentifier {
            return "key \"\(APIError.quotable(keyIdentifier))\": \(reason)"
        }
        return "key without kid: \(reason)"
    }
}
