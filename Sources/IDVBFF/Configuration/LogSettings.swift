public import Logging

/// How much the service logs.
public struct LogSettings: Sendable, Equatable {
    /// The lowest level logged (`log.level`, `LOG_LEVEL`).
    public var level: Logger.Level

    /// The level when none is set.
    public static let defaultLevel: Logger.Level = .info

    /// Creates log settings.
    /// - Parameter level: The lowest level logged.
    public init(level: Logger.Level = LogSettings.defaultLevel) {
        self.level = level
    }
}

extension LogSettings {
    /// Validates the log settings; level names are accepted in any letter case.
    /// - Returns: The settings, or `nil` after recording a problem.
    init?(validating raw: RawSettings, problems: inout [ConfigurationProblem]) {
        guard let text = raw[.logLevel] else {
            self.init()
            return
        }
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            let accepted = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            problems.append(ConfigurationProblem(.logLevel, "\"\(text)\" is not a log level (\(accepted))"))
            return nil
        }
        self.init(level: level)
    }
}
