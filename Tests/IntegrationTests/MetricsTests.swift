import Foundation
import Testing

/// `GET /metrics`: what was counted matches what happened, label values stay bounded, and the endpoint can move
/// off the public listener or be turned off.
@Suite("Prometheus metrics")
struct MetricsTests {
    /// The text exposition parsed strictly: `# HELP`/`# TYPE` comments, then `name{label="value",...} number`.
    struct Exposition {
        var samples: [String: Double] = [:]

        init(_ text: String) throws {
            for line in text.split(separator: "\n") where !line.hasPrefix("# HELP ") && !line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                guard parts.count == 2, let value = Double(parts[1]), !line.hasPrefix("#") else {
                    throw ExpositionError.malformed(String(line))
                }
                samples[String(parts[0])] = value
            }
        }

        subscript(_ series: String) -> Double? { samples[series] }
    }

    enum ExpositionError: Error { case malformed(String) }

    private func scrape(port: Int) throws -> Exposition {
        let response = try httpRequest(port: port, "GET", "/metrics")
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
        return try Exposition(String(decoding: response.body, as: UTF8.self))
    }

    @Test("counters and histograms match the requests served and what reached ClientLoop; labels are bounded")
    func countsWhatHappened() throws {
        let fixture = try UpstreamFixture(environment: [
            "RATE_LIMIT_PER_MINUTE": "60", "RATE_LIMIT_BURST": "6", "CORS_ALLOWED_ORIGINS": "https://app.example",
        ])
        for _ in 0..<3 {
            #expect(try fixture.mint().status == 200)
        }
        #expect(try fixture.mint(#"{"contactId":"fail-server-error"}"#).status == 502)
        #expect(try fixture.mint(headers: [("Origin", "https://evil.example")]).status == 403)
        #expect(try httpRequest(port: fixture.server.port, "GET", "/no/such/contact-c123").status == 404)
        // The burst of 6 is spent (the refused origin took no token): the next mint is limited.
        #expect(try fixture.mint().status == 200)
        #expect(try fixture.mint().status == 200)
        #expect(try fixture.mint().status == 429)

        let metrics = try scrape(port: fixture.server.port)
        let fake = try fixture.fakeStats()
        #expect(metrics["idv_sessions_created_total"] == 5)
        #expect(metrics[#"idv_upstream_errors_total{code="upstream_error"}"#] == 1)
        #expect(metrics["idv_rate_limited_total"] == 1)
        #expect(metrics["idv_cors_refused_total"] == 1)
        #expect(metrics["idv_upstream_request_duration_seconds_count"].map(Int.init) == fake["requests"] as? Int)
        // The fake's handshakes include the one of the stats request itself.
        #expect(metrics["idv_upstream_connections_opened_total"].map(Int.init) == (fake["handshakes"] as? Int).map { $0 - 1 })
        let sessions = { (statusClass: String) in
            metrics[#"http_server_request_duration_seconds_count{route="/idv-session",method="POST",status_class=""# + statusClass + #""}"#]
        }
        #expect(sessions("2xx") == 5)
        #expect(sessions("4xx") == 2)
        #expect(sessions("5xx") == 1)
        #expect(metrics[#"http_server_request_duration_seconds_count{route="unmatched",method="GET",status_class="4xx"}"#] == 1)
        // The scrape itself is the one request in progress.
        #expect(metrics["http_server_active_requests"] == 1)
        #expect((metrics["process_resident_memory_bytes"] ?? 0) > 1_000_000)
        #expect((metrics["process_open_fds"] ?? 0) > 3)
        #expect((metrics["process_start_time_seconds"] ?? 0) > 1_700_000_000)
        // No raw path, contact id or origin became a label value.
        let names = metrics.samples.keys.joined(separator: "\n")
        for unbounded in ["contact-c123", "fail-server-error", "evil.example", "/no/such"] {
            #expect(!names.contains(unbounded))
        }
    }

    @Test("metrics.port moves /metrics off the main listener, which then answers 404")
    func separatePort() throws {
        let metricsPort = try ServerProcess.unusedPort()
        var environment = ServerProcess.baseEnvironment()
        environment["METRICS_PORT"] = String(metricsPort)
        let server = try ServerProcess(environment: environment)
        #expect(try httpRequest(port: server.port, "GET", "/metrics").status == 404)
        #expect(try scrape(port: metricsPort)["idv_sessions_created_total"] == 0)
    }

    @Test("metrics.enabled false: nothing is served at /metrics")
    func disabled() throws {
        var environment = ServerProcess.baseEnvironment()
        environment["METRICS_ENABLED"] = "false"
        let server = try ServerProcess(environment: environment)
        #expect(try httpRequest(port: server.port, "GET", "/metrics").status == 404)
    }
}
