import Foundation
import Testing

/// The integrator's whole flow in headless Chromium: the demo page served by `--demo` (the browser client, the
/// stand-in `<contact-idv-session>` and its three events), the client imported by a page on another origin, and the
/// client's retry, error and expiry rules driven with a stubbed `fetch`.
@Suite("The flow in a real browser")
struct BrowserFlowTests {
    @Test("the demo page mints, renders, completes, closes and retries; a double click mints once; another origin imports the client")
    func demoPageFlow() throws {
        let port = try ServerProcess.unusedPort()
        let pagePort = try ServerProcess.unusedPort()
        var environment = ServerProcess.demoEnvironment()
        environment["HTTP_PORT"] = String(port)
        // A list replaces the same-origin rule: the demo page's own origin is listed beside the second page's.
        environment["CORS_ALLOWED_ORIGINS"] = "http://127.0.0.1:\(port),http://127.0.0.1:\(pagePort)"
        let server = try ServerProcess(environment: environment, arguments: ["--demo"])

        let report = try PythonScript("Browser/demo_flow.py").report(["http://127.0.0.1:\(port)", String(pagePort)])

        let token = try #require(report["token"] as? String)
        #expect(token.hasPrefix("link-sandbox-"))
        #expect(report["env"] as? String == "prod")
        #expect((report["loadedStatus"] as? String)?.isEmpty == false)
        #expect(report["thanksVisible"] as? Bool == true)
        #expect((report["thanks"] as? String)?.isEmpty == false)
        let restart = try #require(report["restartToken"] as? String)
        #expect(restart.hasPrefix("link-sandbox-") && restart != token)
        #expect(report["retryShown"] as? Bool == true)
        #expect(report["doubleClickRequests"] as? Int == 1)
        #expect(report["doubleClickTokens"] as? Int == 1)
        let states = try #require(report["states"] as? [String])
        for state in ["minting", "loaded", "complete"] {
            #expect(states.contains(state), "\(state) missing from \(states)")
        }
        let crossOrigin = try #require(report["crossOrigin"] as? [String: Any])
        #expect((crossOrigin["token"] as? String)?.hasPrefix("link-sandbox-") == true, "\(crossOrigin)")
        #expect((crossOrigin["requestId"] as? String)?.isEmpty == false)
        let consoleErrors = try #require(report["consoleErrors"] as? [Any])
        #expect(consoleErrors.isEmpty, "\(consoleErrors)")

        // What reached ClientLoop: the first session, the restart, one for the double click, the other origin's.
        let fake = try Self.demoFakeStats(server)
        #expect(fake["requests"] as? Int == 4)
        #expect(fake["successes"] as? Int == 4)
    }

    @Test("the client retries 429/503 with the same key after Retry-After, reports errors as events, renews an expired token with a new key, and aborts")
    func clientBehaviour() throws {
        let server = try ServerProcess()
        let report = try PythonScript("Browser/client_behaviour.py").report(["http://127.0.0.1:\(server.port)"])

        func result(_ key: String) throws -> [String: Any] { try #require(report[key] as? [String: Any], "\(key)") }
        #expect(try result("module")["contentType"] as? String == "text/javascript; charset=utf-8")

        let request = try result("request")
        #expect(request["method"] as? String == "POST")
        #expect(request["credentials"] as? String == "omit")
        #expect(request["keyIsUUID"] as? Bool == true)
        #expect(request["fallbackKeyIsUUID"] as? Bool == true)
        #expect(request["keysDiffer"] as? Bool == true)
        #expect(request["attributeOrder"] as? [String] == ["env", "token"])

        let retry = try result("retry")
        #expect(retry["outcome"] as? String == "resolved" && retry["calls"] as? Int == 2 && retry["sameKey"] as? Bool == true)
        #expect(retry["statuses"] as? [Int] == [429, 200])
        #expect(try result("retryDefault")["calls"] as? Int == 2)
        let exhausted = try result("retryExhausted")
        #expect(exhausted["calls"] as? Int == 3 && exhausted["code"] as? String == "upstream_busy")
        #expect(try result("retryNone")["calls"] as? Int == 1)
        #expect(try result("retryTooLong")["calls"] as? Int == 1)

        let errorEvent = try result("errorEvent")
        #expect(errorEvent["outcome"] as? String == "rejected")
        #expect(errorEvent["code"] as? String == "origin_not_allowed" && errorEvent["requestId"] as? String == "req-403")
        for flag in ["bubbles", "composed", "seenOnDocument", "eventBeforeRejection", "sameAsRejection"] {
            #expect(errorEvent[flag] as? Bool == true, "\(flag)")
        }
        #expect(try result("invalidBody")["code"] as? String == "invalid_response")
        #expect(try result("htmlError")["code"] as? String == "invalid_response")
        #expect(try result("networkError")["code"] as? String == "network_error")

        let expiry = try result("expiry")
        #expect(expiry["outcome"] as? String == "resolved" && expiry["calls"] as? Int == 2 && expiry["newKey"] as? Bool == true)
        #expect(try result("expiryAfterLoaded")["calls"] as? Int == 1)
        let budget = try result("expiryBudget")
        #expect(budget["calls"] as? Int == 4 && budget["distinctKeys"] as? Int == 4)
        #expect((budget["events"] as? [[String: Any]])?.last?["code"] as? String == "session_expired")

        for key in ["abortBefore", "abortDuringWait", "abortDuringFetch"] {
            let aborted = try result(key)
            #expect(aborted["name"] as? String == "AbortError", "\(key)")
            #expect((aborted["events"] as? [Any])?.isEmpty == true, "\(key)")
        }
        #expect(try result("abortBefore")["calls"] as? Int == 0)
        let superseded = try result("superseded")
        #expect((superseded["first"] as? [String: Any])?["name"] as? String == "AbortError")
        #expect((superseded["second"] as? [String: Any])?["outcome"] as? String == "resolved")
        #expect(try result("badArguments").values.allSatisfy { $0 as? String == "TypeError" })
        #expect((report["consoleErrors"] as? [Any])?.isEmpty == true)
    }

    /// The in-process fake's counters; its address is in the DEMO MODE warning.
    private static func demoFakeStats(_ server: ServerProcess) throws -> [String: Any] {
        let warning = try #require(server.logEntries.first { ($0["message"] as? String)?.hasPrefix("DEMO MODE") == true })
        let graphURL = try #require(warning["graph_url"] as? String)
        let port = try #require(URLComponents(string: graphURL)?.port)
        let stats = try httpRequest(port: port, "GET", "/__stats")
        return try #require(stats.json)
    }
}
