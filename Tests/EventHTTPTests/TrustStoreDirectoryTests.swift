import Foundation
import Testing
@testable import EventHTTP

@Suite("System trust store directory")
struct TrustStoreDirectoryTests {
    @Test(arguments: [("9d04f354.0", true), ("9d04f354.12", true), ("9D04F354.0", false), ("9d04f35.0", false),
                      ("9d04f354", false), ("9d04f354.r0", false), ("ca-certificates.crt", false), ("9d04f354.", false)])
    func hashNames(name: String, isHash: Bool) {
        #expect(TLSClientContext.isHashName(name) == isHash)
    }

    @Test func aHashedDirectoryIsUsedUnlessABundleFileIsNamed() throws {
        let hashed = FileManager.default.temporaryDirectory.appendingPathComponent("trust-\(UUID().uuidString)")
        let plain = FileManager.default.temporaryDirectory.appendingPathComponent("trust-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: hashed, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: plain, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: hashed); try? FileManager.default.removeItem(at: plain) }
        try Data("x".utf8).write(to: hashed.appendingPathComponent("9d04f354.0"))
        try Data("x".utf8).write(to: plain.appendingPathComponent("ca.pem"))

        #expect(TLSClientContext.hashedSystemDirectory { $0 == "SSL_CERT_DIR" ? hashed.path : nil } == hashed.path)
        let list = "\(plain.path):\(hashed.path)"
        #expect(TLSClientContext.hashedSystemDirectory { $0 == "SSL_CERT_DIR" ? list : nil } == list)
        // Not hashed: OpenSSL's default paths, bundle file included.
        #expect(TLSClientContext.hashedSystemDirectory { $0 == "SSL_CERT_DIR" ? plain.path : nil } == nil)
        #expect(TLSClientContext.hashedSystemDirectory { ["SSL_CERT_DIR": hashed.path, "SSL_CERT_FILE": "/x.pem"][$0] } == nil)
        #expect(TLSClientContext.hashedSystemDirectory { _ in nil } == (TLSClientContext.isHashedDirectory("/usr/lib/ssl/certs") ? "/usr/lib/ssl/certs" : nil))
    }
}
