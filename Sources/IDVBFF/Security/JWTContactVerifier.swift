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
        guard token.utf8.count <= JWTBearerAuthorization.maximumTokenLength else {
            return .failure(.tokenTooLong(length: token.utf8.count))
        }
        let parsed: JWTCompactToken
        switch JWTCompactToken.parse(token) {
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
            .map { JWTVerifiedToken(keyIdentifier: key.keyIdentifier, algorithm: key.algorithm, contactId: $0) }
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
