import Foundation

extension AppConfiguration {
    /// Loads and validates the configuration.
    ///
    /// Each setting comes from the first source that sets it: `overrides` (the command line),
    /// then `environment`, then the YAML or JSON file named by `overrides.configFile`,
    /// and otherwise its default. Blank values count as unset.
    ///
    /// - Parameters:
    ///   - overrides: Settings from the command line, and the configuration file to read.
    ///   - environment: The environment variables to consult, such as `ProcessInfo.processInfo.environment`.
    ///   - processorCount: The number of processors, which sets the default `http.threads`.
    /// - Returns: The validated configuration.
    /// - Throws: ``ConfigurationError`` listing every problem found, not just the first.
    public static func load(
        overrides: ConfigurationOverrides,
        environment: [String: String],
        processorCount: Int
    ) async throws(ConfigurationError) -> AppConfiguration {
        var problems: [ConfigurationProblem] = []
        let reader = await ConfigurationSources.reader(
            overrides: overrides,
            environment: environment,
            problems: &problems
        )
        let raw = await RawSettings.read(from: reader, problems: &problems)
        let http = HTTPSettings(validating: raw, processorCount: processorCount, problems: &problems)
        let clientLoop = overrides.demo
            ? ClientLoopSettings(validatingDemo: raw, problems: &problems)
            : ClientLoopSettings(validating: raw, problems: &problems)
        let log = LogSettings(validating: raw, problems: &problems)
        let shutdown = ShutdownSettings(validating: raw, problems: &problems)
        let security = SecuritySettings(validating: raw, demo: overrides.demo, problems: &problems)
        guard problems.isEmpty, let http, let clientLoop, let log, let shutdown, let security else {
            throw ConfigurationError(problems: problems)
        }
        return AppConfiguration(http: http, clientLoop: clientLoop, log: log, shutdown: shutdown, security: security)
    }

    /// Loads and validates the configuration from this process's environment and processor count.
    /// - Parameter overrides: Settings from the command line, and the configuration file to read.
    /// - Returns: The validated configuration.
    /// - Throws: ``ConfigurationError`` listing every problem found, not just the first.
    public static func load(overrides: ConfigurationOverrides) async throws(ConfigurationError) -> AppConfiguration {
        try await load(
            overrides: overrides,
            environment: ProcessInfo.processInfo.environment,
            processorCount: ProcessInfo.processInfo.activeProcessorCount
        )
    }
}
