import Configuration
import Foundation

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
        text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }
}
