import Foundation
public import EventHTTP

extension ClientLoopSettings {
    /// The largest API key file accepted; keys are a few dozen bytes.
    static let apiKeyFileSizeLimit = 64 * 1024

    /// Validates the ClientLoop settings, recording a problem for each bad or missing value.
    /// - Returns: The settings, or `nil` if any of them is bad or missing.
    init?(validating raw: RawSettings, problems: inout [ConfigurationProblem]) {
        let apiKey = Self.resolvedAPIKey(raw, problems: &problems)
        let orgId = raw[.clientLoopOrgID]
        if orgId == nil {
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
            switch LocalFile.readText(at: path, limit: apiKeyFileSizeLimit) {
            case .failure(let failure):
                problems.append(ConfigurationProblem(.clientLoopAPIKeyFile, failure.message(for: path)))
                return nil
            case .success(let contents):
                // Secret files usually end with a newline; the key is what lies between the whitespace.
                let key = contents.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !key.isEmpty else {
                    problems.append(ConfigurationProblem(.clientLoopAPIKeyFile, "\"\(path)\" is empty"))
                    return nil
                }
                return Self.bearerCredentials(key, from: .clientLoopAPIKeyFile, problems: &problems)
            }
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
