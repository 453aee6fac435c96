extension CORSOrigin {
    /// Why a text is not a bare `http` or `https` origin.
    ///
    /// Descriptions never quote the text: it could carry a password in its user-info part.
    public enum Rejection: Error, Sendable, Equatable, CustomStringConvertible {
        /// The text is empty.
        case empty
        /// `null`, the opaque origin of sandboxed frames and local files, which names no one in particular.
        case null
        /// A `*` inside an origin, such as `https://*.example.com`; only the lone `*` of "any origin" exists.
        case wildcard
        /// No `scheme://` in front, such as `app.example.com`.
        case missingScheme
        /// A scheme other than `http` and `https`.
        case unsupportedScheme(String)
        /// A user name or password before the host.
        case containsUserInfo
        /// Nothing between `://` and the port or path.
        case missingHost
        /// The host is not a host name, an IPv4 address or a bracketed IPv6 address.
        case invalidHost
        /// The port is not a number from 1 to 65535.
        case invalidPort
        /// A path beyond a single trailing `/`.
        case containsPath
        /// A query (`?…`).
        case containsQuery
        /// A fragment (`#…`).
        case containsFragment

        /// What is wrong, phrased to follow the entry it is about.
        public var description: String {
            switch self {
            case .empty: "is empty"
            case .null: "is the opaque origin null, which any sandboxed page can send"
            case .wildcard: "contains a wildcard; list each origin, or use * alone for any origin"
            case .missingScheme: "has no scheme; write https://host"
            case .unsupportedScheme(let scheme): "has the scheme \"\(scheme)\"; use https or http"
            case .containsUserInfo: "must not contain a user name or password"
            case .missingHost: "has no host"
            case .invalidHost: "has an invalid host; write international names as xn-- labels"
            case .invalidPort: "has a port outside 1-65535"
            case .containsPath: "has a path; an origin is only scheme://host[:port]"
            case .containsQuery: "has a query; an origin is only scheme://host[:port]"
            case .containsFragment: "has a fragment; an origin is only scheme://host[:port]"
            }
        }
    }
}
