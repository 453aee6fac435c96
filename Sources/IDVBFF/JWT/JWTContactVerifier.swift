import EventHTTP
public import Foundation

/// Checks the integrator's bearer token and decides which contact a request may verify (`contact.policy: jwt`).
///
/// Everything runs synchronously on the calling thread, event-loop threads included: the signature is checked with
/// jwt-kit's synchronous `JWTAlgorithm.verify(_:signs:)` on keys prepared when the JWKS was loaded, so no request
/// hops to a task. The checks, in order: `Authorization: Bearer <token>`; a compact JWS; `alg` neither `none` nor
/// `HS…` and in `jwt.algorithms`; a `kid` that names a JWKS key published for that very algorithm (never a default
/// key); the signature; `exp` (required), `nbf`, `iss`, `aud`; the contact claim.
public struct JWTContactVerifier: Sendable {
    /// The checks' settings.
    public let options: JWTOptions
    /// Where the current JWKS keys come from; asked to refresh when a token names an unknown `kid`.
    public let keyStore: JWKSKeyStore
    private let allowedAlgorithms: Set<JWTSignatureAlgorithm>
    /// Shared by every copy of the verifier, and so by every loop.
    private let verified = JWTVerifiedTokenCache()

    /// Creates a verifier; `options` are expected to have no ``JWTOptions/problems``, and forbidden algorithms in
    /// them are ignored regardless.
    public init(options: JWTOptions, keyStore: JWKSKeyStore) {
        self.options = options
        self.keyStore = keyStore
        allowedAlgorithms = options.allowedAlgorithms
    }

    /// Verifies the token in an `Authorization` header value.
    public func verify(authorization: String?, now: Date) -> Result<JWTVerifiedToken, JWTVerificationFailure> {
        JWTBearerAuthorization.token(from: authorization).flatMap { verify(token: $0, now: now) }
    }

    /// Verifies a compact JWS.
    public func verify(token: String, now: Date) -> Result<JWTVerifiedToken, JWTVerificationFailure> {
        verify(token: token[...], now: now)
    }

    private func verify(token: Substring, now: Date) -> Result<JWTVerifiedToken, JWTVerificationFailure> {
        guard token.utf8.count <= JWTBearerAuthorization.maximumTokenLength else {
            return .failure(.tokenTooLong(length: token.utf8.count))
        }
        let digest = JWTVerifiedTokenCache.digest(of: token)
        if let entry = verified.entry(for: digest),
           case .found(let key) = keyStore.keySet.lookup(keyIdentifier: entry.keyIdentifier, algorithm: entry.algorithm),
           key.serial == entry.keySerial {
            return entry.claims.check(now: now, leewaySeconds: options.leewaySeconds)
                .map { JWTVerifiedToken(keyIdentifier: entry.keyIdentifier, algorithm: entry.algorithm, contactId: $0) }
        }
        let parsed: JWTCompactToken
        switch JWTCompactToken.parse(String(token)) {
        case .success(let token): parsed = token
        case .failure(let failure): return .failure(failure)
        }
        let key: JWKSVerificationKey
        switch signingKey(for: parsed, now: now) {
        case .success(let found): key = found
        case .failure(let failure): return .failure(failure)
        }
        guard key.isValidSignature(parsed.signature, of: parsed.signingInput) else {
            return .failure(.badSignature(keyIdentifier: key.keyIdentifier, algorithm: key.algorithm))
        }
        return parsed.payload()
            .flatMap { JWTPayloadClaims.check($0, options: options, now: now) }
            .map { claims in
                verified.keep(.init(keySerial: key.serial, keyIdentifier: key.keyIdentifier, algorithm: key.algorithm, claims: claims), for: digest)
                return JWTVerifiedToken(keyIdentifier: key.keyIdentifier, algorithm: key.algorithm, contactId: claims.contactId)
            }
    }

    /// The contact the request may verify under the token: the token's contact, or `nil` for a new contact.
    ///
    /// A body `contactId` must be absent or equal to the token's claim. A token without the claim allows only a new
    /// contact, and only with `jwt.allow_new_contacts`; otherwise the answer is 403 `contact_forbidden`, not 401: the
    /// token is genuine, it just does not grant what is asked, and a fresh token would not change that.
    public func resolveContact(bodyContactId: String?, authorization: String?, now: Date) -> Result<String?, ContactRejection> {
        let token: JWTVerifiedToken
        switch verify(authorization: authorization, now: now) {
        case .success(let verified): token = verified
        case .failure(let failure): return .failure(.unauthorized(failure))
        }
        let claim = options.contactClaim
        guard let tokenContactId = token.contactId else {
            guard options.allowNewContacts else {
                return .failure(.forbidden("the token has no \(claim) claim and jwt.allow_new_contacts is false"))
            }
            guard bodyContactId == nil else {
                return .failure(.forbidden("the token has no \(claim) claim (new contacts only), but the request names a contactId"))
            }
            return .success(nil)
        }
        if let bodyContactId, !bodyContactId.utf8.elementsEqual(tokenContactId.utf8) {
            return .failure(.forbidden("the request's contactId differs from the token's \(claim) claim"))
        }
        return .success(tokenContactId)
    }

    /// How many verified tokens are kept, for tests.
    var cachedTokenCount: Int {
        verified.count
    }

    /// The JWKS key for the token's header, after the algorithm checks.
    private func signingKey(for token: JWTCompactToken, now: Date) -> Result<JWKSVerificationKey, JWTVerificationFailure> {
        let name = token.algorithm
        if name.uppercased() == "NONE" {
            return .failure(.unsignedToken)
        }
        if JWTSignatureAlgorithm.isForbidden(name) {
            return .failure(.symmetricAlgorithm(name))
        }
        guard let algorithm = JWTSignatureAlgorithm(rawValue: name), allowedAlgorithms.contains(algorithm) else {
            return .failure(.algorithmNotAllowed(name))
        }
        guard !token.hasCriticalExtensions else {
            return .failure(.criticalHeaderExtensions)
        }
        guard let kid = token.keyIdentifier, !kid.isEmpty else {
            return .failure(.missingKeyIdentifier)
        }
        switch keyStore.keySet.lookup(keyIdentifier: kid, algorithm: algorithm) {
        case .found(let key):
            return .success(key)
        case .unknownKeyIdentifier:
            // The provider may have rotated keys: refresh (rate-limited) for the next request; this one still fails.
            keyStore.requestRefresh(now: now)
            return .failure(.unknownKeyIdentifier(kid))
        case .algorithmMismatch(let available):
            return .failure(.keyAlgorithmMismatch(keyIdentifier: kid, algorithm: algorithm, keyAlgorithms: available))
        }
    }
}

/// What a bearer token that passed every check says.
public struct JWTVerifiedToken: Sendable, Equatable {
    /// The JWKS key that signed it.
    public var keyIdentifier: String
    /// The algorithm it was signed with.
    public var algorithm: JWTSignatureAlgorithm
    /// The contact id from the contact claim, or `nil` when the token has none.
    public var contactId: String?

    /// Creates a verified token's summary.
    public init(keyIdentifier: String, algorithm: JWTSignatureAlgorithm, contactId: String?) {
        self.keyIdentifier = keyIdentifier
        self.algorithm = algorithm
        self.contactId = contactId
    }
}

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
    /// The failure's kind as a bounded metric label: no token, key id or claim value in it.
    public var metricReason: String {
        switch self {
        case .missingAuthorization: "missing_authorization"
        case .notBearerScheme: "not_bearer"
        case .malformedAuthorization: "malformed_authorization"
        case .tokenTooLong: "token_too_long"
        case .malformedToken: "malformed_token"
        case .unsignedToken: "unsigned_token"
        case .symmetricAlgorithm: "symmetric_algorithm"
        case .algorithmNotAllowed: "algorithm_not_allowed"
        case .criticalHeaderExtensions: "critical_header"
        case .missingKeyIdentifier: "missing_kid"
        case .unknownKeyIdentifier: "unknown_kid"
        case .keyAlgorithmMismatch: "key_algorithm_mismatch"
        case .badSignature: "bad_signature"
        case .missingClaim: "missing_claim"
        case .invalidClaim: "invalid_claim"
        case .expired: "expired"
        case .notYetValid: "not_yet_valid"
        case .wrongIssuer: "wrong_issuer"
        case .wrongAudience: "wrong_audience"
        }
    }

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

/// Reads the token out of an `Authorization: Bearer <token>` header (RFC 6750 §2.1).
///
/// Only the one canonical form is accepted: the scheme (in any letter case), exactly one space, and a token made of
/// base64url characters and dots. Browsers' `fetch` sends exactly that; refusing every variant (extra or trailing
/// spaces, a second credential, `Bearer` alone) leaves nothing for two parsers to read differently.
enum JWTBearerAuthorization {
    /// The longest token accepted, in bytes; identity tokens are a few hundred to a few thousand.
    static let maximumTokenLength = 8192

    /// The token in `header`, or why there is none.
    static func token(from header: String?) -> Result<Substring, JWTVerificationFailure> {
        guard let header else {
            return .failure(.missingAuthorization)
        }
        // Read in place: the header is a few hundred bytes on every request.
        let bytes = header.utf8
        let separator = bytes.firstIndex { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        let scheme = bytes[..<(separator ?? bytes.endIndex)]
        if scheme.isEmpty {
            return .failure(.malformedAuthorization(detail: "it starts with a space"))
        }
        guard scheme.elementsEqualIgnoringASCIICase("bearer".utf8) else {
            if scheme.count > 6, scheme.prefix(6).elementsEqualIgnoringASCIICase("bearer".utf8) {
                return .failure(.malformedAuthorization(detail: "no space after Bearer"))
            }
            return .failure(.notBearerScheme(scheme: loggableScheme(scheme)))
        }
        guard let space = separator else {
            return .failure(.malformedAuthorization(detail: "Bearer without a token"))
        }
        guard bytes[space] == UInt8(ascii: " ") else {
            return .failure(.malformedAuthorization(detail: "a tab after Bearer"))
        }
        let token = bytes[bytes.index(after: space)...]
        guard !token.isEmpty else {
            return .failure(.malformedAuthorization(detail: "Bearer without a token"))
        }
        // One pass decides the common case; the others only say what is wrong.
        let isTokenByte = { (byte: UInt8) in JWTBase64URL.isAlphabetByte(byte) || byte == UInt8(ascii: ".") }
        let isTokenText = token.withContiguousStorageIfAvailable { $0.allSatisfy(isTokenByte) } ?? token.allSatisfy(isTokenByte)
        guard isTokenText || !token.contains(UInt8(ascii: " ")) else {
            return .failure(.malformedAuthorization(detail: "extra spaces"))
        }
        guard token.count <= maximumTokenLength else {
            return .failure(.tokenTooLong(length: token.count))
        }
        guard isTokenText else {
            return .failure(.malformedAuthorization(detail: "the token holds characters a JWT cannot contain"))
        }
        return .success(Substring(token))
    }

    /// The scheme as it may appear in the log: a short word, or a placeholder when it could be part of a credential.
    private static func loggableScheme(_ scheme: Substring.UTF8View) -> String {
        let isWordByte = { (byte: UInt8) in
            JWTBase64URL.isAlphabetByte(byte) && byte != UInt8(ascii: "_")
        }
        guard scheme.count <= 20, scheme.allSatisfy(isWordByte) else {
            return "(not shown)"
        }
        return String(Substring(scheme))
    }
}
