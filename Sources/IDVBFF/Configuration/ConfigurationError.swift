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
        let heading = problems.count == 1 ? "invalid configuration (1 problem):" : "invalid configuration (\(problems.count) problems):"
        return ([heading] + problems.map { "  - \($0)" }).joined(separator: "\n")
    }
}
