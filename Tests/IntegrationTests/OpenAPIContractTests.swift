import Foundation
import Testing

/// `openapi.yaml` is valid OpenAPI 3.1, and the demo server answers only what it documents: Schemathesis
/// (`Tests/Contract/check_openapi.py`) sends it examples, boundary values, invalid data and undocumented methods.
@Suite("OpenAPI contract")
struct OpenAPIContractTests {
    private static let checker = PythonScript("Contract/check_openapi.py", interpreter: "python3")

    @Test("the document validates")
    func documentValidates() throws {
        let summary = try Self.checker.report(["validate", "openapi.yaml"])
        #expect(summary["valid"] as? Bool == true)
        #expect(summary["errors"] as? Int == 0)
    }

    @Test("no undocumented status, content type, header or schema in a bounded, deterministic Schemathesis run")
    func serverConforms() throws {
        var environment = ServerProcess.demoEnvironment(threads: 2)
        // An allowed origin, so preflights are accepted as well as refused; a limit no run reaches, so that the
        // RateLimit fields are on every answer and checked.
        environment["CORS_ALLOWED_ORIGINS"] = "https://app.example.com"
        environment["RATE_LIMIT_PER_MINUTE"] = "600000"
        environment["RATE_LIMIT_BURST"] = "100000"
        let server = try ServerProcess(environment: environment, arguments: ["--demo"])

        let result = try Self.checker.run(["fuzz", "openapi.yaml", "http://127.0.0.1:\(server.port)"])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(summary["failures"] as? Int == 0)
        #expect(summary["operations_tested"] as? Int == summary["operations_selected"] as? Int)
        #expect((summary["test_cases"] as? Int ?? 0) > 200)
    }
}
