public import EventHTTP

/// The application's rule for upstream endpoints (`clientloop.graph_url`, `jwt.jwks_url`): only `https`, except
/// plain `http` for loopback hosts (`localhost`, 127.0.0.0/8, `::1`), where a local stand-in for the upstream may
/// run. User names, passwords, queries and fragments are rejected; the host must be ASCII (international names as
/// `xn--` labels) and the path percent-encoded, as RFC 3986 writes it.
extension UpstreamURL {
    /// Why a URL is not accepted as an upstream endpoint.
    public enum Rejection: Error, Sendable, Equatable, CustomStringConvertible {
        /// The text is not an absolute URL with a scheme and a host.
        case notAbsolute
        /// The scheme is neither `https` nor `http`.
        case unsupportedScheme(String)
        /// Plain `http` was used with a host that is not a loopback host.
        case plainHTTPToNonLoopbackHost(String)
        /// The URL carries a user name or password.
        case containsCredentials
        /// The host is not a host name, an IPv4 address or a bracketed IPv6 address.
        case invalidHost
        /// The path holds a character that must be percent-encoded, or a broken percent-escape.
        case invalidPath
        /// The URL has a query.
        case containsQuery
        /// The URL has a fragment.
        case containsFragment
        /// The port is outside 1-65535.
        case invalidPort

        /// What is wrong, without quoting the URL, which could hold credentials.
        public var description: String {
            switch self {
            case .notAbsolute:
                "is not an absolute URL such as https://host.example/path"
            case .unsupportedScheme(let scheme):
                "has the scheme \"\(scheme)\"; use https"
            case .plainHTTPToNonLoopbackHost(let host):
                "uses plain http with \"\(host)\"; use https (http is allowed only for localhost, 127.0.0.0/8 and ::1)"
            case .containsCredentials:
                "must not contain a user name or password"
            case .invalidHost:
                "has an invalid host; write international names as xn-- labels"
            case .invalidPath:
                "has a path with a character that must be percent-encoded"
            case .containsQuery:
                "must not contain a query"
            case .containsFragment:
                "must not contain a fragment"
            case .invalidPort:
                "has a port outside 1-65535"
            }
        }
    }

    /// The ClientLoop production endpoint.
    public static let clientLoopProduction = UpstreamURL(
        scheme: .https,
        host: "graph.clientloop.com",
        port: 443,
        path: "/"
    )

    /// Parses and validates an endpoint URL.
    /// - Parameter text: The URL, such as `https://graph.clientloop.com/` or `http://127.0.0.1:9000/graphql`.
    /// - Throws: ``Rejection`` when the URL is not acceptable.
    public init(validating text: String) throws(Rejection) {
        guard let (schemeText, afterScheme) = URLSyntax.splitScheme(text[...]) else { throw .notAbsolute }
        let (authority, rest) = URLSyntax.splitAuthority(afterScheme)
        guard !authority.contains("@") else { throw .containsCredentials }
        guard let scheme = Scheme(rawValue: schemeText) else { throw .unsupportedScheme(schemeText) }

        let hostAndPort: (host: Substring, port: Int?)
        do {
            hostAndPort = try URLSyntax.hostAndPort(authority)
        } catch {
            switch error {
            case .missingHost: throw .notAbsolute
            case .invalidHost: throw .invalidHost
            case .invalidPort: throw .invalidPort
            }
        }
        let bracketed = hostAndPort.host
        let host = (bracketed.hasPrefix("[") ? bracketed.dropFirst().dropLast() : bracketed).lowercased()
        if scheme == .http, !LoopbackHost.contains(host) {
            throw .plainHTTPToNonLoopbackHost(host)
        }

        let pathEnd = rest.firstIndex { $0 == "?" || $0 == "#" } ?? rest.endIndex
        if rest[pathEnd...].hasPrefix("?") { throw .containsQuery }
        if rest[pathEnd...].hasPrefix("#") { throw .containsFragment }
        let path = rest[..<pathEnd]
        guard path.isEmpty || URLSyntax.isPercentEncodedPath(path) else { throw .invalidPath }
        self.init(
            scheme: scheme, host: host, port: hostAndPort.port ?? scheme.defaultPort,
            path: path.isEmpty ? "/" : String(path)
        )
    }
}
