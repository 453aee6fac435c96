/// An endpoint the upstream client talks to, split into the parts an HTTP client needs. Which URLs are acceptable
/// is the application's policy; this type only carries one.
public struct UpstreamURL: Sendable, Equatable, CustomStringConvertible {
    /// The URL schemes accepted.
    public typealias Scheme = WebScheme

    /// `https`, or plain `http`.
    public let scheme: Scheme

    /// The host name or IP address, lower-cased; IPv6 addresses without brackets.
    public let host: String

    /// The port, the scheme's default when the URL names none.
    public let port: Int

    /// The percent-encoded path, `/` when the URL has none.
    public let path: String

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
    ///   - scheme: `https` or `http`.
    ///   - host: The host name or IP address; IPv6 addresses without brackets.
    ///   - port: The port.
    ///   - path: The percent-encoded path, starting with `/`.
    public init(scheme: Scheme, host: String, port: Int, path: String) {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = path
    }
}

/// The two URL schemes this service deals in, for upstream endpoints and browser origins alike.
public enum WebScheme: String, Sendable, Hashable {
    case http
    case https

    /// The port implied when a URL or origin names none.
    public var defaultPort: Int {
        switch self {
        case .http: 80
        case .https: 443
        }
    }
}
