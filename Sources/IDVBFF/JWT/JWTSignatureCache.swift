import Crypto
import Synchronization

/// Signatures already verified, so that a token presented again (a retried `fetch`, a second click, a renewal
/// before the component loaded) costs a SHA-256 instead of a public-key operation, the bulk of a request's CPU time
/// with `contact.policy: jwt`. API gateways keep such a cache for the same reason.
///
/// An entry is the digest of the verifying key's ``JWKSVerificationKey/serial``, the signing input and the
/// signature: only the very bytes that passed, under the very key object that passed them, hit. A key set loaded
/// anew has new serials, so a `kid` reused for other key material never meets an old entry, and a key removed from
/// the set is refused before the cache is asked. Only successes are kept, so failed guesses cannot fill it; the
/// claims (`exp`, `nbf`, `iss`, `aud`) are checked on every request. Bounded: when full, it starts again empty.
final class JWTSignatureCache: Sendable {
    /// Entries kept at most: a few hundred KiB.
    static let defaultCapacity = 10_000

    private let capacity: Int
    private let verified = Mutex<Set<SHA256Digest>>([])

    init(capacity: Int = JWTSignatureCache.defaultCapacity) {
        self.capacity = capacity
    }

    /// Whether `signature` is `key`'s signature of `signingInput`: from the cache, or checked by `key` and then kept.
    func isValid(_ signature: [UInt8], of signingInput: ArraySlice<UInt8>, by key: JWKSVerificationKey) -> Bool {
        var hash = SHA256()
        withUnsafeBytes(of: key.serial.littleEndian) { hash.update(bufferPointer: $0) }
        hash.update(data: signingInput)
        hash.update(data: [UInt8(ascii: ".")])
        hash.update(data: signature)
        let digest = hash.finalize()
        if verified.withLock({ $0.contains(digest) }) {
            return true
        }
        guard key.isValidSignature(signature, of: signingInput) else { return false }
        verified.withLock { entries in
            if entries.count >= capacity {
                entries.removeAll(keepingCapacity: true)
            }
            entries.insert(digest)
        }
        return true
    }

    /// How many signatures are kept, for tests.
    var count: Int {
        verified.withLock { $0.count }
    }
}
