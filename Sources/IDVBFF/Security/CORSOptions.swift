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

    /// Any origin (`*`); for configurations that list `*` explicitly.
    public static func anyOrigin(maxAgeSeconds: Int = defaultMaxAgeSeconds) -> CORSOptions {
        CORSOptions(allowedOrigins: .any, maxAgeSeconds: maxAgeSeconds)
    }
}
