import Configuration
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
        let metrics = MetricsSettings(validating: raw, httpPort: http?.port, problems: &problems)
        let idempotency = IdempotencySettings(validating: raw, problems: &problems)
        // A bad value typed as --port is reported as the flag's, not as the environment variable's.
        problems = problems.map(overrides.attributing)
        guard problems.isEmpty, let http, let clientLoop, let log, let shutdown, let security, let metrics, let idempotency else {
            throw ConfigurationError(problems: problems)
        }
        return AppConfiguration(http: http, clientLoop: clientLoop, log: log, shutdown: shutdown, security: security,
                                metrics: metrics, idempotency: idempotency, demo: overrides.demo)
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

/// Settings given on the command line; they take precedence over the environment and the file.
///
/// Values are the raw text the user typed, so that something like `--port abc` becomes a reported
/// ``ConfigurationProblem`` instead of an argument-parsing failure.
public struct ConfigurationOverrides: Sendable, Equatable {
    /// The YAML (`.yaml`, `.yml`) or JSON (`.json`) configuration file to read, if any.
    public var configFile: String?

    /// Overrides `http.host`.
    public var host: String?

    /// Overrides `http.port`, as typed.
    public var port: String?

    /// Demo mode: ClientLoop is the in-process fake, so no key or org id is needed and no graph URL is allowed.
    public var demo: Bool

    /// Creates overrides; `nil` leaves a setting to the environment, the file or the default.
    /// - Parameters:
    ///   - configFile: The configuration file to read.
    ///   - host: The address to listen on.
    ///   - port: The port to listen on, as typed.
    ///   - demo: Whether the upstream is the in-process fake.
    public init(configFile: String? = nil, host: String? = nil, port: String? = nil, demo: Bool = false) {
        self.configFile = configFile
        self.host = host
        self.port = port
        self.demo = demo
    }

    /// The overridden settings, keyed by setting.
    var values: [SettingKey: String] {
        var values: [SettingKey: String] = [:]
        values[.httpHost] = host
        values[.httpPort] = port
        return values
    }

    /// The flag that sets each overridable setting.
    static let flags: [SettingKey: String] = [.httpHost: "--host", .httpPort: "--port"]

    /// `problem`, naming the flag instead of the environment variable when the value came from the command line.
    func attributing(_ problem: ConfigurationProblem) -> ConfigurationProblem {
        guard let key = values.keys.first(where: { $0.name == problem.key }), let flag = Self.flags[key] else { return problem }
        var attributed = problem
        attributed.environmentVariable = flag
        return attributed
    }
}

/// The sources of settings, highest precedence first: command line, environment, configuration file.
/// Defaults are not a source; validation applies them to whatever is left unset.
enum ConfigurationSources {
    /// Builds a reader over every source.
    /// - Parameters:
    ///   - overrides: Settings from the command line, and the configuration file to read.
    ///   - environment: The environment variables to consult; passed explicitly so tests stay hermetic.
    ///   - problems: Receives a problem when the configuration file cannot be used.
    static func reader(
        overrides: ConfigurationOverrides,
        environment: [String: String],
        problems: inout [ConfigurationProblem]
    ) async -> ConfigReader {
        let secretVariables = Set(SettingKey.allCases.filter(\.isSecret).map(\.environmentVariable))
        var providers: [any ConfigProvider] = [
            InMemoryProvider(name: "command line", values: commandLineValues(overrides)),
            EnvironmentVariablesProvider(
                environmentVariables: environment.filter { !isBlank($0.value) },
                secretsSpecifier: .specific(secretVariables)
            ),
        ]
        if let path = overrides.configFile {
            switch await ConfigurationFile.open(path) {
            case .provider(let fileProvider): providers.append(fileProvider)
            case .noSettings: break
            case .problem(let problem): problems.append(problem)
            }
        }
        return ConfigReader(providers: providers)
    }

    private static func commandLineValues(_ overrides: ConfigurationOverrides) -> [AbsoluteConfigKey: ConfigValue] {
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        for (key, text) in overrides.values where !isBlank(text) {
            values[AbsoluteConfigKey(ConfigKey(key.name))] = ConfigValue(.string(text), isSecret: key.isSecret)
        }
        return values
    }

    /// Blank values count as unset, so that `HTTP_PORT=` in a compose file does not hide the file's port.
    private static func isBlank(_ text: String) -> Bool {
        text.trimmingWhitespace().isEmpty
    }
}

/// The YAML or JSON configuration file named on the command line.
enum ConfigurationFile {
    /// The file formats understood, chosen by the file's extension.
    enum Format: String {
        case yaml = "YAML"
        case json = "JSON"

        /// The format for `path`'s extension, or `nil` for an extension that is not understood.
        init?(path: String) {
            switch URL(fileURLWithPath: path).pathExtension.lowercased() {
            case "yaml", "yml": self = .yaml
            case "json": self = .json
            default: return nil
            }
        }
    }

    /// The largest configuration file accepted; real ones are a few kilobytes.
    static let sizeLimit = 1 << 20

    /// What opening the file gave.
    enum Outcome {
        /// The file's settings.
        case provider(any ConfigProvider)
        /// The file is blank, or holds only YAML comments, as a fully commented-out example does.
        case noSettings
        /// The file cannot be used.
        case problem(ConfigurationProblem)
    }

    /// Opens the file as a configuration provider.
    /// - Parameter path: The file named on the command line.
    static func open(_ path: String) async -> Outcome {
        guard let format = Format(path: path) else {
            return .problem(.configFile("\"\(path)\" has an unsupported extension; use .yaml, .yml or .json"))
        }
        let text: String
        switch LocalFile.readText(at: path, limit: sizeLimit) {
        case .success(let contents): text = contents
        case .failure(let failure): return .problem(.configFile(failure.message(for: path)))
        }
        if holdsNoSettings(text, format: format) {
            return .noSettings
        }
        do {
            // FileProvider takes a swift-system FilePath, a module this target does not import;
            // its reader-based initializer takes the path as a plain string instead.
            let location = ConfigReader(
                provider: InMemoryProvider(
                    name: "configuration file location",
                    values: ["filePath": ConfigValue(.string(path), isSecret: false)]
                )
            )
            let secretKeys: Set<String> = Set(SettingKey.allCases.filter(\.isSecret).map(\.name))
            switch format {
            case .yaml:
                return .provider(
                    try await FileProvider<YAMLSnapshot>(
                        parsingOptions: .init(secretsSpecifier: .specific(secretKeys)),
                        config: location
                    )
                )
            case .json:
                return .provider(
                    try await FileProvider<JSONSnapshot>(
                        parsingOptions: .init(secretsSpecifier: .specific(secretKeys)),
                        config: location
                    )
                )
            }
        } catch {
            return .problem(.configFile("\"\(path)\" is not valid \(format.rawValue): \(summary(of: error))"))
        }
    }

    /// Whether the file is blank, or holds nothing but YAML comments.
    private static func holdsNoSettings(_ text: String, format: Format) -> Bool {
        text.split(whereSeparator: \.isNewline).allSatisfy { line in
            let content = line.drop(while: \.isWhitespace)
            return content.isEmpty || (format == .yaml && (content.hasPrefix("#") || content == "---"))
        }
    }

    /// The first, descriptive part of a parse error, on one line.
    ///
    /// YAML errors end with a copy of the offending line, which could hold a secret, so only the
    /// lines up to the one ending in a colon (at most two) are kept. Foundation's JSON errors keep
    /// their useful part, such as the line and column, in the debug description.
    private static func summary(of error: any Error) -> String {
        let nsError = error as NSError
        if nsError.domain == NSCocoaErrorDomain, let detail = nsError.userInfo[NSDebugDescriptionErrorKey] as? String {
            return detail
        }
        var kept: [String] = []
        for line in String(describing: error).split(whereSeparator: \.isNewline).prefix(2) {
            var text = String(line).trimmingWhitespace()
            let endsStatement = text.hasSuffix(":")
            if endsStatement {
                text.removeLast()
            }
            // A lone word such as "Context" only introduces the copied text.
            if text.contains(" ") {
                kept.append(text)
            }
            if endsStatement {
                break
            }
        }
        let summary = kept.joined(separator: "; ")
        return summary.count > 300 ? String(summary.prefix(300)) + "…" : summary
    }
}
