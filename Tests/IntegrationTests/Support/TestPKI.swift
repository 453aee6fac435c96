import Foundation

/// Certificates generated with the `openssl` command when the tests start: a test CA, server certificates for
/// loopback signed by it (valid, for another host, expired), one from a CA the server does not trust, and a
/// self-signed one.
struct TestPKI: Sendable {
    let directory: URL
    /// The CA idv-bff is told to trust (`CLIENTLOOP_CA_FILE`).
    let caCertificate: String
    /// Valid for `localhost` and `127.0.0.1`.
    let valid: KeyPair
    /// Valid, but for `wrong.example` only.
    let wrongHost: KeyPair
    /// For `localhost`, but expired in 2020.
    let expired: KeyPair
    /// For `localhost`, signed by a CA nobody trusts.
    let untrusted: KeyPair
    /// For `localhost`, signed by its own key.
    let selfSigned: KeyPair

    struct KeyPair: Sendable {
        let certificate: String
        let key: String
    }

    /// Generated once for the whole test run.
    static let shared: TestPKI = {
        do {
            return try TestPKI()
        } catch {
            fatalError("cannot generate test certificates: \(error)")
        }
    }()

    private init() throws {
        let fileManager = FileManager.default
        let directory = fileManager.temporaryDirectory.appendingPathComponent("idv-bff-pki-\(UUID().uuidString)")
        self.directory = directory
        try fileManager.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = { (name: String) in directory.appendingPathComponent(name).path }

        try Self.makeCA(named: "ca", in: path)
        try Self.makeCA(named: "rogue-ca", in: path)
        caCertificate = path("ca.pem")

        valid = try Self.issue("valid", hosts: "DNS:localhost,IP:127.0.0.1", by: "ca", in: path)
        wrongHost = try Self.issue("wrong-host", hosts: "DNS:wrong.example", by: "ca", in: path)
        untrusted = try Self.issue("untrusted", hosts: "DNS:localhost,IP:127.0.0.1", by: "rogue-ca", in: path)
        expired = try Self.issue("expired", hosts: "DNS:localhost,IP:127.0.0.1", by: "ca", in: path,
                                 validity: ["-startdate", "20200101000000Z", "-enddate", "20200201000000Z"])
        try Self.openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                          "-keyout", path("self-signed.key"), "-out", path("self-signed.pem"), "-days", "2",
                          "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
        selfSigned = KeyPair(certificate: path("self-signed.pem"), key: path("self-signed.key"))
    }

    private static func makeCA(named name: String, in path: (String) -> String) throws {
        try openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                     "-keyout", path("\(name).key"), "-out", path("\(name).pem"), "-days", "2",
                     "-subj", "/CN=idv-bff test \(name)",
                     "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        try "".write(toFile: path("\(name).index"), atomically: true, encoding: .utf8)
        try "1000\n".write(toFile: path("\(name).serial"), atomically: true, encoding: .utf8)
        let config = """
            [ ca ]
            default_ca = test_ca
            [ test_ca ]
            database = \(path("\(name).index"))
            new_certs_dir = \(path(""))
            serial = \(path("\(name).serial"))
            default_md = sha256
            default_days = 2
            policy = any_subject
            copy_extensions = copy
            unique_subject = no
            [ any_subject ]
            commonName = supplied
            """
        try config.write(toFile: path("\(name).cnf"), atomically: true, encoding: .utf8)
    }

    private static func issue(_ name: String, hosts: String, by ca: String, in path: (String) -> String, validity: [String] = []) throws -> KeyPair {
        try openssl(["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                     "-keyout", path("\(name).key"), "-out", path("\(name).csr"), "-subj", "/CN=\(name)",
                     "-addext", "subjectAltName=\(hosts)", "-addext", "extendedKeyUsage=serverAuth"])
        try openssl(["ca", "-batch", "-notext", "-config", path("\(ca).cnf"), "-cert", path("\(ca).pem"),
                     "-keyfile", path("\(ca).key"), "-in", path("\(name).csr"), "-out", path("\(name).pem")] + validity)
        return KeyPair(certificate: path("\(name).pem"), key: path("\(name).key"))
    }

    private static func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PKIError.openssl(arguments.first ?? "", String(decoding: message, as: UTF8.self))
        }
    }

    enum PKIError: Error {
        case openssl(String, String)
    }
}
