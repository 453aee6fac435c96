public import EventHTTP
/// What protects `POST /idv-session` on the open web: which origins may call it, how often, through which
/// proxies, and whose contact a caller may verify.
public struct SecuritySettings: Sendable, Equatable {
    /// Browser origins allowed to call the API (`cors.allowed_origins`, `cors.max_age_seconds`).
    public var cors: CORSOptions
    /// Per-client token bucket (`rate_limit.per_minute`, `rate_limit.burst`; 0 disables).
    public var rateLimit: RateLimitPolicy
    /// Peers whose `X-Forwarded-For` is believed (`proxy.trusted_cidrs`).
    public var trustedProxies: TrustedProxies
    /// Upstream calls allowed at once across all loops (`clientloop.max_in_flight`).
    public var maxInFlight: Int
    /// Where the contact id may come from (`contact.policy`).
    public var contactPolicy: ContactPolicyKind
    /// Token checks for `contact.policy: jwt`, with the JWKS file to verify against.
    public var jwt: JWTSettings?

    public static let defaultRateLimitPerMinute = 30
    public static let defaultRateLimitBurst = 10
    public static let defaultMaxInFlight = 64

    public init(
        cors: CORSOptions = .sameOriginOnly,
        rateLimit: RateLimitPolicy = RateLimitPolicy(perMinute: defaultRateLimitPerMinute, burst: defaultRateLimitBurst),
        trustedProxies: TrustedProxies = .empty,
        maxInFlight: Int = defaultMaxInFlight,
        contactPolicy: ContactPolicyKind = .none,
        jwt: JWTSettings? = nil
    ) {
        self.cors = cors
        self.rateLimit = rateLimit
        self.trustedProxies = trustedProxies
        self.maxInFlight = maxInFlight
        self.contactPolicy = contactPolicy
        self.jwt = jwt
    }
}

/// The choice of `contact.policy`.
public enum ContactPolicyKind: String, Sendable, Equatable, CaseIterable {
    /// The body's `contactId` is trusted: any visitor of a page that can call the API may verify any contact. Only
    /// when configured explicitly (or in `--demo`), and warned about at start-up.
    case body
    /// Only brand-new contacts: no request may name an existing contact (the default).
    case none
    /// The contact comes from a JWT issued by the integrator's identity provider.
    case jwt

    /// Said at start-up when the browser chooses the contact: an operator must know they opted into that.
    public static let bodyPolicyWarning =
        "contact.policy is body: the browser chooses which contact to verify, so any visitor of a page that can call "
        + "this API may verify any contact; use CONTACT_POLICY=jwt to bind the contact to your sign-in"

    /// Warnings to log at start-up about this choice; empty when there is nothing to say.
    public var startupWarnings: [String] {
        switch self {
        case .body: [Self.bodyPolicyWarning]
        case .none, .jwt: []
        }
    }
}

/// `jwt.*`: the checks and the key set for `contact.policy: jwt`.
public struct JWTSettings: Sendable, Equatable {
    public var options: JWTOptions
    /// Where the identity provider's public keys come from.
    public var keySource: JWKSSource

    public init(options: JWTOptions, keySource: JWKSSource) {
        self.options = options
        self.keySource = keySource
    }
}

/// Where the identity provider's public keys (a JWKS document) come from.
public enum JWKSSource: Sendable, Equatable {
    /// A file (`jwt.jwks_file`), loaded at start-up; changing keys means restarting.
    case file(String)
    /// A URL (`jwt.jwks_url`) fetched at start-up over the verified HTTPS client, then again every `refreshSeconds`
    /// (`jwt.jwks_refresh_seconds`) and, at most once a minute, when a token names an unknown `kid`.
    case url(UpstreamURL, refreshSeconds: Int)

    /// The URL and refresh interval, when the keys come from a URL.
    public var remote: (url: UpstreamURL, refreshSeconds: Int)? {
        if case .url(let url, let refreshSeconds) = self { (url, refreshSeconds) } else { nil }
    }

    /// The default time between two scheduled fetches of a JWKS URL.
    public static let defaultRefreshSeconds = 300
    /// The times between scheduled fetches accepted.
    public static let refreshSecondsRange = 10...86_400
}
