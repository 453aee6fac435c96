import Configuration

/// The text of every setting that is set, each taken from the source with the highest precedence.
///
/// Everything is read as text so that a malformed value becomes a ``ConfigurationProblem``
/// later, during validation, instead of an error thrown by the configuration library.
/// Surrounding whitespace is trimmed, and an empty value counts as not set.
struct RawSettings: Sendable {
    private var values: [SettingKey: String]

    /// Creates settings from text values.
    init(_ values: [SettingKey: String]) {
        self.values = values.compactMapValues(Self.trimmedOrNil)
    }

    /// The trimmed, non-empty text of `key`, or `nil` when it is not set.
    subscript(key: SettingKey) -> String? {
        values[key]
    }

    /// Reads every known setting through `reader`.
    /// - Parameters:
    ///   - reader: The reader over all sources, in precedence order.
    ///   - problems: Receives a problem for each value that is neither text nor a number.
    static func read(from reader: ConfigReader, problems: inout [ConfigurationProblem]) async -> RawSettings {
        var values: [SettingKey: String] = [:]
        for key in SettingKey.allCases {
            switch await lookUp(key, in: reader) {
            case .unset:
                break
            case .text(let text):
                values[key] = text
            case .unsupported:
                problems.append(ConfigurationProblem(key, "must be a single text or number value"))
            }
        }
        return RawSettings(values)
    }

    /// What a source holds for one key.
    private enum Lookup {
        case unset
        case text(String)
        case unsupported
    }

    private static func lookUp(_ key: SettingKey, in reader: ConfigReader) async -> Lookup {
        let configKey = ConfigKey(key.name)
        do {
            return try await reader.fetchString(forKey: configKey, isSecret: key.isSecret).map(Lookup.text) ?? .unset
        } catch {
            // JSON numbers are not strings to swift-configuration, so `"port": 8080` fails as a string.
            // Read it as a number and carry on with its text, so files may use either form.
            if let integer = try? await reader.fetchInt(forKey: configKey, isSecret: key.isSecret) {
                return .text(String(integer))
            }
            if let number = try? await reader.fetchDouble(forKey: configKey, isSecret: key.isSecret) {
                return .text(String(number))
            }
            return .unsupported
        }
    }

    private static func trimmedOrNil(_ text: String) -> String? {
        let trimmed = text.trimmingWhitespace()
        return trimmed.isEmpty ? nil : trimmed
    }
}

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

extension String {
    /// The text without leading and trailing ASCII white space: spaces, tabs, line breaks, vertical tabs and form
    /// feeds, as around a padded environment value or before a secret file's final newline.
    func trimmingWhitespace() -> String {
        let isWhitespace = { (byte: UInt8) in byte == 0x20 || (0x09...0x0D).contains(byte) }
        guard let first = utf8.firstIndex(where: { !isWhitespace($0) }), let last = utf8.lastIndex(where: { !isWhitespace($0) })
        else {
            return ""
        }
        return String(self[first...last])
    }
}
