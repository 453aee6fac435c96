import Synchronization
import Foundation
import JWTKit

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

extension JWKSKeySet {
    /// The smallest RSA modulus accepted, in bits.
    public static let minimumRSAModulusBits = 2048

    /// Reads a JWKS document (RFC 7517 §5) into a key set.
    ///
    /// Keys that cannot verify contact tokens are skipped and listed in ``skippedKeys`` rather than failing the whole
    /// document: providers publish encryption keys and new key types next to their signing keys. A key is skipped
    /// when it has no `kid`, is not for signatures (`use`, `key_ops`), holds private material, is symmetric (`oct`)
    /// or of an unknown type, names an algorithm its `kty`/`crv` cannot do, or is an RSA key under 2048 bits.
    ///
    /// This is `async` because jwt-kit turns a JWK into a verifier only through its `JWTKeyCollection` actor. It runs
    /// once per JWKS (at start-up and on each refresh), never per request: verifying a token with the resulting set is
    /// synchronous. From an event-loop callback, use ``JWKSKeyStore/replace(withJWKSJSON:completion:)``.
    /// - Parameter jwksJSON: The JWKS document's bytes.
    /// - Throws: ``JWKSLoadError/notAKeySet(detail:)`` when the document is not a key set,
    ///   ``JWKSLoadError/noUsableKeys(skipped:)`` when no key in it can be used.
    public static func load(jwksJSON: [UInt8]) async throws(JWKSLoadError) -> JWKSKeySet {
        let document: JWKSDocument
        do {
            document = try JSONDecoder().decode(JWKSDocument.self, from: Data(jwksJSON))
        } catch {
            throw .notAKeySet(detail: Self.describe(error))
        }
        var keys: [JWKSVerificationKey] = []
        var skipped: [JWKSSkippedKey] = []
        for entry in document.keys {
            switch entry.assessment() {
            case .skipped(let skip):
                skipped.append(skip)
            case .usable(let jwk, let keyIdentifier, let algorithms):
                for algorithm in algorithms {
                    do {
                        let verifier = try await makeVerifier(jwk: jwk, keyIdentifier: keyIdentifier, algorithm: algorithm)
                        keys.append(JWKSVerificationKey(keyIdentifier: keyIdentifier, algorithm: algorithm, verifier: verifier))
                    } catch {
                        skipped.append(.init(
                            keyIdentifier: keyIdentifier,
                            reason: "cannot be used for \(algorithm.rawValue): \(Self.describe(error))"
                        ))
                    }
                }
            }
        }
        let set = JWKSKeySet(keys: keys, skippedKeys: skipped)
        guard !set.isEmpty else {
            throw .noUsableKeys(skipped: set.skippedKeys)
        }
        return set
    }

    /// jwt-kit's verifier for `jwk` pinned to `algorithm`.
    private static func makeVerifier(
        jwk: JWK,
        keyIdentifier: String,
        algorithm: JWTSignatureAlgorithm
    ) async throws -> any JWTAlgorithm {
        var pinned = jwk
        // With `alg` set, jwt-kit builds the verifier for exactly that algorithm and never for the token's own.
        pinned.algorithm = JWK.Algorithm(rawValue: algorithm.rawValue)
        // A collection of one key: nothing else in it can be picked as a default.
        let collection = JWTKeyCollection()
        try await collection.add(jwk: pinned)
        let verifier = try await collection.getKey(for: JWKIdentifier(string: keyIdentifier))
        guard verifier.name == algorithm.rawValue else {
            throw JWKSVerifierMismatch(expected: algorithm.rawValue, actual: verifier.name)
        }
        return verifier
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context), DecodingError.typeMismatch(_, let context),
            DecodingError.valueNotFound(_, let context), DecodingError.keyNotFound(_, let context):
            context.debugDescription
        default:
            String(describing: error)
        }
    }
}

/// jwt-kit built a verifier for another algorithm than the one asked for; a defence that should never trigger.
private struct JWKSVerifierMismatch: Error, CustomStringConvertible {
    let expected: String
    let actual: String

    var description: String { "jwt-kit built a \(actual) verifier instead of \(expected)" }
}

/// The top level of a JWKS document.
private struct JWKSDocument: Decodable {
    let keys: [JWKSEntry]
}

/// One member of `keys`, read both by jwt-kit and for the members jwt-kit ignores (`use`, `key_ops`).
///
/// Decoding never fails: a member that cannot be read becomes a skipped key, so one odd key does not hide the others.
private struct JWKSEntry: Decodable {
    /// The members that decide whether and how the key may be used.
    struct Members: Decodable {
        var kid: String?
        var kty: String?
        var alg: String?
        var crv: String?
        var use: String?
        var keyOperations: [String]?
        var n: String?
        var d: String?

        enum CodingKeys: String, CodingKey {
            case kid, kty, alg, crv, use, n, d
            case keyOperations = "key_ops"
        }
    }

    /// Whether a key can be used, and for which algorithms.
    enum Assessment {
        case usable(JWK, keyIdentifier: String, algorithms: [JWTSignatureAlgorithm])
        case skipped(JWKSSkippedKey)
    }

    let members: Members?
    let jwk: Result<JWK, any Error>

    init(from decoder: any Decoder) throws {
        members = try? Members(from: decoder)
        jwk = Result { try JWK(from: decoder) }
    }

    /// The key with its `kid` and the algorithms it may verify, or why it is skipped.
    func assessment() -> Assessment {
        guard let members else {
            return .skipped(.init(keyIdentifier: nil, reason: "is not a JSON object with string members"))
        }
        guard let kid = members.kid, !kid.isEmpty else {
            return .skipped(.init(keyIdentifier: nil, reason: "has no kid, and tokens must name their key"))
        }
        let skip = { (reason: String) in Assessment.skipped(.init(keyIdentifier: kid, reason: reason)) }
        if let use = members.use, use != "sig" {
            return skip("is published for use \"\(APIError.quotable(use))\", not for signatures")
        }
        if let operations = members.keyOperations, !operations.contains("verify") {
            return skip("its key_ops do not include verify")
        }
        if members.d != nil {
            return skip("holds private key material; a JWKS must publish public keys only")
        }
        guard let kty = members.kty, ["RSA", "EC", "OKP"].contains(kty) else {
            return skip("has kty \"\(APIError.quotable(members.kty ?? ""))\"; only RSA, EC and OKP keys verify contact tokens")
        }
        let algorithms: [JWTSignatureAlgorithm]
        if let alg = members.alg {
            guard let algorithm = JWTSignatureAlgorithm(rawValue: alg) else {
                return skip("has alg \"\(APIError.quotable(alg))\", which is not an accepted signature algorithm")
            }
            guard algorithm.keyType == kty, algorithm.curve == nil || algorithm.curve == members.crv else {
                return skip("has alg \(alg), which does not match kty \(kty)\(members.crv.map { " and crv \($0)" } ?? "")")
            }
            algorithms = [algorithm]
        } else {
            // Without alg, the key may serve every algorithm of its type and curve; the allowlist narrows it later.
            algorithms = JWTSignatureAlgorithm.allCases.filter {
                $0.keyType == kty && ($0.curve == nil || $0.curve == members.crv)
            }
            guard !algorithms.isEmpty else {
                return skip("has curve \"\(APIError.quotable(members.crv ?? ""))\", which is not supported")
            }
        }
        if kty == "RSA", let bits = members.n.flatMap(Self.modulusBits), bits < JWKSKeySet.minimumRSAModulusBits {
            return skip("is a \(bits)-bit RSA key; at least \(JWKSKeySet.minimumRSAModulusBits) bits are required")
        }
        switch jwk {
        case .success(let jwk):
            return .usable(jwk, keyIdentifier: kid, algorithms: algorithms)
        case .failure(let error):
            return skip("cannot be read: \(error)")
        }
    }

    /// The bit length of a base64url-encoded big-endian modulus.
    private static func modulusBits(_ encoded: String) -> Int? {
        guard let bytes = JWTBase64URL.decode(encoded) else { return nil }
        let significant = bytes.drop { $0 == 0 }
        guard let first = significant.first else { return 0 }
        return (significant.count - 1) * 8 + (UInt8.bitWidth - first.leadingZeroBitCount)
    }
}

/// One public key from a JWKS, ready to check signatures of one algorithm.
///
/// A JWK without `alg` yields one of these per algorithm its `kty` and `crv` allow; a JWK with `alg` yields exactly
/// one, so a key is never used with an algorithm it was not published for.
public struct JWKSVerificationKey: Sendable {
    /// The JWK's `kid`.
    public let keyIdentifier: String
    /// The only algorithm this key verifies.
    public let algorithm: JWTSignatureAlgorithm
    /// Unique to this key object in the process: what ``JWTVerifiedTokenCache`` entries are tied to, since a `kid` may
    /// be reused for other key material by a later JWKS.
    let serial: UInt64
    /// jwt-kit's verifier for the key; its `verify(_:signs:)` is synchronous, so no request waits on a task.
    private let verifier: any JWTAlgorithm

    private static let serials = Atomic<UInt64>(0)

    init(keyIdentifier: String, algorithm: JWTSignatureAlgorithm, verifier: any JWTAlgorithm) {
        self.keyIdentifier = keyIdentifier
        self.algorithm = algorithm
        self.verifier = verifier
        serial = Self.serials.add(1, ordering: .relaxed).newValue
    }

    /// Whether `signature` is this key's signature of `signingInput` (the token's `header.payload` bytes).
    ///
    /// A signature that cannot even be parsed (wrong length, say) is simply not valid.
    public func isValidSignature(_ signature: [UInt8], of signingInput: ArraySlice<UInt8>) -> Bool {
        (try? verifier.verify(signature, signs: signingInput)) ?? false
    }
}

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

/// Why a JWKS document cannot become the key set.
public enum JWKSLoadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The document is not a JSON object with a `keys` array.
    case notAKeySet(detail: String)
    /// Not one key in the document can verify contact tokens; replacing the current set with it would reject every
    /// request.
    case noUsableKeys(skipped: [JWKSSkippedKey])

    /// One line for the log or a start-up error.
    public var description: String {
        switch self {
        case .notAKeySet(let detail):
            "the JWKS is not a JSON object with a \"keys\" array: \(detail)"
        case .noUsableKeys(let skipped) where skipped.isEmpty:
            "the JWKS holds no keys"
        case .noUsableKeys(let skipped):
            "the JWKS holds no usable key: " + skipped.map(\.description).joined(separator: "; ")
        }
    }
}
