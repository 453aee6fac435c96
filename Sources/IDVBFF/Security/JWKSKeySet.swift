/// An immutable snapshot of the identity provider's signing keys, indexed by `kid` and algorithm.
///
/// Snapshots are never changed: a refreshed JWKS becomes a new snapshot that ``JWKSKeyStore`` swaps in whole, so a
/// request always checks its token against one consistent set.
public struct JWKSKeySet: Sendable {
    /// What the set holds for a token's `kid` and `alg`.
    public enum Lookup: Sendable {
        /// The key to check the signature with.
        case found(JWKSVerificationKey)
        /// No key has this `kid`: the token names a key the set does not know (perhaps a newer one).
        case unknownKeyIdentifier
        /// Keys with this `kid` exist, but none is for the token's algorithm; `available` lists theirs.
        case algorithmMismatch(available: [JWTSignatureAlgorithm])
    }

    private let keysByIdentifier: [String: [JWKSVerificationKey]]

    /// Keys of the document that are not used, with the reason; empty for a clean JWKS.
    public let skippedKeys: [JWKSSkippedKey]

    /// A set without keys: every token is refused as naming an unknown key until a real set replaces it.
    public static let empty = JWKSKeySet(keys: [], skippedKeys: [])

    /// Builds a set from keys already made, the first key winning when a `kid` and algorithm repeat.
    init(keys: [JWKSVerificationKey], skippedKeys: [JWKSSkippedKey]) {
        var keysByIdentifier: [String: [JWKSVerificationKey]] = [:]
        var skippedKeys = skippedKeys
        for key in keys {
            let siblings = keysByIdentifier[key.keyIdentifier, default: []]
            if siblings.contains(where: { $0.algorithm == key.algorithm }) {
                // Two keys claiming the same kid and algorithm cannot both be right; keep the one listed first.
                skippedKeys.append(.init(keyIdentifier: key.keyIdentifier, reason: "repeats a kid already used for \(key.algorithm.rawValue)"))
                continue
            }
            keysByIdentifier[key.keyIdentifier] = siblings + [key]
        }
        self.keysByIdentifier = keysByIdentifier
        self.skippedKeys = skippedKeys
    }

    /// The `kid`s in the set, sorted.
    public var keyIdentifiers: [String] {
        keysByIdentifier.keys.sorted()
    }

    /// Whether the set holds no key at all.
    public var isEmpty: Bool {
        keysByIdentifier.isEmpty
    }

    /// The key for a token's `kid` and `alg`; there is no default key, so a token must name its key.
    public func lookup(keyIdentifier: String, algorithm: JWTSignatureAlgorithm) -> Lookup {
        guard let candidates = keysByIdentifier[keyIdentifier] else {
            return .unknownKeyIdentifier
        }
        guard let key = candidates.first(where: { $0.algorithm == algorithm }) else {
            return .algorithmMismatch(available: candidates.map(\.algorithm).sorted())
        }
        return .found(key)
    }
}
