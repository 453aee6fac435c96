public import EventHTTP
public import Prometheus
#if canImport(Glibc)
import Glibc
#endif

/// `GET /metrics`: the Prometheus text exposition of everything recorded into `registry`, plus the process's own
/// gauges (start time, resident memory, open descriptors), read from `/proc` at each scrape.
public final class MetricsEndpoint: Sendable {
    /// Where it is served.
    public static let path = "/metrics"

    public let registry: PrometheusCollectorRegistry
    private let residentMemory: Gauge
    private let openDescriptors: Gauge

    /// The registry idv-bff records into, and the factory that records there (histogram buckets sized for a
    /// service answering in well under a millisecond, up to the upstream's 10-second deadline).
    public static func makeFactory(registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5),
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
        ]
        return factory
    }

    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        registry.makeGauge(descriptor: MetricNameDescriptor(
            namespace: "process", metricName: "start_time", unitName: "seconds",
            helpText: "Start time of the process since the Unix epoch, in seconds."))
            .set(Double(now.tv_sec) + Double(now.tv_nsec) / 1e9)
        residentMemory = registry.makeGauge(descriptor: MetricNameDescriptor(
            namespace: "process", metricName: "resident_memory", unitName: "bytes", helpText: "Resident memory size in bytes."))
        openDescriptors = registry.makeGauge(descriptor: MetricNameDescriptor(
            namespace: "process", metricName: "open", unitName: "fds", helpText: "Number of open file descriptors."))
    }

    /// The scrape's answer: `text/plain; version=0.0.4`, the Prometheus text format.
    public func response() -> HTTPResponse {
        if let pages = Self.residentPages() {
            residentMemory.set(Double(pages * Int(sysconf(Int32(_SC_PAGESIZE)))))
        }
        openDescriptors.set(Double(Self.openDescriptorCount()))
        return HTTPResponse(status: 200, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"], body: registry.emitToBuffer())
    }

    /// The second field of `/proc/self/statm`: resident pages.
    private static func residentPages() -> Int? {
        guard let file = fopen("/proc/self/statm", "r") else { return nil }
        defer { fclose(file) }
        var buffer = [UInt8](repeating: 0, count: 128)
        let count = fread(&buffer, 1, buffer.count, file)
        let fields = buffer[..<count].split(separator: UInt8(ascii: " "))
        return fields.count > 1 ? Int(String(decoding: fields[1], as: UTF8.self)) : nil
    }

    private static func openDescriptorCount() -> Int {
        guard let directory = opendir("/proc/self/fd") else { return 0 }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            let isDot = withUnsafeBytes(of: entry.pointee.d_name) { name in name[0] == UInt8(ascii: ".") }
            if !isDot { count += 1 }
        }
        return max(0, count - 1)  // the directory stream's own descriptor
    }
}
