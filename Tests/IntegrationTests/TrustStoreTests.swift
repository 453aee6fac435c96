import Foundation
import Testing

/// ClientLoop's certificate verified against the system trust store as Debian lays it out: a directory of
/// certificates named by subject hash, which OpenSSL reads as a verification needs them.
@Suite("The system trust store")
struct TrustStoreTests {
    @Test("a CA in the hashed system directory is trusted; one missing from it is not, and nothing is minted")
    func hashedDirectoryIsTheSystemStore() throws {
        let hashed = FileManager.default.temporaryDirectory.appendingPathComponent("idv-bff-certs-\(UUID().uuidString)")
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("idv-bff-certs-\(UUID().uuidString)")
        for directory in [hashed, empty] {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }
        defer { for directory in [hashed, empty] { try? FileManager.default.removeItem(at: directory) } }
        try FileManager.default.copyItem(atPath: TestPKI.shared.caCertificate, toPath: hashed.appendingPathComponent("test-ca.pem").path)
        // What update-ca-certificates does: a <subject hash>.0 link to each certificate.
        let rehash = Process()
        rehash.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        rehash.arguments = ["rehash", hashed.path]
        try rehash.run()
        rehash.waitUntilExit()
        #expect(rehash.terminationStatus == 0)

        // An empty value leaves clientloop.ca_file unset: the system store alone decides.
        let trusted = try UpstreamFixture(environment: ["CLIENTLOOP_CA_FILE": "", "SSL_CERT_DIR": hashed.path])
        #expect(try trusted.mint().status == 200)
        #expect(try trusted.fakeStats()["requests"] as? Int == 1)

        let untrusted = try UpstreamFixture(environment: ["CLIENTLOOP_CA_FILE": "", "SSL_CERT_DIR": empty.path])
        let refused = try untrusted.mint()
        #expect(refused.status == 502)
        #expect(refused.errorCode == "upstream_unavailable")
        #expect(try untrusted.fakeStats()["requests"] as? Int == 0)
    }
}
