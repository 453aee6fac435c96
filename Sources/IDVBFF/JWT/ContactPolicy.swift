public import Foundation

/// Where the contact to verify comes from (`contact.policy`).
public enum ContactPolicy: Sendable {
    /// The browser names the contact in the body's `contactId`: any visitor may verify any contact, so only when
    /// configured explicitly (and in `--demo`).
    case body
    /// Only brand-new contacts; a body `contactId` is refused (the default).
    case none
    /// The integrator's identity provider names the contact in a signed bearer token.
    case jwt(JWTContactVerifier)

    /// The setting's value for this policy: `body`, `none` or `jwt`.
    public var name: String {
        switch self {
        case .body: "body"
        case .none: "none"
        case .jwt: "jwt"
        }
    }

    /// The contact a request may start a session for: an id, or `nil` for a new contact.
    /// - Parameters:
    ///   - bodyContactId: The body's `contactId`, already validated by ``IDVSessionRequest/parse(contentType:body:)``.
    ///   - authorization: The request's `Authorization` header; read only by the `jwt` policy.
    ///   - now: The current time, for `exp` and `nbf` and the JWKS refresh rate limit.
    /// - Returns: The contact id or `nil`, or the rejection with its answer (401 or 403) and its log reason.
    public func resolveContact(bodyContactId: String?, authorization: String?, now: Date) -> Result<String?, ContactRejection> {
        switch self {
        case .body:
            return .success(bodyContactId)
        case .none:
            guard bodyContactId == nil else {
                return .failure(ContactRejection(
                    apiError: .newContactsOnly,
                    logReason: "contact.policy is none (new contacts only), but the request names a contactId"))
            }
            return .success(nil)
        case .jwt(let verifier):
            return verifier.resolveContact(bodyContactId: bodyContactId, authorization: authorization, now: now)
        }
    }
}

/// Why a request may not start a session for the contact it asks for: what to answer, and what to log.
public struct ContactRejection: Error, Sendable, Equatable {
    /// The answer: ``APIError/unauthorized`` or ``APIError/contactForbidden``, neither saying which check failed.
    public var apiError: APIError
    /// The precise reason, for the log only; never contains a token or a contact id.
    public var logReason: String
    /// Why a bearer token was refused, as a metric label (`expired`, ...); `forbidden_contact` when the token was
    /// valid but does not allow this contact; `nil` when no token was involved.
    public var tokenFailureReason: String?

    /// Creates a rejection.
    public init(apiError: APIError, logReason: String, tokenFailureReason: String? = nil) {
        self.apiError = apiError
        self.logReason = logReason
        self.tokenFailureReason = tokenFailureReason
    }

    /// The bearer token is missing or failed a check: 401.
    public static func unauthorized(_ failure: JWTVerificationFailure) -> ContactRejection {
        ContactRejection(apiError: .unauthorized, logReason: failure.description, tokenFailureReason: failure.metricReason)
    }

    /// A valid token that does not allow the contact the request names: 403.
    public static func forbidden(_ reason: String) -> ContactRejection {
        ContactRejection(apiError: .contactForbidden, logReason: reason, tokenFailureReason: "forbidden_contact")
    }
}

/// Why the contact policy could not be set up at start-up: the JWKS file or URL did not yield usable keys.
public struct ContactPolicySetupError: Error, CustomStringConvertible {
    /// The setting to look at.
    let key: SettingKey
    let detail: String
    /// Whether the keys were unreachable (the identity provider may come back) rather than wrong.
    public let isUnavailable: Bool

    /// One line naming the setting, for standard error.
    public var description: String {
        "\(key.reference): \(detail)"
    }
}
