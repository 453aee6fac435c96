/// How contact tokens from the integrator's identity provider are checked (`jwt.*` settings).
public struct JWTOptions: Sendable, Equatable {
    /// The `iss` a token must carry, exactly (`jwt.issuer`).
    public var issuer: String
    /// The value `aud` must be or contain (`jwt.audience`).
    public var audience: String
    /// The `alg` names accepted, as configured (`jwt.algorithms`); see ``allowedAlgorithms`` for the usable ones.
    public var algorithms: [String]
    /// Clock skew tolerated on `exp` and `nbf`, in seconds (`jwt.leeway_seconds`).
    public var leewaySeconds: Int
    /// The claim that holds the ClientLoop contact id (`jwt.contact_claim`).
    public var contactClaim: String
    /// Whether a token without the contact claim may start a session for a brand-new contact
    /// (`jwt.allow_new_contacts`).
    public var allowNewContacts: Bool

    /// The default for ``leewaySeconds``.
    public static let defaultLeewaySeconds = 30
    /// The largest ``leewaySeconds`` accepted: more would keep expired tokens alive for too long.
    public static let maximumLeewaySeconds = 300
    /// The default for ``contactClaim``.
    public static let defaultContactClaim = "clientloop_contact_id"

    /// Creates options; everything but the issuer and audience has a default.
    public init(
        issuer: String,
        audience: String,
        algorithms: [String] = JWTSignatureAlgorithm.defaultAllowlist.map(\.rawValue),
        leewaySeconds: Int = JWTOptions.defaultLeewaySeconds,
        contactClaim: String = JWTOptions.defaultContactClaim,
        allowNewContacts: Bool = false
    ) {
        self.issuer = issuer
        self.audience = audience
        self.algorithms = algorithms
        self.leewaySeconds = leewaySeconds
        self.contactClaim = contactClaim
        self.allowNewContacts = allowNewContacts
    }

    /// The configured algorithms that may actually be used: known asymmetric ones. Forbidden or unknown names are
    /// left out here and reported by ``problems``.
    public var allowedAlgorithms: Set<JWTSignatureAlgorithm> {
        Set(algorithms.compactMap(JWTSignatureAlgorithm.init(rawValue:)))
    }

    /// Everything wrong with these options, one problem per setting and fault; empty when they are usable.
    public var problems: [ConfigurationProblem] {
        var problems: [ConfigurationProblem] = []
        if issuer.isEmpty {
            problems.append(ConfigurationProblem(.jwtIssuer, "is required when contact.policy is jwt"))
        } else if issuer != issuer.trimmingWhitespace() {
            problems.append(ConfigurationProblem(.jwtIssuer, "must not start or end with whitespace; it is compared exactly"))
        }
        if audience.isEmpty {
            problems.append(ConfigurationProblem(.jwtAudience, "is required when contact.policy is jwt"))
        } else if audience != audience.trimmingWhitespace() {
            problems.append(ConfigurationProblem(.jwtAudience, "must not start or end with whitespace; it is compared exactly"))
        }
        problems += algorithmProblems
        if !(0...Self.maximumLeewaySeconds).contains(leewaySeconds) {
            problems.append(ConfigurationProblem(.jwtLeewaySeconds, "must be between 0 and \(Self.maximumLeewaySeconds)"))
        }
        if contactClaim.isEmpty {
            problems.append(ConfigurationProblem(.jwtContactClaim, "must name a claim"))
        }
        return problems
    }

    private var algorithmProblems: [ConfigurationProblem] {
        if algorithms.isEmpty {
            return [ConfigurationProblem(.jwtAlgorithms, "must list at least one algorithm")]
        }
        let supported = JWTSignatureAlgorithm.allCases.map(\.rawValue).joined(separator: ", ")
        return algorithms.compactMap { name in
            if JWTSignatureAlgorithm.isForbidden(name) {
                // Listing them is a mistake worth stopping for, not something to drop silently.
                return ConfigurationProblem(
                    .jwtAlgorithms,
                    "\"\(APIError.quotable(name))\" is never accepted: unsigned and shared-secret tokens are refused"
                )
            }
            if JWTSignatureAlgorithm(rawValue: name) == nil {
                return ConfigurationProblem(.jwtAlgorithms, "\"\(APIError.quotable(name))\" is not supported; use \(supported)")
            }
            return nil
        }
    }
}

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
