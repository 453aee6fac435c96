import Foundation
import Testing

/// The real binary on loopback: routing, health, request ids and limits, with one and several event loops.
@Suite("Serving HTTP")
struct HTTPServingTests {
    @Test("health and liveness answer 200 ok", arguments: [1, 4])
    func healthAndLivenessAnswerOK(threads: Int) throws {
        let server = try ServerProcess(environment: ServerProcess.baseEnvironment(threads: threads))
        for path in ["/healthz", "/livez"] {
            let response = try httpRequest(port: server.port, "GET", path)
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/json")
            #expect(String(decoding: response.body, as: UTF8.self) == #"{"status":"ok"}"#)
        }
    }

    @Test("a second idv-bff on a port one already serves fails to start, naming the address; the port frees with its owner",
          arguments: [1, 2])
    func onePortOneInstance(threads: Int) throws {
        for fixedPort in [false, true] {
            var environment = ServerProcess.baseEnvironment(threads: threads)
            if fixedPort {
                environment["HTTP_PORT"] = String(try ServerProcess.unusedPort())
            }
            var first: ServerProcess? = try ServerProcess(environment: environment)
            let port = try #require(first?.port)
            environment["HTTP_PORT"] = String(port)
            for host in ["127.0.0.1", "0.0.0.0"] {
                environment["HTTP_HOST"] = host
                let second = try ServerProcess.runToExit(environment: environment)
                #expect(second.status == 1)
                // One line says why, naming the address.
                let errors = second.stderr.split(separator: "\n").filter { $0.contains(#""level":"critical""#) }
                #expect(errors.count == 1)
                #expect(errors.first?.contains("cannot start: \(host):\(port) is already served by another idv-bff") == true)
            }
            #expect(try httpRequest(port: port, "GET", "/healthz").status == 200)
            // However the owner ends, the kernel frees its claim.
            first?.stop()
            first = nil
            environment["HTTP_HOST"] = "127.0.0.1"
            let next = try ServerProcess(environment: environment)
            #expect(next.port == port)
        }
    }

    @Test("readiness answers 200 ready while serving")
    func readinessIsReadyWhileServing() throws {
        let server = try ServerProcess()
        let response = try httpRequest(port: server.port, "GET", "/readyz")
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"status":"ready"}"#)
    }

    @Test("HEAD on health routes answers with GET's fields and no body, so the next answer on the connection parses")
    func headAnswersWithoutBody() throws {
        let server = try ServerProcess()
        let connection = try HTTPConnection(port: server.port)
        for path in ["/healthz", "/livez", "/readyz"] {
            let head = try connection.request("HEAD", path)
            // The strict client reads the next status line right after this head: stray body bytes would fail it.
            let get = try connection.request("GET", path)
            #expect(head.status == 200)
            #expect(get.status == 200)
            #expect(head.header("Content-Length") == String(get.body.count))
            #expect(head.header("Content-Type") == get.header("Content-Type"))
            #expect(!get.body.isEmpty)
        }
    }

    @Test("an unknown path gets 404 with a JSON error")
    func unknownPathIs404() throws {
        let server = try ServerProcess()
        let response = try httpRequest(port: server.port, "GET", "/nowhere?x=1")
        #expect(response.status == 404)
        #expect(response.header("Content-Type") == "application/json")
        #expect(response.errorCode == "not_found")
        let error = try #require(response.json?["error"] as? [String: Any])
        #expect(error["requestId"] as? String == response.header("X-Request-Id"))
        #expect((error["message"] as? String)?.isEmpty == false)
    }

    @Test("a known path with another method gets 405 and an Allow header", arguments: ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
    func wrongMethodIs405(method: String) throws {
        let server = try ServerProcess()
        let response = try httpRequest(port: server.port, method, "/healthz")
        #expect(response.status == 405)
        #expect(response.header("Allow") == "GET, HEAD")
        #expect(response.errorCode == "method_not_allowed")
    }

    @Test("a sane X-Request-Id is echoed")
    func saneRequestIDIsEchoed() throws {
        let server = try ServerProcess()
        let supplied = "req-2026_11.27:abc/DEF+" + String(repeating: "x", count: 105)  // exactly 128 characters
        #expect(supplied.count == 128)
        let response = try httpRequest(port: server.port, "GET", "/healthz", headers: [("X-Request-Id", supplied)])
        #expect(response.header("X-Request-Id") == supplied)
        let error = try httpRequest(port: server.port, "GET", "/missing", headers: [("X-Request-Id", supplied)])
        #expect((error.json?["error"] as? [String: Any])?["requestId"] as? String == supplied)
    }

    @Test("an absent or unsafe X-Request-Id is replaced by a generated one",
          arguments: [nil, String(repeating: "a", count: 129), "has space", "caf\u{e9}", ""])
    func unsafeRequestIDIsReplaced(supplied: String?) throws {
        let server = try ServerProcess()
        let headers = supplied.map { [("X-Request-Id", $0)] } ?? []
        let first = try httpRequest(port: server.port, "GET", "/healthz", headers: headers)
        let second = try httpRequest(port: server.port, "GET", "/healthz", headers: headers)
        let firstID = try #require(first.header("X-Request-Id"))
        let secondID = try #require(second.header("X-Request-Id"))
        #expect(firstID != supplied?.trimmingCharacters(in: .whitespaces))
        #expect(firstID.count == 32 && firstID.allSatisfy(\.isHexDigit))
        #expect(firstID != secondID)
    }

    @Test("a body over http.max_body_bytes gets the JSON 413 with CORS headers for an allowed origin; libevent's ceiling stays")
    func bodyOverLimitIs413() throws {
        var environment = ServerProcess.baseEnvironment()
        environment["HTTP_MAX_BODY_BYTES"] = "100"
        environment["CORS_ALLOWED_ORIGINS"] = "https://app.example"
        environment["CLIENTLOOP_GRAPH_URL"] = "http://127.0.0.1:\(try ServerProcess.unusedPort())/"
        let server = try ServerProcess(environment: environment)
        let json = [("Content-Type", "application/json"), ("Origin", "https://app.example")]
        let padded = { (count: Int) in Array(("{\"contactId\":null" + String(repeating: " ", count: count - 18) + "}").utf8) }

        // At the limit the body reaches the route, and so ClientLoop: nothing listens there.
        let atLimit = try httpRequest(port: server.port, "POST", "/idv-session", headers: json, body: padded(100))
        #expect(atLimit.errorCode == "upstream_unavailable")

        let overLimit = try httpRequest(port: server.port, "POST", "/idv-session", headers: json + [("X-Request-Id", "big-1")], body: padded(101))
        #expect(overLimit.status == 413)
        #expect(overLimit.errorCode == "payload_too_large")
        #expect(overLimit.header("X-Request-Id") == "big-1")
        #expect(overLimit.header("Access-Control-Allow-Origin") == "https://app.example")

        // Beyond the hard ceiling (64 KiB here) libevent answers by itself, without reading the rest.
        let overCeiling = try httpRequest(port: server.port, "POST", "/idv-session", headers: json, body: padded(70_000))
        #expect(overCeiling.status == 413)
        #expect(overCeiling.errorCode == nil)
    }

    @Test("every answer, errors included, carries one Date field: the current second as an IMF-fixdate")
    func everyAnswerCarriesOneCurrentDate() throws {
        let server = try ServerProcess()
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        for path in ["/healthz", "/no-such-path"] {
            // Whole seconds, from time(2), which is the kernel's coarse clock, a tick (milliseconds) behind the one
            // Date() reads: just after a second begins, the field still names the last one.
            let before = Date().addingTimeInterval(-2)
            let response = try httpRequest(port: server.port, "GET", path)
            let after = Date().addingTimeInterval(1)
            let dates = response.headers.filter { $0.name.lowercased() == "date" }.map(\.value)
            #expect(dates.count == 1, "\(path): \(dates)")
            let date = try #require(dates.first.flatMap(formatter.date(from:)), "\(path): \(dates)")
            #expect(date >= before && date <= after, "\(path): \(dates)")
        }
    }

    @Test("keep-alive serves many requests on one connection")
    func keepAliveServesManyRequests() throws {
        let server = try ServerProcess()
        let connection = try HTTPConnection(port: server.port)
        for _ in 0..<20 {
            #expect(try connection.request("GET", "/healthz").status == 200)
        }
    }

    @Test("several event loops serve concurrent connections on one port")
    func severalLoopsServeConcurrentConnections() throws {
        let server = try ServerProcess(environment: ServerProcess.baseEnvironment(threads: 4))
        // Send on every connection before reading any answer, so all 64 are open and in flight together.
        let connections = try (0..<64).map { _ in try HTTPConnection(port: server.port) }
        for (index, connection) in connections.enumerated() {
            try connection.send(method: "GET", path: "/healthz", headers: [("X-Request-Id", "conn-\(index)")])
        }
        for (index, connection) in connections.enumerated() {
            let response = try connection.readResponse()
            #expect(response.status == 200)
            #expect(response.header("X-Request-Id") == "conn-\(index)")
        }
    }

    @Test("every request gets an access-log line with id, method, path, status and duration")
    func accessLogLinePerRequest() throws {
        let server = try ServerProcess()
        _ = try httpRequest(port: server.port, "GET", "/healthz", headers: [("X-Request-Id", "trace-me")])
        #expect(server.waitForLog("request"))
        let line = try #require(server.logEntries.first { $0["requestId"] as? String == "trace-me" })
        #expect(line["level"] as? String == "info")
        #expect(line["method"] as? String == "GET")
        #expect(line["path"] as? String == "/healthz")
        #expect(line["status"] as? Int == 200)
        #expect(line["duration_ms"] is Double || line["duration_ms"] is Int)
        #expect(line["timestamp"] is String)
    }
}
