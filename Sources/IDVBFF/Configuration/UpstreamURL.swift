import Foundation

/// An endpoint the upstream HTTPS client talks to (the ClientLoop GraphQL endpoint, the identity provider's
/// JWKS), validated and split into the parts an HTTP client needs.
///
/// Only `https` is accepted, except that plain `http` is allowed for loopback hosts
/// (`localhost`, 127.0.0.0/8, `::1`), where a local stand-in for the upstream may run.
/// User names, passwords, queries and fragments are rejected.
public struct UpstreamURL: Sendable, Equatable, CustomStringConvertible {
    /// The URL schemes accepted.
    public typealias Scheme = WebScheme

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

    /// `https`, or `http` for a loopback host.
    public let scheme: Scheme

    /// The host name or IP address, lower-cased; IPv6 addresses without brackets.
    public let host: String

    /// The port, the scheme's default when the URL names none.
    public let port: Int

    /// The percent-encoded path, `/` when the URL has none.
    public let path: String

    /// The ClientLoop production endpoint.
    public static let clientLoopProduction = UpstreamURL(
        scheme: .https,
        host: "graph.clientloop.com",
        port: 443,
        path: "/"
    )

    /// Whether connections must use TLS.
    public var usesTLS: Bool { scheme == .https }

    /// The value for a `Host` header: the host, bracketed if IPv6, with the port unless it is the default.
    public var authority: String {
        let bracketedHost = host.contains(":") ? "[\(host)]" : host
        return port == scheme.defaultPort ? bracketedHost : "\(bracketedHost):\(port)"
    }

    /// The URL, rebuilt from its parts.
    public var description: String {
        "\(scheme.rawValue)://\(authority)\(path)"
    }

    /// Creates an endpoint from parts already known to be valid.
    /// - Parameters:
    ///   - scheme: `https`, or `http` for a loopback host.
    ///   - host: The host name or IP address; IPv6 addresses without brackets.
    ///   - port: The port.
    ///   - path: The percent-encoded path, starting with `/`.
    public init(scheme: Scheme, host: String, port: Int, path: String) {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = path
    }

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
