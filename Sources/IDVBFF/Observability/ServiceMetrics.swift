public import CoreMetrics
import Synchronization

/// The service's metrics, recorded through swift-metrics into the factory given (swift-prometheus's for
/// `GET /metrics`, or a no-op one when `metrics.enabled` is false).
///
/// Label values are bounded: route templates (never raw paths), methods, status classes, error codes and rejection
/// reasons, never a contact id, an origin or a token. The metrics without labels are made once here and shared by
/// every loop; the labelled ones are made once per loop and label set by ``LoopMetrics``, so the hot path never
/// takes the factory's registry lock, only the recording itself (atomic counters, a short lock per histogram).
public final class ServiceMetrics: Sendable {
    let factory: any MetricsFactory
    let sessionsCreated: Counter
    let upstreamConnectionsOpened: Counter
    let rateLimited: Counter
    let corsRefused: Counter
    let activeRequests: Meter
    let upstreamDuration: Timer

    public init(factory: any MetricsFactory) {
        self.factory = factory
        sessionsCreated = Counter(label: "idv_sessions_created_total", factory: factory)
        upstreamConnectionsOpened = Counter(label: "idv_upstream_connections_opened_total", factory: factory)
        rateLimited = Counter(label: "idv_rate_limited_total", factory: factory)
        corsRefused = Counter(label: "idv_cors_refused_total", factory: factory)
        activeRequests = Meter(label: "http_server_active_requests", factory: factory)
        upstreamDuration = Timer(label: "idv_upstream_request_duration_seconds", factory: factory)
    }

    /// Metrics that record nothing.
    public static let disabled = ServiceMetrics(factory: NOOPMetricsHandler.instance)

    /// A loop's view: the shared metrics, and caches of the labelled ones for that loop's thread.
    public func forLoop() -> LoopMetrics {
        LoopMetrics(shared: self)
    }

    /// `2xx`, `4xx`, ...: the status class label.
    static func statusClass(_ status: Int) -> String {
        switch status {
        case 100..<200: "1xx"
        case 200..<300: "2xx"
        case 300..<400: "3xx"
        case 400..<500: "4xx"
        default: "5xx"
        }
    }
}

/// One event loop's metrics: the labelled series it has used so far, made on first use and kept, so that recording
/// is a dictionary lookup on the loop's own thread. Used on that thread only.
public final class LoopMetrics {
    public let shared: ServiceMetrics
    private var requestDurations: [RequestSeries: Timer] = [:]
    private var upstreamErrors: [String: Counter] = [:]
    private var jwtRejections: [String: Counter] = [:]

    struct RequestSeries: Hashable {
        var route: String
        var method: String
        var statusClass: String
    }

    init(shared: ServiceMetrics) {
        self.shared = shared
    }

    /// Records a served request under its route template (``Router/routeTemplate(for:)``).
    func recordRequest(route: String, method: String, status: Int, nanoseconds: Int64) {
        let series = RequestSeries(route: route, method: method, statusClass: ServiceMetrics.statusClass(status))
        let timer = requestDurations[series] ?? {
            let made = Timer(label: "http_server_request_duration_seconds", dimensions: [
                ("route", series.route), ("method", series.method), ("status_class", series.statusClass),
            ], factory: shared.factory)
            requestDurations[series] = made
            return made
        }()
        timer.recordNanoseconds(nanoseconds)
    }

    /// Counts an upstream failure by the stable error code the browser got (`upstream_timeout`, ...).
    func countUpstreamError(code: String) {
        counter(in: &upstreamErrors, label: "idv_upstream_errors_total", dimension: ("code", code)).increment()
    }

    /// Counts a refused bearer token by reason (`expired`, `bad_signature`, ...).
    func countJWTRejection(reason: String) {
        counter(in: &jwtRejections, label: "idv_jwt_rejections_total", dimension: ("reason", reason)).increment()
    }

    private func counter(in cache: inout [String: Counter], label: String, dimension: (String, String)) -> Counter {
        if let counter = cache[dimension.1] {
            return counter
        }
        let counter = Counter(label: label, dimensions: [dimension], factory: shared.factory)
        cache[dimension.1] = counter
        return counter
    }
}
