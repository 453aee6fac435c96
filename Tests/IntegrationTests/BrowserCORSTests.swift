import Foundation
import Testing

/// CORS as a real browser enforces it: headless Chromium, driven by Selenium through chromedriver
/// (`Tests/Browser/cors_fetch.py`), calls POST /idv-session from a page on the allowed origin and from a page on
/// another origin, with the JSON POST an integrator's frontend sends (so the browser preflights it).
@Suite("CORS in a real browser")
struct BrowserCORSTests {
    @Test("a page on the allowed origin reads the token; a page on another origin is refused by the browser")
    func browserEnforcesTheAllowlist() throws {
        let pagePort = try ServerProcess.unusedPort()
        let fixture = try UpstreamFixture(environment: ["CORS_ALLOWED_ORIGINS": "http://127.0.0.1:\(pagePort)"])

        let results = try PythonScript("Browser/cors_fetch.py").report([String(pagePort), "http://127.0.0.1:\(fixture.server.port)/idv-session"])

        let allowed = try #require(results["allowed"] as? [String: Any])
        #expect(allowed["status"] as? Int == 200)
        #expect(allowed["requestId"] as? String == "browser-test")  // readable only because it is exposed
        let body = try #require((allowed["body"] as? String).flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) } as? [String: Any])
        #expect((body["token"] as? String)?.hasPrefix("link-sandbox-") == true)

        let refused = try #require(results["refused"] as? [String: Any])
        #expect(refused["status"] == nil)
        #expect((refused["error"] as? String)?.contains("Failed to fetch") == true)
        // The refused page's preflight was answered 403, so its POST never left the browser.
        #expect(try fixture.fakeStats()["requests"] as? Int == 1)
    }
}
