import JWTKit

/// One public key from a JWKS, ready to check signatures of one algorithm.
///
/// A JWK without `alg` yields one of these per algorithm its `kty` and `crv` allow; a JWK with `alg` yields exactly
/// one, so a key is never used with an algorithm it was not published for.
public struct JWKSVerificationKey: Sendable {
    /// The JWK's `kid`.
    public let keyIdentifier: String
    /// The only algorithm this key verifies.
    public let algorithm: JWTSignatureAlgorithm
    /// jwt-kit's verifier for the key; its `verify(_:signs:)` is synchronous, so no request waits on a task.
    private let verifier: any JWTAlgorithm

    init(keyIdentifier: String, algorithm: JWTSignatureAlgorithm, verifier: any JWTAlgorithm) {
        self.keyIdentifier = keyIdentifier
        self.algorithm = algorithm
        self.verifier = verifier
    }

    /// Whether `signature` is this key's signature of `signingInput` (the token's `header.payload` bytes).
    ///
    /// A signature that cannot even be parsed (wrong length, say) is simply not valid.
    public func isValidSignature(_ signature: [UInt8], of signingInput: ArraySlice<UInt8>) -> Bool {
        (try? verifier.verify(signature, signs: signingInput)) ?? false
    }
}
