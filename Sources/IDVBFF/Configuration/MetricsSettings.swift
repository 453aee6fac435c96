/// Whether and where Prometheus metrics are served (`metrics.*`).
public struct MetricsSettings: Sendable, Equatable {
    /// Whether metrics are recorded and `GET /metrics` answers (`metrics.enabled`, `METRICS_ENABLED`).
    public var enabled: Bool

    /// A port of its own for `GET /metrics` on `http.host`, so it can stay off the public listener
    /// (`metrics.port`, `METRICS_PORT`); `nil` serves it on the main listener.
    public var port: Int?

    /// Creates metrics settings.
    public init(enabled: Bool = true, port: Int? = nil) {
        self.enabled = enabled
        self.port = port
    }
}

extension MetricsSettings {
    /// Validates the metrics settings, recording a problem for each bad value.
    /// - Returns: The settings, or `nil` if any of them is bad.
    init?(validating raw: RawSettings, httpPort: Int?, problems: inout [ConfigurationProblem]) {
        var enabled = true
        if let text = raw[.metricsEnabled] {
            switch text.lowercased() {
            case "true", "yes", "1": enabled = true
            case "false", "no", "0": enabled = false
            default:
                problems.append(ConfigurationProblem(.metricsEnabled, "\"\(text)\" is not true or false"))
                return nil
            }
        }
        guard raw[.metricsPort] != nil else {
            self.init(enabled: enabled)
            return
        }
        guard let port = raw.wholeNumber(.metricsPort, in: 1...65535, default: 0, expecting: "a port number", problems: &problems) else {
            return nil
        }
        if let httpPort, port == httpPort {
            problems.append(ConfigurationProblem(.metricsPort, "is the same as \(SettingKey.httpPort.reference); leave it unset to serve /metrics there"))
            return nil
        }
        self.init(enabled: enabled, port: port)
    }
}
