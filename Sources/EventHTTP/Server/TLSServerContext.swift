import CEventShim
import CLibevent
import Synchronization

/// A certificate and key to serve HTTPS with (used by the fake ClientLoop endpoint), and counts of the TLS
/// connections accepted and of the handshakes that resumed a session, which tests use to prove that upstream
/// connections are reused and that reconnections resume.
public final class TLSServerContext: @unchecked Sendable {
    let pointer: OpaquePointer
    private let accepted = Atomic<Int>(0)
    private let resumed = Atomic<Int>(0)

    /// Loads a PEM certificate chain and its private key.
    public init(certificateFile: String, keyFile: String) throws(UpstreamSetupError) {
        var error = [CChar](repeating: 0, count: 512)
        guard let pointer = cevent_tls_server_context_new(certificateFile, keyFile, TLS1_2_VERSION, &error, error.count) else {
            throw .tls(String(nulTerminated: error))
        }
        self.pointer = pointer
    }

    /// TLS connections accepted so far (each one a handshake, full or resumed).
    public var handshakes: Int {
        accepted.load(ordering: .relaxed)
    }

    /// Handshakes so far that resumed an earlier session.
    public var resumedHandshakes: Int {
        resumed.load(ordering: .relaxed)
    }

    func connectionAccepted() {
        accepted.add(1, ordering: .relaxed)
    }

    func sessionResumed() {
        resumed.add(1, ordering: .relaxed)
    }

    deinit {
        cevent_tls_context_free(pointer)
    }
}
