import CEventShim
import CLibevent

/// The process's TLS client configuration for the upstream: verified peers, TLS 1.2+, system trust plus an
/// optional extra CA bundle.
///
/// OpenSSL contexts may be shared by threads once configured; every event loop creates its connections from
/// this one.
public final class TLSClientContext: @unchecked Sendable {
    let pointer: OpaquePointer

    /// Loads the trust store; `extraCAFile` adds a PEM bundle (for private or test CAs).
    public init(extraCAFile: String?) throws(UpstreamSetupError) {
        var error = [CChar](repeating: 0, count: 512)
        guard let pointer = cevent_tls_client_context_new(extraCAFile, &error, error.count) else {
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
