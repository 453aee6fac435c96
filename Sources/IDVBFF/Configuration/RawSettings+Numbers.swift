extension RawSettings {
    /// The whole number set for `key`, `fallback` when it is unset, or `nil` after recording a problem.
    /// - Parameters:
    ///   - key: The setting to read.
    ///   - range: The values accepted.
    ///   - fallback: The value when the setting is unset.
    ///   - noun: What was expected, for the problem message, such as `a port number`.
    ///   - advertisedRange: The range the message names, when it differs from `range`.
    ///   - problems: Receives a problem when the text is not a whole number within `range`.
    func wholeNumber(
        _ key: SettingKey,
        in range: ClosedRange<Int>,
        default fallback: Int,
        expecting noun: String,
        advertising advertisedRange: ClosedRange<Int>? = nil,
        problems: inout [ConfigurationProblem]
    ) -> Int? {
        guard let text = self[key] else {
            return fallback
        }
        guard let number = Int(text), range.contains(number) else {
            let shown = advertisedRange ?? range
            problems.append(
                ConfigurationProblem(key, "\"\(text)\" is not \(noun) (\(shown.lowerBound)-\(shown.upperBound))")
            )
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
            let lowest = ShutdownSettings.describe(seconds: range.lowerBound)
            let highest = ShutdownSettings.describe(seconds: range.upperBound)
            let bounds = "\(lowest)-\(highest)"
            problems.append(ConfigurationProblem(key, "\"\(text)\" is not a number of seconds (\(bounds))"))
            return nil
        }
        return number
    }
}
