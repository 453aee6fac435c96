public import EventHTTP

/// Mints IDV sessions at ClientLoop. Implementations run on one event loop; `completion` is called exactly once, on
/// that loop's thread.
public protocol ClientLoopClient {
    /// Asks ClientLoop for a session for the configured organisation.
    /// - Parameters:
    ///   - contactId: An existing contact, already validated, or `nil` for a new contact.
    ///   - requestID: The browser request's id, for the upstream call's log lines and headers.
    ///   - headers: Fields the call carries on behalf of the request (``RequestContext/propagatedHeaders``: its
    ///     trace context).
    ///   - completion: Called exactly once with the session or the reason there is none.
    func createIdvSession(
        contactId: String?,
        requestID: String,
        propagating headers: HTTPHeaders,
        completion: @escaping (Result<IDVSession, UpstreamFailure>) -> Void
    )
}

extension ClientLoopClient {
    /// A call that propagates nothing.
    public func createIdvSession(contactId: String?, requestID: String, completion: @escaping (Result<IDVSession, UpstreamFailure>) -> Void) {
        createIdvSession(contactId: contactId, requestID: requestID, propagating: [:], completion: completion)
    }
}

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
