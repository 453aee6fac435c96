/// How the HTTP server listens and how much work it accepts.
public struct HTTPSettings: Sendable, Equatable {
    /// The address to listen on (`http.host`, `HTTP_HOST`); IPv6 addresses without brackets.
    public var host: String

    /// The port to listen on (`http.port`, `HTTP_PORT`); `0` lets the operating system choose one.
    public var port: Int

    /// The number of event-loop threads (`http.threads`, `HTTP_THREADS`).
    public var threads: Int

    /// The largest request body accepted, in bytes (`http.max_body_bytes`, `HTTP_MAX_BODY_BYTES`).
    public var maxBodyBytes: Int

    /// The address listened on when none is set: every IPv4 interface.
    public static let defaultHost = "0.0.0.0"

    /// The port listened on when none is set.
    public static let defaultPort = 8080

    /// The ports accepted; `0` asks the operating system for an ephemeral port.
    public static let portRange = 0...65535

    /// The thread counts accepted.
    public static let threadRange = 1...256

    /// The request body limit when none is set.
    public static let defaultMaxBodyBytes = 8192

    /// The request body limits accepted: at least a byte, at most 1 MiB.
    public static let maxBodyBytesRange = 1...(1 << 20)

    /// Creates HTTP settings.
    /// - Parameters:
    ///   - host: The address to listen on.
    ///   - port: The port to listen on; `0` for an ephemeral port.
    ///   - threads: The number of event-loop threads.
    ///   - maxBodyBytes: The largest request body accepted, in bytes.
    public init(
        host: String = HTTPSettings.defaultHost,
        port: Int = HTTPSettings.defaultPort,
        threads: Int,
        maxBodyBytes: Int = HTTPSettings.defaultMaxBodyBytes
    ) {
        self.host = host
        self.port = port
        self.threads = threads
        self.maxBodyBytes = maxBodyBytes
    }

    /// The thread count used when none is set: one per processor, within ``threadRange``.
    static func defaultThreads(processorCount: Int) -> Int {
        min(max(processorCount, threadRange.lowerBound), threadRange.upperBound)
    }
}

extension HTTPSettings {
    /// Validates the HTTP settings, recording a problem for each bad value.
    /// - Returns: The settings, or `nil` if any of them is bad.
    init?(validating raw: RawSettings, processorCount: Int, problems: inout [ConfigurationProblem]) {
        let host = Self.validatedHost(raw, problems: &problems)
        let port = raw.wholeNumber(
            .httpPort,
            in: Self.portRange,
            default: Self.defaultPort,
            expecting: "a port number",
            // 0 is accepted for tests but not worth advertising.
            advertising: 1...65535,
            problems: &problems
        )
        let threads = raw.wholeNumber(
            .httpThreads,
            in: Self.threadRange,
            default: Self.defaultThreads(processorCount: processorCount),
            expecting: "a thread count",
            problems: &problems
        )
        let maxBodyBytes = raw.wholeNumber(
            .httpMaxBodyBytes,
            in: Self.maxBodyBytesRange,
            default: Self.defaultMaxBodyBytes,
            expecting: "a byte count",
            problems: &problems
        )
        guard let host, let port, let threads, let maxBodyBytes else {
            return nil
        }
        self.init(host: host, port: port, threads: threads, maxBodyBytes: maxBodyBytes)
    }

    private static func validatedHost(_ raw: RawSettings, problems: inout [ConfigurationProblem]) -> String? {
        guard var host = raw[.httpHost] else {
            return defaultHost
        }
        // Accept an IPv6 address written as in a URL, but listen on the bare address.
        if host.hasPrefix("["), host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
        }
        if host.isEmpty || host.contains(where: { $0.isWhitespace || $0 == "/" || $0 == "[" || $0 == "]" }) {
            problems.append(ConfigurationProblem(.httpHost, "\"\(host)\" is not a host name or IP address"))
            return nil
        }
        if host.filter({ $0 == ":" }).count == 1 {
            let message = "\"\(host)\" includes a port; set \(SettingKey.httpPort.reference) instead"
            problems.append(ConfigurationProblem(.httpHost, message))
            return nil
        }
        return host
    }
}
