#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CEventShim
import CLibevent

/// The process's TLS client configuration for the upstream: verified peers, TLS 1.2 or later, system trust plus an
/// optional extra CA bundle.
///
/// OpenSSL contexts may be shared by threads once configured; every event loop creates its connections from
/// this one.
public final class TLSClientContext: @unchecked Sendable {
    let pointer: OpaquePointer

    /// Loads the trust store; `extraCAFile` adds a PEM bundle (for private or test CAs).
    public init(extraCAFile: String?) throws(UpstreamSetupError) {
        var error = [CChar](repeating: 0, count: 512)
        // TLS 1.0 and 1.1 are deprecated (RFC 8996). A peer closing without close_notify must not fail a complete
        // answer: libevent 2.1.12 with OpenSSL 3 reports "unexpected eof" even when dirty shutdowns are allowed.
        guard let pointer = cevent_tls_client_context_new(
            Self.hashedSystemDirectory(), extraCAFile, TLS1_2_VERSION, 1, &error, error.count
        ) else {
            throw .tls(String(nulTerminated: error))
        }
        self.pointer = pointer
    }

    /// The system's hashed certificate directory (`SSL_CERT_DIR`, or OpenSSL's default, `/usr/lib/ssl/certs` on
    /// Debian), when it holds `<subject hash>.<n>` entries: OpenSSL then reads only the certificates a verification
    /// needs, instead of parsing the whole bundle file at start-up (tens of milliseconds). `nil` means OpenSSL's
    /// default paths, file included: when the operator names a bundle with `SSL_CERT_FILE`, or the directory is
    /// not hashed.
    static func hashedSystemDirectory(environment: (String) -> String? = { getenv($0).map { String(cString: $0) } }) -> String? {
        guard environment("SSL_CERT_FILE") == nil else { return nil }
        let directories = environment("SSL_CERT_DIR") ?? String(cString: X509_get_default_cert_dir())
        let hashed = directories.split(separator: ":").contains { isHashedDirectory(String($0)) }
        return hashed ? directories : nil
    }

    /// Whether `path` is a directory with at least one entry named like `9d04f354.0`.
    static func isHashedDirectory(_ path: String) -> Bool {
        guard let directory = opendir(path) else { return false }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if isHashName(name) { return true }
        }
        return false
    }

    /// Eight hex digits, a dot, a decimal index: what `openssl rehash` writes.
    static func isHashName(_ name: String) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 2 && parts[0].utf8.count == 8 && parts[0].utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
            && !parts[1].isEmpty && parts[1].utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    deinit {
        cevent_tls_context_free(pointer)
    }
}

/// Failures preparing the upstream client: they stop start-up.
public enum UpstreamSetupError: Error, Sendable, CustomStringConvertible {
    case tls(String)

    public var description: String {
        switch self {
        case .tls(let reason): reason
        }
    }
}
