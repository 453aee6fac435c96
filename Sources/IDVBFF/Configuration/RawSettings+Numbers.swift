extension RawSettings {
    /// The whole number set for `key`, `fallback` when it is unset, or `nil` after recording a problem.
    /// - Parameters:
    ///   - key: The setting to read.
    ///   - range: The values accepted.
    ///   - fallback: The value when the setting is unset.
    ///   - expectation: What was expected, for the problem message, such as `a port number (1-65535)`.
    ///   - problems: Receives a problem when the text is not a whole number within `range`.
    func wholeNumber(
        _ key: SettingKey,
        in range: ClosedRange<Int>,
        default fallback: Int,
        expecting expectation: String,
        problems: inout [ConfigurationProblem]
    ) -> Int? {
        guard let text = self[key] else {
            return fallback
        }
        guard let number = Int(text), range.contains(number) else {
            problems.append(ConfigurationProblem(key, "\"\(text)\" is not \(expectation)"))
            return nil
        }
        return number
    }

    /// The number of seconds set for `key`, fractions allowed, `fallback` when it is unset,
    /// or `nil` after recording a problem.
    /// - Parameters:
    ///   - key: The setting to read.
    ///   - range: The values accepted; not-a-number and infinities never are.
    ///   - fallback: The value when the setting is unset.
    ///   - problems: Receives a problem when the text is not a number within `range`.
    func seconds(
        _ key: SettingKey,
        in range: ClosedRange<Double>,
        default fallback: Double,
        problems: inout [ConfigurationProblem]
    ) -> Double? {
        guard let text = self[key] else {
            return fallback
        }
        guard let number = Double(text), number.isFinite, range.contains(number) else {
            let bounds = "\(SecondsFormat.text(range.lowerBound))-\(SecondsFormat.text(range.upperBound))"
            problems.append(ConfigurationProblem(key, "\"\(text)\" is not a number of seconds (\(bounds))"))
            return nil
        }
        return number
    }
}

/// Renders seconds without a needless `.0`: `10`, `0.5`.
enum SecondsFormat {
    static func text(_ seconds: Double) -> String {
        if seconds.rounded() == seconds, abs(seconds) < 1e15 {
            return String(Int(seconds))
        }
        return String(seconds)
    }
}
