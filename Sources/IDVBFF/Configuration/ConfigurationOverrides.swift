/// Settings given on the command line; they take precedence over the environment and the file.
///
/// Values are the raw text the user typed, so that something like `--port abc` becomes a reported
/// ``ConfigurationProblem`` instead of an argument-parsing failure.
public struct ConfigurationOverrides: Sendable, Equatable {
    /// The YAML (`.yaml`, `.yml`) or JSON (`.json`) configuration file to read, if any.
    public var configFile: String?

    /// Overrides `http.host`.
    public var host: String?

    /// Overrides `http.port`, as typed.
    public var port: String?

    /// Demo mode: ClientLoop is the in-process fake, so no key or org id is needed and no graph URL is allowed.
    public var demo: Bool

    /// Creates overrides; `nil` leaves a setting to the environment, the file or the default.
    /// - Parameters:
    ///   - configFile: The configuration file to read.
    ///   - host: The address to listen on.
    ///   - port: The port to listen on, as typed.
    ///   - demo: Whether the upstream is the in-process fake.
    public init(configFile: String? = nil, host: String? = nil, port: String? = nil, demo: Bool = false) {
        self.configFile = configFile
        self.host = host
        self.port = port
        self.demo = demo
    }

    /// The overridden settings, keyed by setting.
    var values: [SettingKey: String] {
        var values: [SettingKey: String] = [:]
        values[.httpHost] = host
        values[.httpPort] = port
        return values
    }
}
