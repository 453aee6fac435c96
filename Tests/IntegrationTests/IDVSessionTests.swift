import Foundation
import Testing

/// `POST /idv-session` end to end: the real binary, the real libevent + OpenSSL client, and the fake ClientLoop
/// over real TLS with certificates generated for this run.
@Suite("Minting IDV sessions through the fake ClientLoop")
struct IDVSessionTests {
    @Test("a new contact gets a token, its expiry and the environment")
    func mintsForNewContact() throws {
        let fixture = try UpstreamFixture()
        let response = try fixture.mint("", headers: [("X-Request-Id", "mint-new-1")])
        #expect(response.status == 200)
        #expect(response.header("Cache-Control") == "no-store")
        #expect(response.header("Content-Type") == "application/json")
        let body = try #require(response.json)
        #expect((body["token"] as? String)?.hasPrefix("link-sandbox-") == true)
        #expect((body["expiresAt"] as? String)?.hasSuffix("Z") == true)
        #expect(body["env"] as? String == "prod")
        #expect(body.count == 3)

        // The fake accepted the bearer key, headers, operation and variables; it saw the org from configuration.
        let stats = try fixture.fakeStats()
        #expect(stats["successes"] as? Int == 1)
        #expect(stats["lastOrgId"] as? String == "org_integration")
        #expect(stats["lastContactId"] == nil || stats["lastContactId"] is NSNull)
        #expect(stats["lastRequestId"] as? String == "mint-new-1")
    }

    @Test("an existing contact's id is passed to ClientLoop")
    func mintsForExistingContact() throws {
        let fixture = try UpstreamFixture()
        let response = try fixture.mint(#"{"contactId":"contact_42-a"}"#)
        #expect(response.status == 200)
        #expect(try fixture.fakeStats()["lastContactId"] as? String == "contact_42-a")
    }

    @Test("bad requests are refused before any upstream call")
    func badRequestsNeverReachUpstream() throws {
        let fixture = try UpstreamFixture()
        let cases: [(String, [(String, String)], Int, String)] = [
            (#"{"orgId":"someone-else"}"#, [], 400, "invalid_request"),
            (#"{"contactId":"has space"}"#, [], 400, "invalid_request"),
            (#"{"contactId":"a","contactId":"b"}"#, [], 400, "invalid_json"),
            ("[1,2]", [], 400, "invalid_json"),
            ("{", [], 400, "invalid_json"),
        ]
        for (body, headers, status, code) in cases {
            let response = try fixture.mint(body, headers: headers)
            #expect(response.status == status, "\(body)")
            #expect(response.errorCode == code, "\(body)")
        }
        let textPlain = try HTTPConnection(port: fixture.server.port)
            .request("POST", "/idv-session", headers: [("Content-Type", "text/plain")], body: Array("{}".utf8))
        #expect(textPlain.status == 415)
        #expect(textPlain.errorCode == "unsupported_media_type")
        let get = try httpRequest(port: fixture.server.port, "GET", "/idv-session")
        #expect(get.status == 405)
        #expect(get.header("Allow") == "POST, OPTIONS")
        #expect(try fixture.fakeStats()["requests"] as? Int == 0)
    }

    @Test("each ClientLoop failure maps to its status and code", arguments: [
        ("fail-graphql-error", 502, "upstream_error"),
        ("fail-missing-token", 502, "upstream_error"),
        ("fail-unauthorized", 502, "upstream_auth_failed"),
        ("fail-forbidden", 502, "upstream_auth_failed"),
        ("fail-rate-limited", 503, "upstream_busy"),
        ("fail-server-error", 502, "upstream_error"),
        ("fail-unavailable", 502, "upstream_error"),
        ("fail-malformed-json", 502, "upstream_error"),
        ("fail-oversized", 502, "upstream_error"),
        ("fail-reset", 502, "upstream_unavailable"),
        ("fail-close", 502, "upstream_unavailable"),
        ("fail-garbage-status", 502, "upstream_error"),
    ])
    func upstreamFailureMaps(contactId: String, status: Int, code: String) throws {
        let fixture = try UpstreamFixture()
        let response = try fixture.mint(#"{"contactId":"\#(contactId)"}"#, headers: [("X-Request-Id", "fail-\(contactId)")])
        #expect(response.status == status)
        #expect(response.errorCode == code)
        // ClientLoop received the mutation once: whatever went wrong after that, it was never sent again.
        #expect(try fixture.fakeStats()["requests"] as? Int == 1)
        let error = try #require(response.json?["error"] as? [String: Any])
        #expect(error["requestId"] as? String == "fail-\(contactId)")
        // ClientLoop's own words stay in the log.
        #expect(!String(decoding: response.body, as: UTF8.self).contains("archived"))
        if contactId == "fail-rate-limited" {
            #expect(response.header("Retry-After") == "7")
        }
        if code == "upstream_auth_failed" {
            #expect(fixture.server.waitForLog("ClientLoop rejected the API key"))
        }
    }

    @Test("no complete answer within clientloop.timeout_ms is a 504, and the connection carrying it is closed then")
    func slowUpstreamTimesOut() throws {
        // A deadline of 0.4 s; libevent's own inactivity timeout, the backstop, would close only after 1 s.
        let fixture = try UpstreamFixture(environment: ["CLIENTLOOP_TIMEOUT_MS": "400", "CLIENTLOOP_POOL_SIZE": "1"])
        let response = try fixture.mint(#"{"contactId":"fail-slow"}"#)
        #expect(response.status == 504)
        #expect(response.errorCode == "upstream_timeout")
        // Closed at the deadline, not left to trickle: nothing of idv-bff's stays connected to ClientLoop.
        #expect(eventually(within: 0.25) { SocketTable.establishedConnections(toPort: fixture.fake.port) == 0 })
        // The only pool slot is free again at once.
        #expect(try fixture.mint().status == 200)
        #expect(try fixture.fakeStats()["requests"] as? Int == 2)
    }

    @Test("each exchange times out at its own deadline: one timer serves them all, set again for the next")
    func staggeredExchangesTimeOutAtTheirOwnDeadlines() throws {
        // 1.1 s: libevent's inactivity backstop (whole seconds, rounded up) would only answer after 2 s. The fake
        // answers normal mints after 0.3 s, which spaces the two deadlines.
        let fixture = try UpstreamFixture(fakeArguments: ["--latency-ms", "300"], environment: ["CLIENTLOOP_TIMEOUT_MS": "1100"])
        let body = Array(#"{"contactId":"fail-slow"}"#.utf8)
        let (early, late) = (try HTTPConnection(port: fixture.server.port), try HTTPConnection(port: fixture.server.port))
        let earlySent = ContinuousClock.now
        try early.send(method: "POST", path: "/idv-session", headers: [("Content-Type", "application/json")], body: body)
        #expect(eventually(within: 5) { (try? fixture.fakeStats())?["requests"] as? Int == 1 })
        // A mint in between, listed after the early exchange and finished (taken off the list) before the late one.
        #expect(try fixture.mint().status == 200)
        let lateSent = ContinuousClock.now
        try late.send(method: "POST", path: "/idv-session", headers: [("Content-Type", "application/json")], body: body)
        let earlyResponse = try early.readResponse()
        let earlyAnswered = ContinuousClock.now
        let lateResponse = try late.readResponse()
        let lateAnswered = ContinuousClock.now
        for response in [earlyResponse, lateResponse] {
            #expect(response.status == 504)
            #expect(response.errorCode == "upstream_timeout")
        }
        // The timer set for the early deadline must not take the late exchange with it, and must be set again
        // for the late one (or only the backstop would answer it).
        #expect(earlyAnswered - earlySent >= .milliseconds(1050))
        #expect(lateAnswered - lateSent >= .milliseconds(1050))
        #expect(lateAnswered - lateSent < .milliseconds(1700))
        #expect(try fixture.fakeStats()["requests"] as? Int == 3)
    }

    @Test("a mint that failed after ClientLoop received it is not sent again on the same keep-alive path")
    func failureAfterDeliveryOnAReusedConnectionIsNotResent() throws {
        let fixture = try UpstreamFixture()
        let connection = try HTTPConnection(port: fixture.server.port)
        #expect(try fixture.mint(on: connection).status == 200)
        for trigger in ["fail-reset", "fail-close", "fail-garbage-status", "fail-oversized"] {
            #expect(try fixture.mint(#"{"contactId":"\#(trigger)"}"#, on: connection).status == 502)
        }
        #expect(try fixture.mint(on: connection).status == 200)
        let stats = try fixture.fakeStats()
        #expect(stats["requests"] as? Int == 6)
        #expect(stats["successes"] as? Int == 2)
        #expect(!fixture.server.log.contains("could not connect"))
    }

    @Test("a refused connection is upstream_unavailable")
    func refusedConnection() throws {
        let closedPort = try ServerProcess.unusedPort()
        var environment = ServerProcess.baseEnvironment()
        environment["CLIENTLOOP_GRAPH_URL"] = "https://localhost:\(closedPort)/"
        environment["CLIENTLOOP_CA_FILE"] = TestPKI.shared.caCertificate
        let server = try ServerProcess(environment: environment)
        let response = try HTTPConnection(port: server.port)
            .request("POST", "/idv-session", headers: [("Content-Type", "application/json")], body: Array("{}".utf8))
        #expect(response.status == 502)
        #expect(response.errorCode == "upstream_unavailable")
    }

    @Test("the certificate is checked against an IP address host too")
    func verifiesIPAddressHosts() throws {
        let fixture = try UpstreamFixture(host: "127.0.0.1")
        #expect(try fixture.mint().status == 200)
    }

    @Test("upstream connections are kept alive: 50 sequential requests use at most 2 TLS handshakes")
    func reusesConnections() throws {
        let fixture = try UpstreamFixture()
        let connection = try HTTPConnection(port: fixture.server.port)
        for index in 0..<50 {
            let response = try fixture.mint(#"{"contactId":"seq-\#(index)"}"#, on: connection)
            #expect(response.status == 200)
        }
        let stats = try fixture.fakeStats()
        #expect(stats["successes"] as? Int == 50)
        let handshakes = try #require(stats["handshakes"] as? Int)
        // One from idv-bff's pool, plus the stats request itself.
        #expect(handshakes <= 3)
    }

    @Test("a new upstream connection resumes the TLS session of the one before")
    func resumesTLSSessions() throws {
        let fixture = try UpstreamFixture(fakeArguments: ["--latency-ms", "1000"])
        #expect(try fixture.mint(#"{"contactId":"first"}"#).status == 200)
        // While the fake holds the second mint on the pooled connection, a third needs a connection of its own,
        // which offers the session the first one received.
        let held = try HTTPConnection(port: fixture.server.port)
        try held.send(method: "POST", path: "/idv-session", headers: [("Content-Type", "application/json")],
                      body: Array(#"{"contactId":"held"}"#.utf8))
        #expect(eventually(within: 5) { (try? fixture.fakeStats())?["requests"] as? Int == 2 })
        #expect(try fixture.mint(#"{"contactId":"third"}"#).status == 200)
        #expect(try held.readResponse().status == 200)
        let stats = try fixture.fakeStats()
        #expect(stats["successes"] as? Int == 3)
        // idv-bff's two connections, and those of the stats requests, which have no session to offer.
        #expect(stats["resumedHandshakes"] as? Int == 1)
    }

    @Test("200 requests in flight at once are all answered correctly")
    func manyConcurrentRequests() throws {
        let fixture = try UpstreamFixture(fakeArguments: ["--latency-ms", "50"], threads: 2)
        // Open and send everything first, then read: all 200 are in flight together.
        let connections = try (0..<200).map { _ in try HTTPConnection(port: fixture.server.port) }
        for (index, connection) in connections.enumerated() {
            try connection.send(method: "POST", path: "/idv-session",
                                headers: [("Content-Type", "application/json"), ("X-Request-Id", "c-\(index)")],
                                body: Array(#"{"contactId":"c-\#(index)"}"#.utf8))
        }
        var tokens = Set<String>()
        for (index, connection) in connections.enumerated() {
            let response = try connection.readResponse()
            #expect(response.status == 200)
            #expect(response.header("X-Request-Id") == "c-\(index)")
            if let token = response.json?["token"] as? String { tokens.insert(token) }
        }
        #expect(tokens.count == 200)
    }

    @Test("neither the API key nor any token appears in the logs")
    func secretsNeverLogged() throws {
        let fixture = try UpstreamFixture(environment: ["LOG_LEVEL": "trace"])
        var tokens: [String] = []
        for body in ["{}", #"{"contactId":"abc"}"#, #"{"contactId":"fail-unauthorized"}"#] {
            let response = try fixture.mint(body)
            if let token = response.json?["token"] as? String { tokens.append(token) }
        }
        #expect(tokens.count == 2)
        fixture.server.signal(SIGTERM)
        #expect(fixture.server.waitForExit() == 0)
        for secret in [TestSecrets.apiKey] + tokens {
            #expect(!fixture.server.log.contains(secret))
            #expect(!fixture.server.standardOutput.contains(secret))
        }
    }

    @Test("a request waiting on ClientLoop when SIGTERM arrives completes, and the process exits 0")
    func inFlightUpstreamRequestSurvivesSIGTERM() throws {
        let fixture = try UpstreamFixture(fakeArguments: ["--latency-ms", "700"])
        let connection = try HTTPConnection(port: fixture.server.port)
        try connection.send(method: "POST", path: "/idv-session", headers: [("Content-Type", "application/json")], body: Array("{}".utf8))
        // In flight: ClientLoop has the mutation and holds its answer back.
        #expect(eventually(within: 10) { (try? fixture.fakeStats()["requests"] as? Int) == 1 })
        fixture.server.signal(SIGTERM)
        let response = try connection.readResponse()
        #expect(response.status == 200)
        #expect((response.json?["token"] as? String)?.hasPrefix("link-sandbox-") == true)
        #expect(response.header("Connection") == "close")
        #expect(fixture.server.waitForExit() == 0)
    }

    @Test("when the listeners close, an idle kept-alive connection is closed; the request in flight is answered")
    func idleConnectionsCloseWithTheListeners() throws {
        let fixture = try UpstreamFixture(fakeArguments: ["--latency-ms", "1500"])
        let inFlight = try HTTPConnection(port: fixture.server.port)
        let keptAlive = try HTTPConnection(port: fixture.server.port)
        #expect(try keptAlive.request("GET", "/healthz").status == 200)
        try inFlight.send(method: "POST", path: "/idv-session", headers: [("Content-Type", "application/json")], body: Array("{}".utf8))
        #expect(eventually(within: 10) { (try? fixture.fakeStats()["requests"] as? Int) == 1 })
        fixture.server.signal(SIGTERM)
        #expect(fixture.server.waitForLog("closing listeners; waiting for in-flight requests"))

        // Closed without an answer, so the client reconnects (elsewhere) instead of sending a request here.
        #expect(keptAlive.closedWithoutAnswer(within: 5))
        let answered = try inFlight.readResponse()
        #expect(answered.status == 200)
        #expect(answered.header("Connection") == "close")
        #expect(fixture.server.waitForExit() == 0)
    }
}
