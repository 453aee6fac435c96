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
