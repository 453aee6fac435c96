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
/// origin, which a proxy may hide. Instead, an `Origin` equal to `http://` or `https://` followed by the request's
/// own `Host` counts as same-origin: such requests are served without CORS headers, and every other `Origin` is
/// refused. A configured list is taken literally: a page served from the API's own host must be listed too.
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
    public static let allowedRequestHeaders = ["Content-Type", "Authorization", "X-Request-Id"]
    /// The response headers cross-origin pages may read beyond the CORS-safelisted ones.
    public static let exposedResponseHeaders = ["X-Request-Id", "Retry-After", "RateLimit", "RateLimit-Policy"]

    private static let allowedRequestHeaderKeys = Set(allowedRequestHeaders.map { $0.lowercased() })
    // Field values that do not depend on the request, joined once.
    private static let allowHeadersValue = allowedRequestHeaders.joined(separator: ", ")
    private static let exposeHeadersValue = exposedResponseHeaders.joined(separator: ", ")
    private static let preflightVaryValue = CORSVary.preflight.joined(separator: ", ")
    private static let actualVaryValue = CORSVary.actual.joined(separator: ", ")
    private let maxAgeValue: String

    /// Creates the policy the options describe.
    public init(_ options: CORSOptions) {
        allowedOrigins = options.allowedOrigins
        maxAgeSeconds = max(0, options.maxAgeSeconds)
        maxAgeValue = String(maxAgeSeconds)
    }

    /// Decides about a request.
    public func decide(_ request: HTTPRequest) -> CORSDecision {
        decide(method: request.method, headers: request.headers)
    }

    /// Decides about a request given its method and header fields.
    public func decide(method: HTTPMethod, headers: HTTPHeaders) -> CORSDecision {
        let origins = headers.values(named: "Origin")
        guard !origins.isEmpty else { return .notCORS }
        let requestedMethods = headers.values(named: "Access-Control-Request-Method")
        let isPreflight = method == .options && !requestedMethods.isEmpty
        // An OPTIONS that is not a preflight asks what the path accepts; the route answers that as for anyone.
        if method == .options, !isPreflight {
            return .notCORS
        }

        let echoedOrigin: String
        switch judge(originValues: origins, host: headers["Host"]) {
        case .allowed(let origin):
            echoedOrigin = origin
        case .sameOrigin:
            return .sameOrigin
        case .refused(let refusal):
            return .refused(refusal)
        }

        guard isPreflight else {
            return .actualAllowed(headers: actualHeaders(allowOrigin: echoedOrigin))
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

    private func judge(originValues: [String], host: String?) -> OriginJudgement {
        switch allowedOrigins {
        case .any:
            // `*` answers every origin alike, so what was sent does not matter.
            return .allowed(CORSAllowedOrigins.anyOriginEntry)
        case .exactly(let origins):
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
                return Self.isOwnOrigin(origin, host: host) ? .sameOrigin : .refused(.originNotAllowed(origin))
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

    /// Whether `origin` is `http://` or `https://` followed by the request's `Host`, both normalised.
    private static func isOwnOrigin(_ origin: CORSOrigin, host: String?) -> Bool {
        guard let host, !host.isEmpty else { return false }
        // The Host header is an authority; read as an origin it gets the same validation and normalisation.
        let ownOrigins = [CORSOrigin.Scheme.http, .https].compactMap { try? CORSOrigin(validating: "\($0.rawValue)://\(host)") }
        return ownOrigins.contains(origin)
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
    private func actualHeaders(allowOrigin: String) -> HTTPHeaders {
        [
            "Access-Control-Allow-Origin": allowOrigin,
            "Access-Control-Expose-Headers": Self.exposeHeadersValue,
            "Vary": Self.actualVaryValue,
        ]
    }
}
