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
        guard let (schemeText, afterScheme) = URLSyntax.splitScheme(trimmed) else { throw .missingScheme }
        guard let scheme = Scheme(rawValue: schemeText) else { throw .unsupportedScheme(schemeText) }

        let (authority, rest) = URLSyntax.splitAuthority(afterScheme)
        try Self.checkNothingAfterAuthority(rest)
        guard !authority.contains("@") else { throw .containsUserInfo }

        let hostAndPort: (host: Substring, port: Int?)
        do {
            hostAndPort = try URLSyntax.hostAndPort(authority)
        } catch {
            switch error {
            case .missingHost: throw .missingHost
            case .invalidHost: throw .invalidHost
            case .invalidPort: throw .invalidPort
            }
        }
        self.init(scheme: scheme, host: String(hostAndPort.host), port: hostAndPort.port)
    }

    /// The serialised origin, as browsers send it and as `Access-Control-Allow-Origin` must echo it.
    public var description: String {
        guard let port else { return "\(scheme.rawValue)://\(host)" }
        return "\(scheme.rawValue)://\(host):\(port)"
    }

    // MARK: Parsing

    /// A bare origin may end in one `/` and nothing else.
    private static func checkNothingAfterAuthority(_ rest: Substring) throws(Rejection) {
        let pathEnd = rest.firstIndex { $0 == "?" || $0 == "#" } ?? rest.endIndex
        let path = rest[..<pathEnd]
        guard path.isEmpty || path == "/" else { throw .containsPath }
        let afterPath = rest[pathEnd...]
        if afterPath.hasPrefix("?") { throw .containsQuery }
        if afterPath.hasPrefix("#") { throw .containsFragment }
    }
}

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

/// Which browser origins may call the API across origins.
public enum CORSAllowedOrigins: Sendable, Equatable {
    /// No cross-origin caller at all: the empty list. A request carrying `Origin` is served only when that origin is
    /// the request's own, judged from `Host` (see ``CORSPolicy``), and never gets CORS headers.
    case sameOriginOnly
    /// Exactly these origins, compared after normalising; never empty (that is ``sameOriginOnly``).
    case exactly(Set<CORSOrigin>)
    /// Any origin, answered with `*`. Only ever the result of configuring `*` explicitly.
    case any

    /// The configuration value that stands for any origin.
    public static let anyOriginEntry = "*"

    /// Exactly `origins`; the empty list means ``sameOriginOnly``.
    public static func origins(_ origins: some Sequence<CORSOrigin>) -> CORSAllowedOrigins {
        let set = Set(origins)
        return set.isEmpty ? .sameOriginOnly : .exactly(set)
    }

    /// Reads configured entries, keeping every valid one and reporting every invalid one.
    ///
    /// `["*"]` is ``any``; `*` next to other entries is a problem, since it would silently widen them. Duplicate
    /// spellings of one origin are harmless and collapse into one.
    /// - Parameter entries: Origins as configured, such as `["https://app.example.com", "http://localhost:3000"]`.
    /// - Returns: The origins the valid entries allow, and one problem per invalid entry; the configuration is
    ///   usable only when `problems` is empty.
    public static func parsing(_ entries: [String]) -> (allowed: CORSAllowedOrigins, problems: [CORSOriginProblem]) {
        let isAny = { (entry: String) in entry.trimmingSpacesAndTabs() == anyOriginEntry }
        if entries.contains(where: isAny) {
            let problems = entries.count == 1 ? [] : [CORSOriginProblem(position: nil, entry: anyOriginEntry, reason: .anyAmongOrigins)]
            return (.any, problems)
        }
        var origins: [CORSOrigin] = []
        var problems: [CORSOriginProblem] = []
        for (index, entry) in entries.enumerated() {
            do {
                origins.append(try CORSOrigin(validating: entry))
            } catch {
                problems.append(CORSOriginProblem(position: index + 1, entry: entry, reason: .notAnOrigin(error)))
            }
        }
        return (.origins(origins), problems)
    }
}

extension CORSAllowedOrigins {
    /// The setting as it would be written in configuration: `*`, the sorted origins, or `(same origin only)`.
    public var configurationText: String {
        switch self {
        case .sameOriginOnly: "(same origin only)"
        case .any: Self.anyOriginEntry
        case .exactly(let origins): origins.map(\.description).sorted().joined(separator: ",")
        }
    }
}
