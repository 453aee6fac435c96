/// Exactly why a bearer token was refused: for the log and for tests, never for the response, which only ever says
/// `invalid_token`.
///
/// Descriptions quote token-supplied text only through ``APIError/quotable(_:)`` (bounded, control characters
/// escaped) and never quote the token itself or the signature.
public enum JWTVerificationFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The request has no `Authorization` header.
    case missingAuthorization
    /// The header uses another scheme, such as `Basic`.
    case notBearerScheme(scheme: String)
    /// The header is not exactly `Bearer <token>`; `detail` says how.
    case malformedAuthorization(detail: String)
    /// The token is longer than any sane identity token.
    case tokenTooLong(length: Int)
    /// The token is not a compact JWS with a readable header and payload; `detail` says how.
    case malformedToken(detail: String)
    /// `alg` is `none`: an unsigned token.
    case unsignedToken
    /// `alg` is a symmetric `HS…` algorithm, never accepted (the "alg swap" attack uses one).
    case symmetricAlgorithm(String)
    /// `alg` is not in `jwt.algorithms` (or not a known algorithm at all).
    case algorithmNotAllowed(String)
    /// The header has `crit`: extensions that must be understood, and none are.
    case criticalHeaderExtensions
    /// The header has no `kid`; no default key is ever tried.
    case missingKeyIdentifier
    /// No key in the current JWKS has this `kid`.
    case unknownKeyIdentifier(String)
    /// Keys with this `kid` exist, but not for the token's algorithm.
    case keyAlgorithmMismatch(keyIdentifier: String, algorithm: JWTSignatureAlgorithm, keyAlgorithms: [JWTSignatureAlgorithm])
    /// The signature does not verify with the named key.
    case badSignature(keyIdentifier: String, algorithm: JWTSignatureAlgorithm)
    /// A required claim is absent.
    case missingClaim(String)
    /// A claim has the wrong type or an unusable value; `reason` is a fixed phrase.
    case invalidClaim(name: String, reason: String)
    /// `exp` plus the leeway is not after now.
    case expired(expiration: Double, now: Double, leewaySeconds: Int)
    /// `nbf` minus the leeway is after now.
    case notYetValid(notBefore: Double, now: Double, leewaySeconds: Int)
    /// `iss` is not `jwt.issuer`.
    case wrongIssuer(String)
    /// `aud` does not contain `jwt.audience`.
    case wrongAudience([String])

    /// One sentence for the log.
    public var description: String {
        switch self {
        case .missingAuthorization:
            "no Authorization header"
        case .notBearerScheme(let scheme):
            "Authorization uses the \(Self.quoted(scheme)) scheme, not Bearer"
        case .malformedAuthorization(let detail):
            "Authorization is not \"Bearer <token>\": \(detail)"
        case .tokenTooLong(let length):
            "the token is \(length) bytes long"
        case .malformedToken(let detail):
            "the token is malformed: \(detail)"
        case .unsignedToken:
            "the token is unsigned (alg none)"
        case .symmetricAlgorithm(let name):
            "the token uses the symmetric algorithm \(Self.quoted(name)), which is never accepted"
        case .algorithmNotAllowed(let name):
            "the token's algorithm \(Self.quoted(name)) is not in jwt.algorithms"
        case .criticalHeaderExtensions:
            "the token header has crit extensions, none of which are supported"
        case .missingKeyIdentifier:
            "the token header has no kid"
        case .unknownKeyIdentifier(let kid):
            "no JWKS key has kid \(Self.quoted(kid))"
        case .keyAlgorithmMismatch(let kid, let algorithm, let keyAlgorithms):
            "the JWKS key \(Self.quoted(kid)) is for \(keyAlgorithms.map(\.rawValue).joined(separator: ", ")), "
                + "not \(algorithm.rawValue)"
        case .badSignature(let kid, let algorithm):
            "the \(algorithm.rawValue) signature does not verify with key \(Self.quoted(kid))"
        case .missingClaim(let name):
            "the token has no \(name) claim"
        case .invalidClaim(let name, let reason):
            "the token's \(Self.quoted(name)) claim \(reason)"
        case .expired(let expiration, let now, let leeway):
            "the token expired \(Self.seconds(now - expiration)) ago (leeway \(leeway) s)"
        case .notYetValid(let notBefore, let now, let leeway):
            "the token is not valid for another \(Self.seconds(notBefore - now)) (leeway \(leeway) s)"
        case .wrongIssuer(let issuer):
            "the token's issuer \(Self.quoted(issuer)) is not jwt.issuer"
        case .wrongAudience(let audiences):
            "the token's audience [\(audiences.prefix(8).map(Self.quoted).joined(separator: ", "))] "
                + "does not include jwt.audience"
        }
    }

    private static func quoted(_ text: String) -> String {
        "\"" + APIError.quotable(text) + "\""
    }

    private static func seconds(_ interval: Double) -> String {
        // Claims are attacker-chosen numbers: never convert one to Int without a bound.
        interval.magnitude < 1e15 ? "\(Int(interval.rounded(.down))) s" : "a very long time"
    }
}
