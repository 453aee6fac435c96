public import EventHTTP
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
