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

extension SecuritySettings {
    /// Validates the security settings, recording a problem for each bad value.
    /// - Parameter demo: `--demo` mode, where the contact policy defaults to `body` so that developers can try
    ///   contact ids and the fake's triggers; everywhere else it defaults to `none`.
    init?(validating raw: RawSettings, demo: Bool = false, problems: inout [ConfigurationProblem]) {
        let problemsBefore = problems.count

        let origins = Self.list(raw[.corsAllowedOrigins])
        let (allowed, originProblems) = CORSAllowedOrigins.parsing(origins)
        problems += originProblems.map { ConfigurationProblem(.corsAllowedOrigins, $0.description) }
        let maxAge = raw.wholeNumber(.corsMaxAgeSeconds, in: 0...86_400, default: CORSOptions.defaultMaxAgeSeconds,
                                     expecting: "a number of seconds", problems: &problems)
        let perMinute = raw.wholeNumber(.rateLimitPerMinute, in: 0...1_000_000, default: Self.defaultRateLimitPerMinute,
                                        expecting: "a number of requests per minute", problems: &problems)
        let burst = raw.wholeNumber(.rateLimitBurst, in: 0...1_000_000, default: Self.defaultRateLimitBurst,
                                    expecting: "a number of requests", problems: &problems)
        let maxInFlight = raw.wholeNumber(.clientLoopMaxInFlight, in: 1...100_000, default: Self.defaultMaxInFlight,
                                          expecting: "a number of upstream calls", problems: &problems)
        let (trustedProxies, proxyProblems) = TrustedProxies.parse(entries: Self.list(raw[.proxyTrustedCIDRs]))
        problems += proxyProblems.map { ConfigurationProblem(.proxyTrustedCIDRs, $0.description) }

        // Secure by default: a browser may name an existing contact only when the operator says so.
        var contactPolicy = demo ? ContactPolicyKind.body : ContactPolicyKind.none
        if let text = raw[.contactPolicy] {
            if let kind = ContactPolicyKind(rawValue: text.lowercased()) {
                contactPolicy = kind
            } else {
                let accepted = ContactPolicyKind.allCases.map(\.rawValue).joined(separator: ", ")
                problems.append(ConfigurationProblem(.contactPolicy, "\"\(text)\" is not a contact policy (\(accepted))"))
            }
        }
        let jwt = contactPolicy == .jwt ? Self.validatedJWT(raw, problems: &problems) : nil

        if let perMinute, let burst, perMinute > 0, burst == 0 {
            problems.append(ConfigurationProblem(.rateLimitBurst, "must be at least 1 while rate_limit.per_minute is set; set both to 0 to disable"))
        }
        guard problems.count == problemsBefore, let maxAge, let perMinute, let burst, let maxInFlight else { return nil }
        self.init(
            cors: CORSOptions(allowedOrigins: allowed, maxAgeSeconds: maxAge),
            rateLimit: perMinute == 0 ? .disabled : RateLimitPolicy(perMinute: perMinute, burst: burst),
            trustedProxies: trustedProxies,
            maxInFlight: maxInFlight,
            contactPolicy: contactPolicy,
            jwt: jwt
        )
    }

    private static func validatedJWT(_ raw: RawSettings, problems: inout [ConfigurationProblem]) -> JWTSettings? {
        let leeway = raw.wholeNumber(.jwtLeewaySeconds, in: 0...JWTOptions.maximumLeewaySeconds,
                                     default: JWTOptions.defaultLeewaySeconds, expecting: "a number of seconds", problems: &problems)
        var allowNewContacts = false
        if let text = raw[.jwtAllowNewContacts] {
            switch text.lowercased() {
            case "true", "yes", "1": allowNewContacts = true
            case "false", "no", "0": allowNewContacts = false
            default: problems.append(ConfigurationProblem(.jwtAllowNewContacts, "\"\(text)\" is not true or false"))
            }
        }
        var options = JWTOptions(issuer: raw[.jwtIssuer] ?? "", audience: raw[.jwtAudience] ?? "",
                                 leewaySeconds: leeway ?? JWTOptions.defaultLeewaySeconds,
                                 contactClaim: raw[.jwtContactClaim] ?? JWTOptions.defaultContactClaim,
                                 allowNewContacts: allowNewContacts)
        if let algorithms = raw[.jwtAlgorithms] {
            options.algorithms = list(algorithms)
        }
        problems += options.problems
        guard let keySource = validatedKeySource(raw, problems: &problems) else { return nil }
        return JWTSettings(options: options, keySource: keySource)
    }

    private static func validatedKeySource(_ raw: RawSettings, problems: inout [ConfigurationProblem]) -> JWKSSource? {
        let refreshSeconds = raw.wholeNumber(.jwtJWKSRefreshSeconds, in: JWKSSource.refreshSecondsRange,
                                             default: JWKSSource.defaultRefreshSeconds, expecting: "a number of seconds", problems: &problems)
        switch (raw[.jwtJWKSFile], raw[.jwtJWKSURL]) {
        case (nil, nil):
            problems.append(ConfigurationProblem(.jwtJWKSFile, "or \(SettingKey.jwtJWKSURL.reference) is required when contact.policy is jwt"))
            return nil
        case (.some, .some):
            problems.append(ConfigurationProblem(.jwtJWKSFile, "and \(SettingKey.jwtJWKSURL.reference) are both set; set only one"))
            return nil
        case (let file?, nil):
            if let failure = LocalFile.problem(readingFileAt: file) {
                problems.append(ConfigurationProblem(.jwtJWKSFile, failure.message(for: file)))
            }
            return .file(file)
        case (nil, let text?):
            do {
                let url = try UpstreamURL(validating: text)
                guard let refreshSeconds else { return nil }
                return .url(url, refreshSeconds: refreshSeconds)
            } catch {
                problems.append(ConfigurationProblem(.jwtJWKSURL, error.description))
                return nil
            }
        }
    }

    /// A comma-separated setting as its non-empty, trimmed entries.
    static func list(_ text: String?) -> [String] {
        (text ?? "").split(separator: ",").map { String($0.trimmingSpacesAndTabs()) }.filter { !$0.isEmpty }
    }
}
