/// Why a request may not start a session for the contact it asks for: what to answer, and what to log.
public struct ContactRejection: Error, Sendable, Equatable {
    /// The answer: ``APIError/unauthorized`` or ``APIError/contactForbidden``, neither saying which check failed.
    public var apiError: APIError
    /// The precise reason, for the log only; never contains a token or a contact id.
    public var logReason: String

    /// Creates a rejection.
    public init(apiError: APIError, logReason: String) {
        self.apiError = apiError
        self.logReason = logReason
    }

    /// The bearer token is missing or failed a check: 401.
    public static func unauthorized(_ failure: JWTVerificationFailure) -> ContactRejection {
        ContactRejection(apiError: .unauthorized, logReason: failure.description)
    }

    /// The request names a contact it is not allowed to: 403.
    public static func forbidden(_ reason: String) -> ContactRejection {
        ContactRejection(apiError: .contactForbidden, logReason: reason)
    }
}
