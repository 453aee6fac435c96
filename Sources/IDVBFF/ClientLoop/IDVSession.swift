/// A ClientLoop identity-verification session, as minted by `contactCreateIdvSession`.
public struct IDVSession: Sendable, Equatable {
    /// The short-lived token the browser's `<contact-idv-session>` component needs. A credential: never log it.
    public var token: String
    /// When the token stops working, as ClientLoop wrote it (an ISO 8601 timestamp), passed on unchanged.
    public var expiresAt: String

    /// Creates a session.
    public init(token: String, expiresAt: String) {
        self.token = token
        self.expiresAt = expiresAt
    }
}
