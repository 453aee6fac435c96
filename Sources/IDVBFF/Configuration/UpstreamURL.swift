public import EventHTTP
import Foundation

/// The application's rule for upstream endpoints (`clientloop.graph_url`, `jwt.jwks_url`): only `https`, except
/// plain `http` for loopback hosts (`localhost`, 127.0.0.0/8, `::1`), where a local stand-in for the upstream may
/// run. User names, passwords, queries and fragments are rejected.
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
        guard let components = URLComponents(string: text),
            let schemeText = components.scheme?.lowercased(),
            let rawHost = components.host, !rawHost.isEmpty
        else {
            throw .notAbsolute
        }
        guard components.user == nil, components.password == nil else {
            throw .containsCredentials
        }
        guard let scheme = Scheme(rawValue: schemeText) else {
            throw .unsupportedScheme(schemeText)
        }
        let host = Self.unbracketed(rawHost.lowercased())
        if scheme == .http, !LoopbackHost.contains(host) {
            throw .plainHTTPToNonLoopbackHost(host)
        }
        guard components.query == nil else {
            throw .containsQuery
        }
        guard components.fragment == nil else {
            throw .containsFragment
        }
        let port = components.port ?? scheme.defaultPort
        guard (1...65535).contains(port) else {
            throw .invalidPort
        }
        let path = components.percentEncodedPath
        self.init(scheme: scheme, host: host, port: port, path: path.isEmpty ? "/" : path)
    }

    /// Foundation reports IPv6 hosts with brackets on some platforms and without on others.
    private static func unbracketed(_ host: String) -> String {
        host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    }
}
