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
        guard let pointer = cevent_tls_client_context_new(extraCAFile, TLS1_2_VERSION, 1, &error, error.count) else {
            throw .tls(String(nulTerminated: error))
        }
        self.pointer = pointer
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
