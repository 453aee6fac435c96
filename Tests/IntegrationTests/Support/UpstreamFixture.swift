import Foundation

/// A fake ClientLoop served over real TLS by `idv-bff fake-clientloop`, and an idv-bff pointed at it.
struct UpstreamFixture {
    let fake: ServerProcess
    let server: ServerProcess

    /// The bearer key the fake demands; idv-bff is configured with the same one.
    static let apiKey = TestSecrets.apiKey

    /// Starts a fake with `certificate` (default: valid for localhost) and idv-bff trusting the test CA.
    init(
        certificate: TestPKI.KeyPair = TestPKI.shared.valid,
        host: String = "localhost",
        fakeArguments: [String] = [],
        environment extra: [String: String] = [:],
        environmentNamingFake: (_ fakePort: Int) -> [String: String] = { _ in [:] },
        threads: Int = 1
    ) throws {
        fake = try ServerProcess.fakeClientLoop(certificate: certificate, arguments: fakeArguments)
        var environment = ServerProcess.baseEnvironment(threads: threads)
        environment["CLIENTLOOP_GRAPH_URL"] = "https://\(host):\(fake.port)/"
        environment["CLIENTLOOP_CA_FILE"] = TestPKI.shared.caCertificate
        // These tests are about the upstream path; the abuse limits have tests of their own.
        environment["RATE_LIMIT_PER_MINUTE"] = "0"
        environment["CLIENTLOOP_MAX_IN_FLIGHT"] = "1000"
        // The fake's triggers are contact ids from the body; the contact policies have tests of their own.
        environment["CONTACT_POLICY"] = "body"
        environment.merge(extra) { _, new in new }
        environment.merge(environmentNamingFake(fake.port)) { _, new in new }
        server = try ServerProcess(environment: environment)
    }

    /// POSTs a JSON body to `/idv-session`.
    func mint(_ body: String = "{}", headers: [(String, String)] = [], on connection: HTTPConnection? = nil) throws -> HTTPConnection.Response {
        let connection = try connection ?? HTTPConnection(port: server.port)
        return try connection.request("POST", "/idv-session", headers: [("Content-Type", "application/json")] + headers, body: Array(body.utf8))
    }

    /// The fake's counters (`requests`, `handshakes`, `lastContactId`, ...).
    func fakeStats() throws -> [String: Any] {
        try HTTPSConnection.get(port: fake.port, path: "/__stats")
    }
}

extension ServerProcess {
    /// `idv-bff fake-clientloop` over TLS on an ephemeral loopback port, accepting `apiKeys` (the test API key) and
    /// refusing a client without the headers idv-bff promises: idv-bff is the client under test.
    static func fakeClientLoop(certificate: TestPKI.KeyPair, apiKeys: [String] = [TestSecrets.apiKey], arguments: [String] = []) throws -> ServerProcess {
        try ServerProcess(
            environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"],
            arguments: ["fake-clientloop", "--host", "127.0.0.1", "--port", "0",
                        "--tls-cert", certificate.certificate, "--tls-key", certificate.key, "--expect-idv-bff-headers"]
                + apiKeys.flatMap { ["--api-key", $0] } + arguments
        )
    }
}

/// Reads the fake's stats over HTTPS with curl. The certificate is not checked: some tests serve deliberately bad
/// ones, and these counters are the test's own instrument, not the system under test.
enum HTTPSConnection {
    static func get(port: Int, path: String) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-sS", "--insecure", "https://127.0.0.1:\(port)\(path)"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (try JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }
}
