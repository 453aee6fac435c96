import Foundation
import JWTKit
import Testing

/// The browser-facing protections on the real binary: CORS, abuse limits, trusted proxies, JWT-bound contacts
/// and the headers every response carries.
@Suite("Browser-facing security")
struct SecurityTests {
    private static let allowedOrigin = "https://app.example.com"

    private func fixture(_ environment: [String: String]) throws -> UpstreamFixture {
        try UpstreamFixture(environment: environment)
    }

    @Test("a preflight from an allowed origin gets the CORS answer; another origin gets 403 without CORS headers")
    func preflight() throws {
        let fixture = try fixture(["CORS_ALLOWED_ORIGINS": Self.allowedOrigin, "CORS_MAX_AGE_SECONDS": "120"])
        let allowed = try httpRequest(port: fixture.server.port, "OPTIONS", "/idv-session", headers: [
            ("Origin", Self.allowedOrigin), ("Access-Control-Request-Method", "POST"),
            ("Access-Control-Request-Headers", "content-type, x-request-id"),
        ])
        #expect(allowed.status == 204)
        #expect(allowed.header("Access-Control-Allow-Origin") == Self.allowedOrigin)
        #expect(allowed.header("Access-Control-Allow-Methods") == "POST")
        #expect(allowed.header("Access-Control-Allow-Headers")?.contains("Authorization") == true)
        #expect(allowed.header("Access-Control-Max-Age") == "120")
        #expect(allowed.header("Vary") == "Origin, Access-Control-Request-Method, Access-Control-Request-Headers")
        #expect(allowed.header("Access-Control-Allow-Credentials") == nil)

        let refused = try httpRequest(port: fixture.server.port, "OPTIONS", "/idv-session", headers: [
            ("Origin", "https://evil.example"), ("Access-Control-Request-Method", "POST"),
        ])
        #expect(refused.status == 403)
        #expect(refused.errorCode == "origin_not_allowed")
        #expect(!refused.headers.contains { $0.name.lowercased().hasPrefix("access-control-") })
    }

    @Test("a POST from an origin not on the list is refused before any upstream call")
    func disallowedOriginNeverReachesUpstream() throws {
        let fixture = try fixture(["CORS_ALLOWED_ORIGINS": Self.allowedOrigin])
        let refused = try fixture.mint(headers: [("Origin", "https://evil.example")])
        #expect(refused.status == 403)
        #expect(refused.errorCode == "origin_not_allowed")
        #expect(try fixture.fakeStats()["requests"] as? Int == 0)

        let allowed = try fixture.mint(headers: [("Origin", Self.allowedOrigin)])
        #expect(allowed.status == 200)
        #expect(allowed.header("Access-Control-Allow-Origin") == Self.allowedOrigin)
        #expect(allowed.header("Access-Control-Expose-Headers")?.contains("X-Request-Id") == true)
        #expect(allowed.header("Vary") == "Origin")
    }

    @Test("with no origin configured, only the request's own scheme and Host are same-origin; https only via a trusted proxy")
    func sameOriginComparesTheScheme() throws {
        // The test client sends Host: 127.0.0.1 to this plain-HTTP listener.
        let direct = try fixture([:])
        #expect(try direct.mint(headers: [("Origin", "http://127.0.0.1")]).status == 200)
        let otherScheme = try direct.mint(headers: [("Origin", "https://127.0.0.1")])
        #expect(otherScheme.status == 403)
        #expect(otherScheme.errorCode == "origin_not_allowed")
        // An untrusted peer's X-Forwarded-Proto is ignored.
        #expect(try direct.mint(headers: [("Origin", "https://127.0.0.1"), ("X-Forwarded-Proto", "https")]).status == 403)
        #expect(try direct.fakeStats()["requests"] as? Int == 1)

        let proxied = try fixture(["PROXY_TRUSTED_CIDRS": "127.0.0.1/32"])
        let https = try proxied.mint(headers: [("Origin", "https://127.0.0.1"), ("X-Forwarded-Proto", "https")])
        #expect(https.status == 200)
        #expect(https.header("Access-Control-Allow-Origin") == nil)  // same-origin: no CORS headers needed
        #expect(try proxied.mint(headers: [("Origin", "http://127.0.0.1"), ("X-Forwarded-Proto", "https")]).status == 403)
        #expect(try proxied.fakeStats()["requests"] as? Int == 1)
    }

    @Test("every response carries the hardening headers and no Server header")
    func hardeningHeaders() throws {
        let fixture = try fixture([:])
        for response in [try fixture.mint(), try httpRequest(port: fixture.server.port, "GET", "/healthz"),
                         try httpRequest(port: fixture.server.port, "GET", "/nowhere")] {
            #expect(response.header("X-Content-Type-Options") == "nosniff")
            #expect(response.header("Referrer-Policy") == "no-referrer")
            #expect(response.header("Cache-Control") == "no-store")
            #expect(response.header("Server") == nil)
        }
    }

    @Test("a burst from one client is limited with 429 and RateLimit headers while another client still succeeds")
    func rateLimitPerClient() throws {
        let fixture = try fixture(["RATE_LIMIT_PER_MINUTE": "6", "RATE_LIMIT_BURST": "3", "PROXY_TRUSTED_CIDRS": "127.0.0.1/32"])
        let first = [("X-Forwarded-For", "203.0.113.7")]
        var statuses: [Int] = []
        var limited: HTTPConnection.Response?
        for _ in 0..<5 {
            let response = try fixture.mint(headers: first)
            statuses.append(response.status)
            if response.status == 429 { limited = response }
        }
        #expect(statuses == [200, 200, 200, 429, 429])
        let answer = try #require(limited)
        #expect(answer.errorCode == "rate_limited")
        #expect(Int(answer.header("Retry-After") ?? "") ?? 0 >= 1)
        #expect(answer.header("RateLimit-Policy") != nil)
        #expect(answer.header("RateLimit") != nil)

        let other = try fixture.mint(headers: [("X-Forwarded-For", "198.51.100.9")])
        #expect(other.status == 200)
        #expect(other.header("RateLimit") != nil)
    }

    @Test("on one kept-alive connection every request is known to come from the trusted proxy (its address is parsed once per connection), so each client behind it keeps its own limit")
    func trustedPeerOnEveryRequestOfAConnection() throws {
        let fixture = try fixture(["RATE_LIMIT_PER_MINUTE": "6", "RATE_LIMIT_BURST": "2", "PROXY_TRUSTED_CIDRS": "127.0.0.1/32"])
        let connection = try HTTPConnection(port: fixture.server.port)
        let clients = ["203.0.113.7", "203.0.113.7", "203.0.113.7", "198.51.100.9", "198.51.100.9"]
        let statuses = try clients.map { try fixture.mint(headers: [("X-Forwarded-For", $0)], on: connection).status }
        #expect(statuses == [200, 200, 429, 200, 200])
        #expect(try fixture.fakeStats()["requests"] as? Int == 4)  // the limited one never reached ClientLoop
    }

    @Test("answers carry the standard reason phrases, 429 included (libevent would say Client Error)")
    func reasonPhrases() throws {
        let fixture = try fixture(["RATE_LIMIT_PER_MINUTE": "60", "RATE_LIMIT_BURST": "1"])
        let ok = try fixture.mint()
        #expect((ok.status, ok.reason) == (200, "OK"))
        let limited = try fixture.mint()
        #expect((limited.status, limited.reason) == (429, "Too Many Requests"))
        let missing = try httpRequest(port: fixture.server.port, "GET", "/nothing")
        #expect((missing.status, missing.reason) == (404, "Not Found"))
        let preflight = try httpRequest(port: fixture.server.port, "OPTIONS", "/idv-session")
        #expect((preflight.status, preflight.reason) == (204, "No Content"))
    }

    @Test("X-Forwarded-For from an untrusted peer is ignored, with a warning naming the setting")
    func forgedForwardedForIgnored() throws {
        let fixture = try fixture(["RATE_LIMIT_PER_MINUTE": "6", "RATE_LIMIT_BURST": "2"])
        // Every request claims another address; without trusted proxies they all share the peer's bucket.
        let statuses = try (0..<3).map { index in
            try fixture.mint(headers: [("X-Forwarded-For", "192.0.2.\(index + 1)")]).status
        }
        #expect(statuses == [200, 200, 429])
        #expect(fixture.server.log.contains("PROXY_TRUSTED_CIDRS"))
    }

    @Test("clientloop.max_in_flight caps upstream calls across all threads; the rest get 503 upstream_busy at once")
    func inFlightCapIsSharedByAllLoops() throws {
        let fixture = try UpstreamFixture(
            fakeArguments: ["--latency-ms", "800"], environment: ["CLIENTLOOP_MAX_IN_FLIGHT": "1"], threads: 2)
        // Eight connections land on both loops; all requests are in flight before any answer is read.
        let connections = try (0..<8).map { _ in try HTTPConnection(port: fixture.server.port) }
        for connection in connections {
            try connection.send(method: "POST", path: "/idv-session", headers: [("Content-Type", "application/json")], body: Array("{}".utf8))
        }
        let responses = try connections.map { try $0.readResponse() }
        #expect(responses.filter { $0.status == 200 }.count == 1)
        let busy = responses.filter { $0.status == 503 }
        #expect(busy.count == 7)
        #expect(busy.allSatisfy { $0.errorCode == "upstream_busy" && $0.header("Retry-After") == "1" })
        #expect(try fixture.fakeStats()["requests"] as? Int == 1)
    }

    @Test("by default a body contactId is refused before ClientLoop, naming CONTACT_POLICY; new contacts are served")
    func defaultPolicyRefusesContactIds() throws {
        // The fixture opts into `body` for its trigger tests: take that back to reach the default.
        let fixture = try fixture(["CONTACT_POLICY": ""])
        #expect(try fixture.mint().status == 200)
        let refused = try fixture.mint(#"{"contactId":"someone_else"}"#)
        #expect(refused.status == 403)
        #expect(refused.errorCode == "contact_forbidden")
        let message = try #require((refused.json?["error"] as? [String: Any])?["message"] as? String)
        #expect(message.contains("CONTACT_POLICY=jwt"))
        #expect(try fixture.fakeStats()["requests"] as? Int == 1)
        #expect(!fixture.server.log.contains("contact.policy is body"))
    }

    @Test("contact.policy body, set explicitly, passes the body's contactId on and warns at start-up")
    func bodyPolicyWarnsAtStartup() throws {
        let fixture = try fixture(["CONTACT_POLICY": "body"])
        #expect(try fixture.mint(#"{"contactId":"ct_7"}"#).status == 200)
        #expect(try fixture.fakeStats()["lastContactId"] as? String == "ct_7")
        let warnings = fixture.server.logEntries.filter { $0["level"] as? String == "warning" }
        #expect(warnings.contains { ($0["message"] as? String)?.hasPrefix("contact.policy is body") == true })
    }

    @Test("contact.policy jwt binds the contact to a verified token")
    func jwtPolicyBindsContact() async throws {
        let provider = try await IdentityProvider()
        let jwksFile = try JWKSFile(provider.jwks)

        let fixture = try fixture([
            "CONTACT_POLICY": "jwt", "JWT_JWKS_FILE": jwksFile.path,
            "JWT_ISSUER": IdentityProvider.issuer, "JWT_AUDIENCE": IdentityProvider.audience,
        ])
        let token = try await provider.token(contactId: "contact_77")

        let bound = try fixture.mint("{}", headers: [("Authorization", "Bearer \(token)")])
        #expect(bound.status == 200)
        #expect(try fixture.fakeStats()["lastContactId"] as? String == "contact_77")

        let mismatch = try fixture.mint(#"{"contactId":"contact_78"}"#, headers: [("Authorization", "Bearer \(token)")])
        #expect(mismatch.status == 403)
        #expect(mismatch.errorCode == "contact_forbidden")

        let missing = try fixture.mint()
        #expect(missing.status == 401)
        #expect(missing.errorCode == "unauthorized")
        #expect(missing.header("WWW-Authenticate") == #"Bearer error="invalid_token""#)

        let expired = try await provider.token(contactId: "contact_77", expiresIn: -600)
        #expect(try fixture.mint(headers: [("Authorization", "Bearer \(expired)")]).status == 401)
        #expect(!fixture.server.log.contains(token))
    }
}
