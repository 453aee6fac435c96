/// One thing wrong with the configuration, phrased so an operator can fix it.
///
/// Problems never quote a secret's value, not even partly.
public struct ConfigurationProblem: Sendable, Equatable, CustomStringConvertible {
    /// The dotted key at fault, such as `http.port`, or `config` for the configuration file itself.
    public var key: String

    /// The environment variable that sets ``key``, if there is one.
    public var environmentVariable: String?

    /// What is wrong and, where it helps, what is expected instead.
    public var message: String

    /// Creates a problem.
    /// - Parameters:
    ///   - key: The dotted key at fault.
    ///   - environmentVariable: The environment variable that sets the key, if any.
    ///   - message: What is wrong.
    public init(key: String, environmentVariable: String?, message: String) {
        self.key = key
        self.environmentVariable = environmentVariable
        self.message = message
    }

    /// One line: `key (ENV_VAR): message`, or `key: message` when no variable sets the key.
    public var description: String {
        if let environmentVariable {
            return "\(key) (\(environmentVariable)): \(message)"
        }
        return "\(key): \(message)"
    }
}

extension ConfigurationProblem {
    /// A problem with a setting, named by its key and environment variable.
    init(_ key: SettingKey, _ message: String) {
        self.init(key: key.name, environmentVariable: key.environmentVariable, message: message)
    }

    /// A problem with the configuration file named on the command line.
    static func configFile(_ message: String) -> ConfigurationProblem {
        ConfigurationProblem(key: "config", environmentVariable: nil, message: message)
    }
}
