public import EventHTTP

/// The CORS rules for a credential-less JSON `POST` API, as the Fetch standard has browsers apply them.
///
/// The rules are pure: a decision depends on the request's method and headers only.
///
/// - A request without `Origin` is not a CORS request and passes untouched: CORS is a browser protocol, and
///   curl or a server can send anything anyway.
/// - A preflight is an `OPTIONS` with `Origin` and `Access-Control-Request-Method`. It is answered `204` when the
///   origin is allowed, the method is `POST` and every requested header is one of ``allowedRequestHeaders``;
///   otherwise `403 origin_not_allowed`, without CORS headers, so the browser stops there.
/// - Any other request with `Origin` is served, with `Access-Control-Allow-Origin` and friends, when the origin
///   is allowed, and refused with `403 origin_not_allowed` before the route runs when it is not.
///
/// With no configured origin (``CORSAllowedOrigins/sameOriginOnly``) the server would have to know its own public
/// origin, which a proxy may hide. Instead, an `Origin` equal to the request's own scheme followed by its `Host`
/// counts as same-origin: such requests are served without CORS headers, and every other `Origin` is refused. The
/// listener speaks plain HTTP, so the scheme is `http` unless a trusted proxy says `X-Forwarded-Proto: https`
/// (``ClientAddressResolver/scheme(peer:headers:)``). `Host` is the client's word: a DNS-rebinding page
/// names itself there, which is why production should list its origins. A configured list is taken literally: a
/// page served from the API's own host must be listed too (said at start-up, ``startupNotes``).
///
/// `Access-Control-Allow-Credentials` is never sent, not even with `*`.
public struct CORSPolicy: Sendable {
    /// The origins allowed to call across origins.
    public let allowedOrigins: CORSAllowedOrigins
    /// The preflight cache lifetime sent as `Access-Control-Max-Age`, in seconds.
    public let maxAgeSeconds: Int

    /// The one method cross-origin pages may use.
    public static let allowedMethod = HTTPMethod.post
    /// The request headers cross-origin pages may send beyond the CORS-safelisted ones.
    public static let allowedRequestHeaders = ["Content-Type", "Authorization", "X-Request-Id", "Idempotency-Key"]
    /// The response headers cross-origin pages may read beyond the CORS-safelisted ones.
    public static let exposedResponseHeaders = ["X-Request-Id", "Retry-After", "RateLimit", "RateLimit-Policy", "Idempotent-Replayed"]

    private static let allowedRequestHeaderKeys = Set(allowedRequestHeaders.map { $0.lowercased() })
    // Field values that do not depend on the request, joined once.
    private static let allowHeadersValue = allowedRequestHeaders.joined(separator: ", ")
    private static let exposeHeadersValue = exposedResponseHeaders.joined(separator: ", ")
    private static let preflightVaryValue = CORSVary.preflight.joined(separator: ", ")
    private static let actualVaryValue = CORSVary.actual.joined(separator: ", ")
    private let maxAgeValue: String
    /// Whose `X-Forwarded-Proto` tells the request's scheme.
    private let proxies: ClientAddressResolver
    /// The headers of an allowed actual request by the origin they echo: each listed origin as browsers serialise
    /// it (an `Origin` equal to one of these, byte for byte, is allowed without being parsed again: it would parse
    /// to that very origin), or `*`. Made once, so an allowed request shares them instead of building its own.
    private let actualHeadersByOrigin: [String: HTTPHeaders]

    /// Creates the policy the options describe.
    /// - Parameters:
    ///   - options: The allowed origins and the preflight lifetime.
    ///   - proxies: The proxies believed about the scheme a request arrived with (for same-origin requests).
    public init(_ options: CORSOptions, proxies: ClientAddressResolver = ClientAddressResolver()) {
        allowedOrigins = options.allowedOrigins
        let echoedOrigins: [String]
        switch options.allowedOrigins {
        case .exactly(let origins): echoedOrigins = origins.map(\.description)
        case .any: echoedOrigins = [CORSAllowedOrigins.anyOriginEntry]
        case .sameOriginOnly: echoedOrigins = []
        }
        actualHeadersByOrigin = Dictionary(
            echoedOrigins.map { ($0, Self.actualHeaders(allowOrigin: $0)) }, uniquingKeysWith: { first, _ in first })
        maxAgeSeconds = max(0, options.maxAgeSeconds)
        maxAgeValue = String(maxAgeSeconds)
        self.proxies = proxies
    }

    /// Decides about a request.
    public func decide(_ request: HTTPRequest) -> CORSDecision {
        // The scheme matters only to the same-origin rule, and only for a request that names an origin.
        let needsScheme = allowedOrigins == .sameOriginOnly && request.headers.contains("Origin")
        return decide(method: request.method, headers: request.headers,
                      scheme: needsScheme ? proxies.scheme(peer: request.peerIPAddress, headers: request.headers) : .http)
    }

    /// Decides about a request given its method, header fields and the scheme it arrived with at the edge.
    public func decide(method: HTTPMethod, headers: HTTPHeaders, scheme: CORSOrigin.Scheme = .http) -> CORSDecision {
        let origins = headers.values(named: "Origin")
        guard !origins.isEmpty else { return .notCORS }
        let requestedMethods = headers.values(named: "Access-Control-Request-Method")
        let isPreflight = method == .options && !requestedMethods.isEmpty
        // An OPTIONS that is not a preflight asks what the path accepts; the route answers that as for anyone.
        if method == .options, !isPreflight {
            return .notCORS
        }

        let echoedOrigin: String
        switch judge(originValues: origins, ownOrigin: (scheme, headers["Host"])) {
        case .allowed(let origin):
            echoedOrigin = origin
        case .sameOrigin:
            return .sameOrigin
        case .refused(let refusal):
            return .refused(refusal)
        }

        guard isPreflight else {
            return .actualAllowed(headers: actualHeadersByOrigin[echoedOrigin] ?? Self.actualHeaders(allowOrigin: echoedOrigin))
        }
        let requestedMethod = String(requestedMethods[0].trimmingSpacesAndTabs())
        // Methods are case-sensitive; browsers send the standard ones upper-cased.
        guard requestedMethod == Self.allowedMethod.rawValue else {
            return .refused(.methodNotAllowed(requestedMethod))
        }
        let requestedHeaders = HTTPFieldList.members(of: 
            headers.values(named: "Access-Control-Request-Headers")
        ).map { $0.lowercased() }
        let refusedHeaders = requestedHeaders.filter { !Self.allowedRequestHeaderKeys.contains($0) }
        guard refusedHeaders.isEmpty else {
            return .refused(.headersNotAllowed(refusedHeaders))
        }
        return .preflightAllowed(headers: preflightHeaders(allowOrigin: echoedOrigin))
    }

    // MARK: Origins

    /// What the origin alone decides.
    private enum OriginJudgement {
        /// Allowed; the value for `Access-Control-Allow-Origin`.
        case allowed(String)
        case sameOrigin
        case refused(CORSRefusal)
    }

    private func judge(originValues: [String], ownOrigin: (scheme: CORSOrigin.Scheme, host: String?)) -> OriginJudgement {
        switch allowedOrigins {
        case .any:
            // `*` answers every origin alike, so what was sent does not matter.
            return .allowed(CORSAllowedOrigins.anyOriginEntry)
        case .exactly(let origins):
            if originValues.count == 1, actualHeadersByOrigin[originValues[0]] != nil {
                return .allowed(originValues[0])
            }
            switch Self.singleOrigin(originValues) {
            case .refused(let refusal):
                return .refused(refusal)
            case .origin(let origin):
                // Echo the normalised form: never reflect the client's bytes.
                return origins.contains(origin) ? .allowed(origin.description) : .refused(.originNotAllowed(origin))
            }
        case .sameOriginOnly:
            switch Self.singleOrigin(originValues) {
            case .refused(let refusal):
                return .refused(refusal)
            case .origin(let origin):
                return Self.isOwnOrigin(origin, scheme: ownOrigin.scheme, host: ownOrigin.host)
                    ? .sameOrigin : .refused(.originNotAllowed(origin))
            }
        }
    }

    /// The one origin a request names, or why it names none usable.
    private enum OriginReading {
        case origin(CORSOrigin)
        case refused(CORSRefusal)
    }

    /// Reads the request's origin; browsers never send two `Origin` fields, and always send an origin serialised
    /// (RFC 6454 §6.2): lower case, no default port, no trailing `/`. Anything else is not what a browser sends,
    /// so it is refused rather than normalised into an allowed origin.
    private static func singleOrigin(_ originValues: [String]) -> OriginReading {
        guard originValues.count == 1 else { return .refused(.malformedOrigin) }
        do throws(CORSOrigin.Rejection) {
            let origin = try CORSOrigin(validating: originValues[0])
            guard origin.description == originValues[0] else { return .refused(.malformedOrigin) }
            return .origin(origin)
        } catch .null {
            return .refused(.opaqueOrigin)
        } catch {
            return .refused(.malformedOrigin)
        }
    }

    /// Whether `origin` is the request's scheme followed by its `Host`, both normalised.
    private static func isOwnOrigin(_ origin: CORSOrigin, scheme: CORSOrigin.Scheme, host: String?) -> Bool {
        guard let host, !host.isEmpty else { return false }
        // The Host header is an authority; read as an origin it gets the same validation and normalisation.
        return (try? CORSOrigin(validating: "\(scheme.rawValue)://\(host)")) == origin
    }

    // MARK: Headers

    /// Sent with an accepted preflight.
    private func preflightHeaders(allowOrigin: String) -> HTTPHeaders {
        [
            "Access-Control-Allow-Origin": allowOrigin,
            "Access-Control-Allow-Methods": Self.allowedMethod.rawValue,
            "Access-Control-Allow-Headers": Self.allowHeadersValue,
            "Access-Control-Max-Age": maxAgeValue,
            "Vary": Self.preflightVaryValue,
        ]
    }

    /// Added to the route's answer to an allowed request.
    private static func actualHeaders(allowOrigin: String) -> HTTPHeaders {
        [
            "Access-Control-Allow-Origin": allowOrigin,
            "Access-Control-Expose-Headers": exposeHeadersValue,
            "Vary": actualVaryValue,
        ]
    }
}

/// How the API answers browsers calling it from other origins: who may, and how long a preflight answer lasts.
///
/// Credentials are not an option: the API never sends `Access-Control-Allow-Credentials`, so browsers never attach
/// cookies or client certificates to these calls.
public struct CORSOptions: Sendable, Equatable {
    /// The origins allowed to call across origins.
    public var allowedOrigins: CORSAllowedOrigins
    /// How long browsers may reuse a preflight answer, in seconds (`Access-Control-Max-Age`).
    public var maxAgeSeconds: Int

    /// Ten minutes: origins rarely change, and a browser retries a preflight soon enough after they do.
    public static let defaultMaxAgeSeconds = 600

    /// Creates options.
    /// - Parameters:
    ///   - allowedOrigins: The origins allowed to call across origins.
    ///   - maxAgeSeconds: How long browsers may reuse a preflight answer; negative values count as 0.
    public init(allowedOrigins: CORSAllowedOrigins, maxAgeSeconds: Int = defaultMaxAgeSeconds) {
        self.allowedOrigins = allowedOrigins
        self.maxAgeSeconds = max(0, maxAgeSeconds)
    }

    /// No cross-origin callers: the default when no origin is configured.
    public static let sameOriginOnly = CORSOptions(allowedOrigins: .sameOriginOnly)

    /// Exactly these origins; an empty list is ``sameOriginOnly``.
    public static func origins(_ origins: [CORSOrigin], maxAgeSeconds: Int = defaultMaxAgeSeconds) -> CORSOptions {
        CORSOptions(allowedOrigins: .origins(origins), maxAgeSeconds: maxAgeSeconds)
    }
}

/// What the CORS rules make of one request, before the route sees it.
public enum CORSDecision: Sendable, Equatable {
    /// Not a CORS request: no `Origin` (curl, server-to-server calls), or an `OPTIONS` that is not a preflight.
    /// Served as is.
    case notCORS
    /// The page's own origin, recognised from `Host` when no origin is configured. Served as is: browsers need no
    /// CORS headers for their own origin.
    case sameOrigin
    /// A preflight the policy accepts: answer `204` with `headers` without running the route.
    case preflightAllowed(headers: HTTPHeaders)
    /// A request from an allowed origin: run the route, then add `headers` to its answer, errors included, so the
    /// page can read them.
    case actualAllowed(headers: HTTPHeaders)
    /// Answer `403 origin_not_allowed` without CORS headers and without running the route.
    case refused(CORSRefusal)
}

/// Why a cross-origin request was refused; for the log, never for the browser, which only learns
/// `origin_not_allowed`.
public enum CORSRefusal: Sendable, Equatable, CustomStringConvertible {
    /// The origin, normalised, is not allowed.
    case originNotAllowed(CORSOrigin)
    /// The origin is the opaque `null` of sandboxed frames and local files.
    case opaqueOrigin
    /// `Origin` is not a serialised `http` or `https` origin, or the request has more than one.
    case malformedOrigin
    /// A preflight asked for a method other than `POST`; the method as sent, shortened.
    case methodNotAllowed(String)
    /// A preflight asked for headers outside the allowed set; those headers, lower-cased.
    case headersNotAllowed([String])

    /// The longest client-sent text quoted in the log, in characters.
    static let maximumQuotedLength = 64

    /// A short phrase for the log line.
    public var description: String {
        switch self {
        case .originNotAllowed(let origin): "origin \(origin) is not allowed"
        case .opaqueOrigin: "origin null is not allowed"
        case .malformedOrigin: "Origin is not a single serialised http or https origin"
        case .methodNotAllowed(let method): "preflight asks for method \(Self.shortened(method))"
        case .headersNotAllowed(let names): "preflight asks for headers \(Self.shortened(names.joined(separator: ", ")))"
        }
    }

    private static func shortened(_ text: String) -> String {
        text.count <= maximumQuotedLength ? text : text.prefix(maximumQuotedLength) + "…"
    }
}

/// The request headers a CORS answer depends on, for `Vary`, so that no cache hands one origin's answer to another.
enum CORSVary {
    /// A preflight answer depends on the origin and on what it asks for.
    static let preflight = ["Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"]
    /// Any other answer depends on the origin.
    static let actual = ["Origin"]

    /// `existing` with the members of `added` it lacks appended, compared without regard to case; `*` stays `*`.
    static func merged(_ existing: String?, adding added: String) -> String {
        guard let existing, !existing.trimmingSpacesAndTabs().isEmpty else { return added }
        let members = HTTPFieldList.members(of: [existing])
        if members.contains("*") {
            return "*"
        }
        let known = Set(members.map { $0.lowercased() })
        let missing = HTTPFieldList.members(of: [added]).filter { !known.contains($0.lowercased()) }
        return (members + missing).joined(separator: ", ")
    }
}

extension CORSPolicy {
    /// Said when `*` meets a contact policy that lets the browser name the contact.
    public static let anyOriginWithBodyContactWarning =
        "CORS allows any origin while contact.policy is body: any web page can mint sessions for any contact id"

    /// Warnings to log at start-up about combinations that are valid but probably not meant.
    /// - Parameter contactPolicyIsBody: Whether `contact.policy` takes the contact id from the request body.
    /// - Returns: One sentence per warning; empty when there is nothing to say.
    public func startupWarnings(contactPolicyIsBody: Bool) -> [String] {
        switch (allowedOrigins, contactPolicyIsBody) {
        case (.any, true):
            [Self.anyOriginWithBodyContactWarning]
        case (.any, false), (.exactly, _), (.sameOriginOnly, _):
            []
        }
    }

    /// Said at start-up (and by `--check-config`) when a list of origins is configured: it replaces the same-origin
    /// rule rather than adding to it.
    public static let listedOriginsNote =
        "CORS allows only the listed origins: a page served from this server's own host must be listed in "
        + "cors.allowed_origins (CORS_ALLOWED_ORIGINS) too"
    /// Said when no origin is configured.
    public static let sameOriginOnlyNote =
        "no CORS origin is configured: only pages whose origin is this request's own scheme and Host may call "
        + "(X-Forwarded-Proto believed from proxy.trusted_cidrs only); Host is the client's word, so production "
        + "should list its origins in cors.allowed_origins (CORS_ALLOWED_ORIGINS)"

    /// How the configured origins will be applied, for operators: one sentence each.
    public var startupNotes: [String] {
        switch allowedOrigins {
        case .exactly: [Self.listedOriginsNote]
        case .sameOriginOnly: [Self.sameOriginOnlyNote]
        case .any: []
        }
    }
}
