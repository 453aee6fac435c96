public import EventHTTP

/// How to reach and authenticate with the ClientLoop GraphQL API upstream.
public struct ClientLoopSettings: Sendable, Equatable {
    /// The API key (`clientloop.api_key`, `CLIENTLOOP_API_KEY`, or read from `clientloop.api_key_file`).
    public var apiKey: Secret

    /// The file the API key was read from (`clientloop.api_key_file`, `CLIENTLOOP_API_KEY_FILE`),
    /// or `nil` when the key was given directly.
    public var apiKeyFile: String?

    /// The organisation the service acts for (`clientloop.org_id`, `CLIENTLOOP_ORG_ID`).
    public var orgId: String

    /// The ClientLoop deployment (`clientloop.env`, `CLIENTLOOP_ENV`).
    public var environment: ClientLoopEnvironment

    /// The GraphQL endpoint (`clientloop.graph_url`, `CLIENTLOOP_GRAPH_URL`).
    public var graphURL: UpstreamURL

    /// An extra PEM bundle of CA certificates trusted for the upstream
    /// (`clientloop.ca_file`, `CLIENTLOOP_CA_FILE`), checked to be readable.
    public var caFile: String?

    /// How long to wait for the upstream, in milliseconds (`clientloop.timeout_ms`, `CLIENTLOOP_TIMEOUT_MS`).
    public var timeoutMilliseconds: Int

    /// ``timeoutMilliseconds`` in seconds, as the upstream client takes it.
    public var timeoutSeconds: Double { Double(timeoutMilliseconds) / 1000 }

    /// Upstream keep-alive connections per event-loop thread (`clientloop.pool_size`, `CLIENTLOOP_POOL_SIZE`).
    public var poolSize: Int

    /// The pool size when none is set.
    public static let defaultPoolSize = 16

    /// The pool sizes accepted.
    public static let poolSizeRange = 1...1024

    /// The upstream timeout when none is set.
    public static let defaultTimeoutMilliseconds = 10_000

    /// The upstream timeouts accepted, in milliseconds.
    public static let timeoutMillisecondsRange = 100...120_000

    /// Creates ClientLoop settings.
    /// - Parameters:
    ///   - apiKey: The API key.
    ///   - apiKeyFile: The file the key was read from, if any.
    ///   - orgId: The organisation the service acts for.
    ///   - environment: The ClientLoop deployment.
    ///   - graphURL: The GraphQL endpoint.
    ///   - caFile: An extra PEM bundle of trusted CA certificates.
    ///   - timeoutMilliseconds: How long to wait for the upstream.
    ///   - poolSize: Upstream connections per event-loop thread.
    public init(
        apiKey: Secret,
        apiKeyFile: String? = nil,
        orgId: String,
        environment: ClientLoopEnvironment = .prod,
        graphURL: UpstreamURL = .clientLoopProduction,
        caFile: String? = nil,
        timeoutMilliseconds: Int = ClientLoopSettings.defaultTimeoutMilliseconds,
        poolSize: Int = ClientLoopSettings.defaultPoolSize
    ) {
        self.apiKey = apiKey
        self.apiKeyFile = apiKeyFile
        self.orgId = orgId
        self.environment = environment
        self.graphURL = graphURL
        self.caFile = caFile
        self.timeoutMilliseconds = timeoutMilliseconds
        self.poolSize = poolSize
    }
}

extension ClientLoopSettings {
    /// The largest API key file accepted; keys are a few dozen bytes.
    static let apiKeyFileSizeLimit = 64 * 1024

    /// Validates the ClientLoop settings, recording a problem for each bad or missing value.
    /// - Returns: The settings, or `nil` if any of them is bad or missing.
    init?(validating raw: RawSettings, problems: inout [ConfigurationProblem]) {
        let apiKey = Self.resolvedAPIKey(raw, problems: &problems)
        var orgId = raw[.clientLoopOrgID]
        if let placeholder = orgId, Self.isPlaceholder(placeholder) {
            problems.append(ConfigurationProblem(.clientLoopOrgID, "\"\(placeholder)\" is the example's placeholder; set the id of "
                + "the ClientLoop organisation the sessions belong to (ClientLoop gives it with your API key; it looks like "
                + "35dHMM4pFzIykUsys1CDyZ9Xtkz)"))
            orgId = nil
        } else if orgId == nil {
            problems.append(ConfigurationProblem(.clientLoopOrgID, "is required"))
        }
        let environment = Self.validatedEnvironment(raw, problems: &problems)
        let graphURL = Self.validatedGraphURL(raw, environment: environment, problems: &problems)
        let caFile = raw[.clientLoopCAFile]
        var caFileIsReadable = true
        if let caFile, let failure = LocalFile.problem(readingFileAt: caFile) {
            problems.append(ConfigurationProblem(.clientLoopCAFile, failure.message(for: caFile)))
            caFileIsReadable = false
        }
        let timeoutMilliseconds = Self.validatedTimeout(raw, problems: &problems)
        let poolSize = raw.wholeNumber(
            .clientLoopPoolSize,
            in: Self.poolSizeRange,
            default: Self.defaultPoolSize,
            expecting: "a connection count",
            problems: &problems
        )
        guard let apiKey, let orgId, let environment, let graphURL, let timeoutMilliseconds, let poolSize, caFileIsReadable else {
            return nil
        }
        self.init(
            apiKey: apiKey,
            apiKeyFile: raw[.clientLoopAPIKeyFile],
            orgId: orgId,
            environment: environment,
            graphURL: graphURL,
            caFile: caFile,
            timeoutMilliseconds: timeoutMilliseconds,
            poolSize: poolSize
        )
    }

    /// Whether a value is one of the placeholders example files and snippets use, not a real setting.
    static func isPlaceholder(_ value: String) -> Bool {
        let normalised = value.lowercased().filter { $0.isLetter || $0.isNumber }
        let placeholders: Set<String> = ["yourorgid", "orgid", "orgreplaceme", "replaceme", "changeme", "todo", "xxx", "example"]
        return placeholders.contains(normalised) || value.hasPrefix("<") || value.hasSuffix(">")
    }

    /// The upstream timeout, or `nil` after recording a problem.
    static func validatedTimeout(_ raw: RawSettings, problems: inout [ConfigurationProblem]) -> Int? {
        raw.wholeNumber(
            .clientLoopTimeoutMilliseconds,
            in: Self.timeoutMillisecondsRange,
            default: Self.defaultTimeoutMilliseconds,
            expecting: "a timeout in milliseconds",
            problems: &problems
        )
    }

    /// The key given directly or read from the key file; exactly one of the two must be set.
    /// Problems never quote the key, nor anything about its content.
    private static func resolvedAPIKey(_ raw: RawSettings, problems: inout [ConfigurationProblem]) -> Secret? {
        switch (raw[.clientLoopAPIKey], raw[.clientLoopAPIKeyFile]) {
        case (nil, nil):
            let message = "is required; set it or \(SettingKey.clientLoopAPIKeyFile.reference)"
            problems.append(ConfigurationProblem(.clientLoopAPIKey, message))
            return nil
        case (.some, .some):
            problems.append(
                ConfigurationProblem(
                    .clientLoopAPIKey,
                    "is set together with \(SettingKey.clientLoopAPIKeyFile.reference); set only one of them"
                )
            )
            return nil
        case (let key?, nil):
            return Self.bearerCredentials(key, from: .clientLoopAPIKey, problems: &problems)
        case (nil, let path?):
            return apiKey(fromFile: path, problems: &problems)
        }
    }

    /// The key read from `clientloop.api_key_file`, at start-up and on every reload; problems never quote it.
    static func apiKey(fromFile path: String, problems: inout [ConfigurationProblem]) -> Secret? {
        switch LocalFile.readText(at: path, limit: apiKeyFileSizeLimit) {
        case .failure(let failure):
            problems.append(ConfigurationProblem(.clientLoopAPIKeyFile, failure.message(for: path)))
            return nil
        case .success(let contents):
            // Secret files usually end with a newline; the key is what lies between the whitespace.
            let key = contents.trimmingWhitespace()
            guard !key.isEmpty else {
                problems.append(ConfigurationProblem(.clientLoopAPIKeyFile, "\"\(path)\" is empty"))
                return nil
            }
            return bearerCredentials(key, from: .clientLoopAPIKeyFile, problems: &problems)
        }
    }

    /// The key as bearer credentials, or `nil` after recording a problem that never quotes it.
    ///
    /// libevent silently drops a header whose value holds CR, LF or other control bytes, so such a key would send
    /// every request without `Authorization`. Bearer credentials (RFC 6750 §2.1) are visible ASCII without spaces.
    static func bearerCredentials(_ key: String, from setting: SettingKey, problems: inout [ConfigurationProblem]) -> Secret? {
        guard key.utf8.allSatisfy({ $0 >= 0x21 && $0 <= 0x7E }) else {
            let detail = "holds a space, a line break, a control byte or a non-ASCII character (the value is not shown); "
                + "an API key is visible ASCII only"
            problems.append(ConfigurationProblem(setting, detail))
            return nil
        }
        return Secret(key)
    }

    private static func validatedEnvironment(
        _ raw: RawSettings,
        problems: inout [ConfigurationProblem]
    ) -> ClientLoopEnvironment? {
        guard let text = raw[.clientLoopEnvironment] else {
            return .prod
        }
        guard let environment = ClientLoopEnvironment(rawValue: text.lowercased()) else {
            let accepted = ClientLoopEnvironment.allCases.map(\.rawValue).joined(separator: ", ")
            let message = "\"\(text)\" is not a ClientLoop environment (\(accepted))"
            problems.append(ConfigurationProblem(.clientLoopEnvironment, message))
            return nil
        }
        return environment
    }

    /// The endpoint set, or the environment's well-known one; `nil` after recording a problem.
    private static func validatedGraphURL(
        _ raw: RawSettings,
        environment: ClientLoopEnvironment?,
        problems: inout [ConfigurationProblem]
    ) -> UpstreamURL? {
        guard let text = raw[.clientLoopGraphURL] else {
            guard let environment else {
                // The environment is already reported; which endpoint it lacks is moot.
                return nil
            }
            if let graphURL = environment.defaultGraphURL {
                return graphURL
            }
            problems.append(
                ConfigurationProblem(
                    .clientLoopGraphURL,
                    "is required when \(SettingKey.clientLoopEnvironment.name) is \"\(environment.rawValue)\""
                )
            )
            return nil
        }
        do {
            return try UpstreamURL(validating: text)
        } catch {
            problems.append(ConfigurationProblem(.clientLoopGraphURL, error.description))
            return nil
        }
    }
}

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
            orgId: raw[.clientLoopOrgID].flatMap { Self.isPlaceholder($0) ? nil : $0 } ?? Self.demoOrgID,
            environment: .prod,
            graphURL: Self.demoGraphURL,
            timeoutMilliseconds: timeoutMilliseconds
        )
    }
}

/// Which ClientLoop deployment the service talks to (`clientloop.env`, `CLIENTLOOP_ENV`).
public enum ClientLoopEnvironment: String, Sendable, Equatable, CaseIterable {
    /// Production, the default.
    case prod
    /// Staging; needs an explicit `clientloop.graph_url`.
    case stage

    /// The GraphQL endpoint used when none is set, if the environment has a well-known one.
    public var defaultGraphURL: UpstreamURL? {
        switch self {
        case .prod: .clientLoopProduction
        case .stage: nil
        }
    }
}

/// A sensitive string, such as an API key, that refuses to show itself.
///
/// `description`, `debugDescription` and reflection (`dump`, `Mirror`) all render `<redacted>`,
/// so a secret cannot leak through string interpolation, logging or debugging output.
/// Read ``value`` only where the secret is actually used.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The secret itself.
    public let value: String

    /// Wraps a sensitive string.
    /// - Parameter value: The secret.
    public init(_ value: String) {
        self.value = value
    }

    /// Always `<redacted>`.
    public var description: String { "<redacted>" }

    /// Always `<redacted>`.
    public var debugDescription: String { "<redacted>" }

    /// A mirror with no children, so `dump` and `Mirror` see nothing inside.
    public var customMirror: Mirror {
        Mirror(self, children: [], displayStyle: .struct)
    }
}
