/// One configured allowed-origin entry that cannot be used, phrased for the configuration report.
///
/// The configuration layer puts its key in front: `cors.allowed_origins (CORS_ALLOWED_ORIGINS): <description>`.
public struct CORSOriginProblem: Sendable, Equatable, CustomStringConvertible {
    /// What is wrong with the entry.
    public enum Reason: Sendable, Equatable {
        /// The entry is not a bare `http` or `https` origin.
        case notAnOrigin(CORSOrigin.Rejection)
        /// `*` is listed together with origins: either it is meant and the origins are pointless, or it is not.
        case anyAmongOrigins
    }

    /// The entry's 1-based position in the list, or `nil` when the problem is with the list as a whole.
    public var position: Int?
    /// The entry as configured.
    public var entry: String
    /// What is wrong.
    public var reason: Reason

    /// The longest entry quoted back, in characters.
    static let maximumQuotedLength = 100

    /// Creates a problem.
    /// - Parameters:
    ///   - position: The entry's 1-based position, or `nil` for the list as a whole.
    ///   - entry: The entry as configured.
    ///   - reason: What is wrong.
    public init(position: Int?, entry: String, reason: Reason) {
        self.position = position
        self.entry = entry
        self.reason = reason
    }

    /// One line such as `entry 2 "https://app.example.com/idv" has a path; an origin is only scheme://host[:port]`.
    public var description: String {
        switch reason {
        case .anyAmongOrigins:
            return "* (any origin) must be the only entry when it is used"
        case .notAnOrigin(.containsUserInfo):
            // The user-info part may be a password: name the entry by position only.
            return "\(subject) \(CORSOrigin.Rejection.containsUserInfo)"
        case .notAnOrigin(let rejection):
            return "\(subject) \"\(Self.quotable(entry))\" \(rejection)"
        }
    }

    private var subject: String {
        position.map { "entry \($0)" } ?? "entry"
    }

    private static func quotable(_ text: String) -> String {
        text.quotedForMessage(maximumLength: maximumQuotedLength)
    }
}
