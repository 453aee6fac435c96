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
