import Crypto
import Synchronization

/// Tokens that passed every check, so that a token presented again (a retried `fetch`, a second click, a renewal
/// before the component loaded, every request of a session) costs a SHA-256 and a lookup instead of decoding,
/// parsing and a public-key operation, the bulk of a request's CPU time with `contact.policy: jwt`. API gateways
/// keep such a cache for the same reason.
///
/// Entries are keyed by the SHA-256 of the whole token, so only the very bytes that passed hit. An entry names the
/// key object that verified the signature (its ``JWKSVerificationKey/serial``): the key set is asked for that key on
/// every hit, so a key removed from the set, or a `kid` reused for other key material in a set loaded anew, never
/// meets an old entry. What can change with time, `exp` and `nbf`, is checked on every request; `iss`, `aud`, the
/// algorithm and the contact claim were checked once against options that do not change. Only successes are kept,
/// so failed guesses cannot fill it. Bounded: when full, it starts again empty.
final class JWTVerifiedTokenCache: Sendable {
    /// What a verified token said, and the key that verified it.
    struct Entry: Sendable, Equatable {
        var keySerial: UInt64
        var keyIdentifier: String
        var algorithm: JWTSignatureAlgorithm
        var claims: JWTTimedClaims
    }

    /// Entries kept at most: a few MiB.
    static let defaultCapacity = 10_000

    private let capacity: Int
    private let entries = Mutex<[SHA256Digest: Entry]>([:])

    init(capacity: Int = JWTVerifiedTokenCache.defaultCapacity) {
        self.capacity = capacity
    }

    /// The key entries are filed under for `token`.
    static func digest(of token: Substring) -> SHA256Digest {
        token.utf8.withContiguousStorageIfAvailable { SHA256.hash(data: $0) } ?? SHA256.hash(data: Array(token.utf8))
    }

    /// The entry for the token with this digest, if it passed before.
    func entry(for digest: SHA256Digest) -> Entry? {
        entries.withLock { $0[digest] }
    }

    /// Keeps what a token that passed every check said.
    func keep(_ entry: Entry, for digest: SHA256Digest) {
        entries.withLock { entries in
            if entries.count >= capacity {
                entries.removeAll(keepingCapacity: true)
            }
            entries[digest] = entry
        }
    }

    /// How many tokens are kept, for tests.
    var count: Int {
        entries.withLock { $0.count }
    }
}
