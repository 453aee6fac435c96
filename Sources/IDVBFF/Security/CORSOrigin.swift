public import EventHTTP
/// A web origin, `scheme://host[:port]`, normalised so that two spellings of one origin compare equal.
///
/// Normalising lower-cases the scheme and host, drops the scheme's default port and accepts one trailing `/`;
/// so `HTTPS://App.Example.com:443/` and `https://app.example.com` are the same origin. Only `http` and `https`
/// origins exist here: anything a browser could not send as a serialised origin, or a configuration entry that is
/// more than a bare origin, is rejected with a ``Rejection``.
public struct CORSOrigin: Sendable, Hashable, CustomStringConvertible {
    /// The schemes an origin may have.
    public typealias Scheme = WebScheme

    /// `http` or `https`.
    public let scheme: Scheme

    /// The host name or IP address, lower-cased; IPv6 addresses keep their brackets, as in an `Origin` header.
    public let host: String

    /// The port, or `nil` when it is the scheme's default.
    public let port: Int?

    /// Creates an origin from parts, normalising the host's case and a default port.
    /// - Parameters:
    ///   - scheme: `http` or `https`.
    ///   - host: The host name or IP address; IPv6 addresses in brackets.
    ///   - port: The port; the scheme's default port is the same as none.
    public init(scheme: Scheme, host: String, port: Int? = nil) {
        self.scheme = scheme
        self.host = host.lowercased()
        self.port = port == scheme.defaultPort ? nil : port
    }

    /// Parses a configured origin or an `Origin` header value.
    /// - Parameter text: A bare origin such as `https://app.example.com` or `http://localhost:3000`.
    /// - Throws: ``Rejection`` when the text is not a bare `http` or `https` origin.
    public init(validating text: String) throws(Rejection) {
        let trimmed = text.trimmingSpacesAndTabs()
        guard !trimmed.isEmpty else { throw .empty }
        // Checked first: `*.example.com` is a wildcard attempt, not merely a missing scheme.
        guard !trimmed.contains("*") else { throw .wildcard }
        guard trimmed.lowercased() != "null" else { throw .null }
        // The scheme ends at the first `:`, which must start `://`; `localhost:3000` has no scheme.
        guard let colon = trimmed.firstIndex(of: ":"), trimmed[colon...].hasPrefix("://") else { throw .missingScheme }

        let schemeText = trimmed[..<colon].lowercased()
        guard Self.isSchemeSyntax(schemeText) else { throw .missingScheme }
        guard let scheme = Scheme(rawValue: schemeText) else { throw .unsupportedScheme(schemeText) }

        let afterScheme = trimmed[colon...].dropFirst(3)
        let authorityEnd = afterScheme.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        try Self.checkNothingAfterAuthority(afterScheme[authorityEnd...])
        guard !authority.contains("@") else { throw .containsUserInfo }

        let (host, port) = try Self.splitHostAndPort(authority)
        self.init(scheme: scheme, host: host, port: port)
    }

    /// The serialised origin, as browsers send it and as `Access-Control-Allow-Origin` must echo it.
    public var description: String {
        guard let port else { return "\(scheme.rawValue)://\(host)" }
        return "\(scheme.rawValue)://\(host):\(port)"
    }

    // MARK: Parsing

    /// RFC 3986: a letter, then letters, digits, `+`, `-` or `.`.
    private static func isSchemeSyntax(_ scheme: String) -> Bool {
        guard let first = scheme.unicodeScalars.first, first.isASCIILetter else { return false }
        return scheme.unicodeScalars.allSatisfy { $0.isASCIILetter || $0.isASCIIDigit || "+-.".unicodeScalars.contains($0) }
    }

    /// A bare origin may end in one `/` and nothing else.
    private static func checkNothingAfterAuthority(_ rest: Substring) throws(Rejection) {
        let pathEnd = rest.firstIndex { $0 == "?" || $0 == "#" } ?? rest.endIndex
        let path = rest[..<pathEnd]
        guard path.isEmpty || path == "/" else { throw .containsPath }
        let afterPath = rest[pathEnd...]
        if afterPath.hasPrefix("?") { throw .containsQuery }
        if afterPath.hasPrefix("#") { throw .containsFragment }
    }

    private static func splitHostAndPort(_ authority: Substring) throws(Rejection) -> (host: String, port: Int?) {
        guard !authority.isEmpty else { throw .missingHost }
        let host: Substring
        let portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw .invalidHost }
            host = authority[...close]
            let rest = authority[authority.index(after: close)...]
            guard rest.isEmpty || rest.hasPrefix(":") else { throw .invalidHost }
            portText = rest.isEmpty ? nil : rest.dropFirst()
            guard isIPv6Literal(host.dropFirst().dropLast()) else { throw .invalidHost }
        } else {
            let parts = authority.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            host = parts[0]
            portText = parts.count == 2 ? parts[1] : nil
            guard !host.isEmpty else { throw .missingHost }
            guard isHostName(host) else { throw .invalidHost }
        }
        guard let portText else { return (String(host), nil) }
        guard !portText.isEmpty, portText.count <= 5, portText.unicodeScalars.allSatisfy(\.isASCIIDigit),
            let port = Int(portText), (1...65535).contains(port)
        else {
            throw .invalidPort
        }
        return (String(host), port)
    }

    /// Dot-separated labels of ASCII letters, digits, `-` and `_`; internationalised names must be written as
    /// `xn--` labels, as browsers send them. IPv4 addresses pass as labels of digits.
    private static func isHostName(_ host: Substring) -> Bool {
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63
                && label.unicodeScalars.allSatisfy { $0.isASCIILetter || $0.isASCIIDigit || $0 == "-" || $0 == "_" }
        }
    }

    /// Hex digits, `:` and `.` (for an embedded IPv4 address); enough to keep anything else out of a header.
    private static func isIPv6Literal(_ address: Substring) -> Bool {
        address.contains(":")
            && address.unicodeScalars.allSatisfy { $0.isASCIIHexDigit || $0 == ":" || $0 == "." }
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
    fileprivate var isASCIIHexDigit: Bool { isASCIIDigit || ("a"..."f").contains(self) || ("A"..."F").contains(self) }
}
