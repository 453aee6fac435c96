/// The JWS algorithms a contact token may be signed with: asymmetric ones only.
///
/// Symmetric (`HS256` …) and unsigned (`none`) tokens are deliberately absent: with a shared secret the service
/// could mint tokens itself, and the classic "alg swap" attack signs `HS256` with a published RSA key.
public enum JWTSignatureAlgorithm: String, Sendable, Hashable, CaseIterable, Comparable {
    case rs256 = "RS256"
    case rs384 = "RS384"
    case rs512 = "RS512"
    case ps256 = "PS256"
    case ps384 = "PS384"
    case ps512 = "PS512"
    case es256 = "ES256"
    case es384 = "ES384"
    case es512 = "ES512"
    case edDSA = "EdDSA"

    /// The allowlist used when `jwt.algorithms` is not set.
    public static let defaultAllowlist: [JWTSignatureAlgorithm] = [.rs256, .es256, .edDSA]

    /// The JWK `kty` a key must have to verify this algorithm.
    public var keyType: String {
        switch self {
        case .rs256, .rs384, .rs512, .ps256, .ps384, .ps512: "RSA"
        case .es256, .es384, .es512: "EC"
        case .edDSA: "OKP"
        }
    }

    /// The JWK `crv` a key must have to verify this algorithm, for the algorithms tied to one curve.
    public var curve: String? {
        switch self {
        case .es256: "P-256"
        case .es384: "P-384"
        case .es512: "P-521"
        case .edDSA: "Ed25519"
        case .rs256, .rs384, .rs512, .ps256, .ps384, .ps512: nil
        }
    }

    /// Whether `name` is an algorithm that is never accepted, whatever the configuration says: `none` in any
    /// spelling, or a symmetric `HS…` one.
    public static func isForbidden(_ name: String) -> Bool {
        let upper = name.uppercased()
        return upper == "NONE" || upper.hasPrefix("HS")
    }

    /// Orders by declaration, so sets print in a stable, familiar order.
    public static func < (lhs: JWTSignatureAlgorithm, rhs: JWTSignatureAlgorithm) -> Bool {
        (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
    }
}
