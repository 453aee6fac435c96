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

    /// The most client connections open at once, across all threads (`http.max_connections`,
    /// `HTTP_MAX_CONNECTIONS`); more are closed as soon as they are accepted.
    public var maxConnections: Int

    /// The time a client has to send a whole request, head and body, from the connection opening or the previous
    /// response (`http.request_timeout_seconds`, `HTTP_REQUEST_TIMEOUT_SECONDS`).
    public var requestTimeoutSeconds: Int

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

    /// The connection cap when none is set.
    public static let defaultMaxConnections = 4096

    /// The connection caps accepted.
    public static let maxConnectionsRange = 1...1_000_000

    /// The request deadline when none is set.
    public static let defaultRequestTimeoutSeconds = 30

    /// The request deadlines accepted, in seconds.
    public static let requestTimeoutSecondsRange = 1...600

    /// Creates HTTP settings.
    /// - Parameters:
    ///   - host: The address to listen on.
    ///   - port: The port to listen on; `0` for an ephemeral port.
    ///   - threads: The number of event-loop threads.
    ///   - maxBodyBytes: The largest request body accepted, in bytes.
    ///   - maxConnections: The most client connections open at once.
    ///   - requestTimeoutSeconds: The time a client has to send a whole request.
    public init(
        host: String = HTTPSettings.defaultHost,
        port: Int = HTTPSettings.defaultPort,
        threads: Int,
        maxBodyBytes: Int = HTTPSettings.defaultMaxBodyBytes,
        maxConnections: Int = HTTPSettings.defaultMaxConnections,
        requestTimeoutSeconds: Int = HTTPSettings.defaultRequestTimeoutSeconds
    ) {
        self.host = host
        self.port = port
        self.threads = threads
        self.maxBodyBytes = maxBodyBytes
        self.maxConnections = maxConnections
        self.requestTimeoutSeconds = requestTimeoutSeconds
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
        let maxConnections = raw.wholeNumber(
            .httpMaxConnections,
            in: Self.maxConnectionsRange,
            default: Self.defaultMaxConnections,
            expecting: "a connection count",
            problems: &problems
        )
        let requestTimeoutSeconds = raw.wholeNumber(
            .httpRequestTimeoutSeconds,
            in: Self.requestTimeoutSecondsRange,
            default: Self.defaultRequestTimeoutSeconds,
            expecting: "a number of seconds",
            problems: &problems
        )
        guard let host, let port, let threads, let maxBodyBytes, let maxConnections, let requestTimeoutSeconds else {
            return nil
        }
        self.init(
            host: host, port: port, threads: threads, maxBodyBytes: maxBodyBytes,
            maxConnections: maxConnections, requestTimeoutSeconds: requestTimeoutSeconds)
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
