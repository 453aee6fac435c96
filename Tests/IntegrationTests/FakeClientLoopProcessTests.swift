import Foundation
import Testing

/// `idv-bff fake-clientloop` as an integrator's CI runs it: for a backend that is not idv-bff.
@Suite("The fake ClientLoop for other backends")
struct FakeClientLoopProcessTests {
    private static let apiKey = "ci-key"

    /// The fake on plain HTTP and an ephemeral loopback port, demanding ``apiKey``.
    private static func fake(_ arguments: [String] = []) throws -> ServerProcess {
        try ServerProcess(
            environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"],
            arguments: ["fake-clientloop", "--host", "127.0.0.1", "--port", "0", "--api-key", apiKey] + arguments
        )
    }

    /// The README's example, as curl sends it: its own User-Agent, `Accept: */*`, no X-Request-Id.
    private static func mint(port: Int) throws -> HTTPConnection.Response {
        let body = #"{"query":"mutation ($input: ContactCreateIdvSession!) { session: contactCreateIdvSession(input: $input) { token expiresAt } }","variables":{"input":{"orgId":"org_ci"}}}"#
        return try HTTPConnection(port: port).request("POST", "/graphql", headers: [
            ("Content-Type", "application/json"), ("Accept", "*/*"), ("User-Agent", "curl/8.5.0"),
            ("Authorization", "Bearer \(apiKey)"),
        ], body: Array(body.utf8))
    }

    @Test("another backend is served by default, and refused with --expect-idv-bff-headers")
    func idvBFFHeadersAreOptIn() throws {
        let open = try Self.fake()
        let served = try Self.mint(port: open.port)
        #expect(served.status == 200)
        let session = try #require((served.json?["data"] as? [String: Any])?["session"] as? [String: Any])
        #expect((session["token"] as? String)?.hasPrefix("link-sandbox-") == true)
        #expect(session["expiresAt"] is String)

        let strict = try Self.fake(["--expect-idv-bff-headers"])
        let refused = try Self.mint(port: strict.port)
        #expect(refused.status == 400)
        let message = ((refused.json?["errors"] as? [[String: Any]])?.first?["message"] as? String) ?? ""
        #expect(message.contains("User-Agent"))
        withExtendedLifetime((open, strict)) {}
    }
}
