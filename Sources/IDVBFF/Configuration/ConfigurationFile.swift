import Configuration
import Foundation

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
            var text = line.trimmingCharacters(in: .whitespaces)
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
