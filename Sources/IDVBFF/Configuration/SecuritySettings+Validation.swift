import Foundation
public import EventHTTP

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
        (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
