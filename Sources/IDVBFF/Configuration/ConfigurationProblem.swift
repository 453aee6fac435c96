/// One thing wrong with the configuration, phrased so an operator can fix it.
///
/// Problems never quote a secret's value, not even partly.
public struct ConfigurationProblem: Sendable, Equatable, CustomStringConvertible {
    /// The dotted key at fault, such as `http.port`, or `config` for the configuration file itself.
    public var key: String

    /// Where the faulty value was set: the environment variable for ``key``, or the command-line flag when the
    /// value was typed there (`--port`); `nil` when neither applies.
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

/// The configuration could not be loaded; carries every problem found, not just the first.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Every problem found, in the order the settings were checked.
    public var problems: [ConfigurationProblem]

    /// Creates an error from the problems found.
    /// - Parameter problems: The problems; expected to be non-empty.
    public init(problems: [ConfigurationProblem]) {
        self.problems = problems
    }

    /// A heading followed by one indented line per problem.
    public var description: String {
        let count = problems.count == 1 ? "1 problem" : "\(problems.count) problems"
        let heading = "invalid configuration (\(count)):"
        return ([heading] + problems.map { "  - \($0)" }).joined(separator: "\n")
    }
}
