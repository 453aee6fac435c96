import Foundation
import IDVBFF
import Testing

/// The files the real binary serves: the browser client and its types, `/openapi.yaml`, and the demo page in `--demo`
/// only, with their types, entity tags, revalidation, and the API's CORS policy.
@Suite("Served files")
struct WebAssetTests {
    private static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    private static let assets = repository.appendingPathComponent("Sources/IDVBFF/Web/Assets")

    @Test("each file is served byte for byte with its type, an ETag and no-cache; If-None-Match gets 304 on a connection that stays usable")
    func servesFilesWithRevalidation() throws {
        let server = try ServerProcess()
        let files = [
            (WebRoutes.clientModulePath, "idv-session-client.js", "text/javascript; charset=utf-8"),
            (WebRoutes.clientTypesPath, "idv-session-client.d.ts", "application/typescript; charset=utf-8"),
            (WebRoutes.openAPIPath, "openapi.yaml", "application/yaml"),
        ]
        let connection = try HTTPConnection(port: server.port)
        for (path, file, contentType) in files {
            let expected = try [UInt8](Data(contentsOf: Self.assets.appendingPathComponent(file)))
            let response = try connection.request("GET", path)
            #expect(response.status == 200, "\(path)")
            #expect(response.body == expected, "\(path)")
            #expect(response.header("Content-Type") == contentType)
            #expect(response.header("Cache-Control") == "no-cache")
            #expect(response.header("X-Content-Type-Options") == "nosniff")
            let tag = try #require(response.header("ETag"))
            #expect(tag.count == 34 && tag.hasPrefix("\"") && tag.hasSuffix("\""))

            let revalidated = try connection.request("GET", path, headers: [("If-None-Match", tag)])
            #expect(revalidated.status == 304)
            #expect(revalidated.header("ETag") == tag)
            #expect(revalidated.header("Content-Length") == nil || revalidated.header("Content-Length") == "0")
            let head = try connection.request("HEAD", path)
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == String(expected.count))
        }
        // The top-level openapi.yaml is the one compiled in (Assets holds a link to it).
        let topLevel = try Data(contentsOf: Self.repository.appendingPathComponent("openapi.yaml"))
        #expect(try [UInt8](topLevel) == connection.request("GET", WebRoutes.openAPIPath).body)
        // Outside demo mode there is no page.
        let root = try connection.request("GET", "/")
        #expect(root.status == 404)
        #expect(root.errorCode == "not_found")
    }

    @Test("an allowed origin may import the client module across origins; any other gets the file without CORS headers")
    func clientModuleFollowsTheCORSPolicy() throws {
        var environment = ServerProcess.baseEnvironment()
        environment["CORS_ALLOWED_ORIGINS"] = "https://app.example.com"
        let server = try ServerProcess(environment: environment)
        let allowed = try httpRequest(port: server.port, "GET", WebRoutes.clientModulePath, headers: [("Origin", "https://app.example.com")])
        #expect(allowed.status == 200)
        #expect(allowed.header("Access-Control-Allow-Origin") == "https://app.example.com")
        #expect(allowed.header("Vary") == "Origin")
        let other = try httpRequest(port: server.port, "GET", WebRoutes.clientModulePath, headers: [("Origin", "https://evil.example")])
        #expect(other.status == 200)
        #expect(other.body == allowed.body)
        #expect(other.header("Access-Control-Allow-Origin") == nil)
        #expect(other.header("Vary") == "Origin")
    }

    @Test("--demo serves the page with its CSP, and its scripts and styles")
    func demoServesThePage() throws {
        let server = try ServerProcess(environment: ServerProcess.demoEnvironment(), arguments: ["--demo"])
        let page = try httpRequest(port: server.port, "GET", "/")
        #expect(page.status == 200)
        #expect(page.header("Content-Type") == "text/html; charset=utf-8")
        #expect(page.header("Content-Security-Policy") == WebRoutes.demoContentSecurityPolicy)
        #expect(page.body == (try [UInt8](Data(contentsOf: Self.assets.appendingPathComponent("demo.html")))))
        for (path, contentType) in [("/demo/demo.js", "text/javascript; charset=utf-8"), ("/demo/demo.css", "text/css; charset=utf-8"),
                                    ("/demo/contact-idv-session-standin.js", "text/javascript; charset=utf-8")] {
            let response = try httpRequest(port: server.port, "GET", path)
            #expect(response.status == 200, "\(path)")
            #expect(response.header("Content-Type") == contentType, "\(path)")
        }
    }
}
