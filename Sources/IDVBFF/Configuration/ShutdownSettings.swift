/// How the service stops when asked to.
public struct ShutdownSettings: Sendable, Equatable {
    /// Seconds to keep serving after the stop signal, so load balancers notice first
    /// (`shutdown.delay_seconds`, `SHUTDOWN_DELAY_SECONDS`).
    public var delaySeconds: Double

    /// Seconds to let in-flight requests finish before stopping regardless
    /// (`shutdown.grace_seconds`, `SHUTDOWN_GRACE_SECONDS`).
    public var graceSeconds: Double

    /// The delay when none is set.
    public static let defaultDelaySeconds: Double = 0

    /// The delays accepted, in seconds.
    public static let delaySecondsRange: ClosedRange<Double> = 0...300

    /// The grace period when none is set.
    public static let defaultGraceSeconds: Double = 10

    /// The grace periods accepted, in seconds.
    public static let graceSecondsRange: ClosedRange<Double> = 0...3600

    /// Creates shutdown settings.
    /// - Parameters:
    ///   - delaySeconds: Seconds to keep serving after the stop signal.
    ///   - graceSeconds: Seconds to let in-flight requests finish.
    public init(
        delaySeconds: Double = ShutdownSettings.defaultDelaySeconds,
        graceSeconds: Double = ShutdownSettings.defaultGraceSeconds
    ) {
        self.delaySeconds = delaySeconds
        self.graceSeconds = graceSeconds
    }
}

extension ShutdownSettings {
    /// Seconds without a needless `.0`: `10`, `0.5`.
    static func describe(seconds: Double) -> String {
        if seconds.rounded() == seconds, abs(seconds) < 1e15 {
            return String(Int(seconds))
        }
        return String(seconds)
    }

    /// Validates the shutdown settings, recording a problem for each bad value.
    /// - Returns: The settings, or `nil` if any of them is bad.
    init?(validating raw: RawSettings, problems: inout [ConfigurationProblem]) {
        let delaySeconds = raw.seconds(
            .shutdownDelaySeconds,
            in: Self.delaySecondsRange,
            default: Self.defaultDelaySeconds,
            problems: &problems
        )
        let graceSeconds = raw.seconds(
            .shutdownGraceSeconds,
            in: Self.graceSecondsRange,
            default: Self.defaultGraceSeconds,
            problems: &problems
        )
        guard let delaySeconds, let graceSeconds else {
            return nil
        }
        self.init(delaySeconds: delaySeconds, graceSeconds: graceSeconds)
    }
}
