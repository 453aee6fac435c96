public import EventHTTP
extension ClientLoopSettings {
    /// The key the demo's fake ClientLoop expects; it opens nothing real.
    public static let demoAPIKey = Secret("demo-key-not-a-secret")

    /// The org id used in demo mode unless one is configured.
    public static let demoOrgID = "demo-org"

    /// Where demo requests go until the fake's port is known: the in-process fake on loopback, plain HTTP.
    public static let demoGraphURL = UpstreamURL(scheme: .http, host: "127.0.0.1", port: 0, path: "/")

    /// Settings for demo mode: the fake's key and URL; a configured graph URL is a problem, since tokens minted
    /// in demo mode are fake and must never be confused with real ones.
    init?(validatingDemo raw: RawSettings, problems: inout [ConfigurationProblem]) {
        if raw[.clientLoopGraphURL] != nil {
            problems.append(ConfigurationProblem(.clientLoopGraphURL, "cannot be combined with --demo, which mints fake tokens"))
            return nil
        }
        let timeoutMilliseconds = Self.validatedTimeout(raw, problems: &problems)
        guard let timeoutMilliseconds else { return nil }
        self.init(
            apiKey: Self.demoAPIKey,
            orgId: raw[.clientLoopOrgID] ?? Self.demoOrgID,
            environment: .prod,
            graphURL: Self.demoGraphURL,
            timeoutMilliseconds: timeoutMilliseconds
        )
    }
}
