import Foundation
import Testing

/// W3C trace context: taken from the caller, continued to ClientLoop with a child span, and in every log line of
/// the request.
@Suite("trace context")
struct TraceContextTests {
    /// `00-<32 hex trace id>-<16 hex span id>-<2 hex flags>`, split.
    static func parts(_ traceparent: String?) -> (traceID: String, spanID: String, flags: String)? {
        let fields = (traceparent ?? "").split(separator: "-").map(String.init)
        guard fields.count == 4, fields[0] == "00", fields[1].count == 32, fields[2].count == 16, fields[3].count == 2,
              fields.joined().allSatisfy(\.isHexDigit), fields[1] != String(repeating: "0", count: 32)
        else { return nil }
        return (fields[1], fields[2], fields[3])
    }

    /// The log entries about one request.
    static func entries(_ server: ServerProcess, requestID: String) -> [[String: Any]] {
        server.logEntries.filter { $0["requestId"] as? String == requestID }
    }

    @Test("a caller's traceparent is continued: same trace, a new span for the request, a child span to ClientLoop")
    func continuesIncomingTrace() throws {
        let fixture = try UpstreamFixture()
        let incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        let response = try fixture.mint(headers: [("traceparent", incoming), ("tracestate", "vendor=abc"), ("X-Request-Id", "trace-in")])
        #expect(response.status == 200)
        let stats = try fixture.fakeStats()
        let upstream = try #require(Self.parts(stats["lastTraceparent"] as? String))
        #expect(upstream.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(upstream.flags == "01")
        #expect(stats["lastTracestate"] as? String == "vendor=abc")

        #expect(fixture.server.waitForLog("request"))
        let entries = Self.entries(fixture.server, requestID: "trace-in")
        #expect(entries.contains { $0["message"] as? String == "request" })  // the access log
        let spans = Set(entries.compactMap { $0["span_id"] as? String })
        #expect(spans.count == 1)
        #expect(entries.allSatisfy { $0["trace_id"] as? String == upstream.traceID })
        let requestSpan = try #require(spans.first)
        // Three spans: the caller's, this request's, and the ClientLoop call's.
        #expect(Set([requestSpan, upstream.spanID, "00f067aa0ba902b7"]).count == 3)
    }

    @Test("without a traceparent a new trace starts, and the logs and ClientLoop share it")
    func startsTrace() throws {
        let fixture = try UpstreamFixture()
        #expect(try fixture.mint(headers: [("X-Request-Id", "trace-new")]).status == 200)
        let upstream = try #require(Self.parts(try fixture.fakeStats()["lastTraceparent"] as? String))
        #expect(upstream.flags == "01")
        #expect(fixture.server.waitForLog("request"))
        let entries = Self.entries(fixture.server, requestID: "trace-new")
        #expect(!entries.isEmpty && entries.allSatisfy { $0["trace_id"] as? String == upstream.traceID })
    }

    @Test("a malformed or repeated traceparent is ignored and never echoed", arguments: [
        ["00-4bf92f3577b34da6a3ce929d0e0e47zz-00f067aa0ba902b7-01"],
        ["00-00000000000000000000000000000000-00f067aa0ba902b7-01"],
        ["00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "00-aaf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"],
    ])
    func ignoresMalformed(values: [String]) throws {
        let fixture = try UpstreamFixture()
        let response = try fixture.mint(headers: values.map { ("traceparent", $0) } + [("X-Request-Id", "trace-bad")])
        #expect(response.status == 200)
        let upstream = try #require(Self.parts(try fixture.fakeStats()["lastTraceparent"] as? String))
        for value in values {
            let traceID = value.split(separator: "-")[1]
            #expect(upstream.traceID != String(traceID))
        }
        #expect(fixture.server.waitForLog("request"))
        let output = fixture.server.log + String(decoding: response.body, as: UTF8.self)
            + response.headers.map { "\($0.0): \($0.1)" }.joined()
        for value in values {
            #expect(!output.contains(value))
        }
    }
}
