import CEventShim
import CLibevent

/// One keep-alive connection to the upstream (`evhttp_connection`, over `bufferevent_openssl` for https).
///
/// libevent cannot reconnect a TLS connection with its spent SSL object, so a connection is never reused once
/// it has closed: the pool drops it and opens a fresh one.
final class UpstreamConnection {
    let pointer: OpaquePointer
    private let bufferevent: OpaquePointer?
    /// Whether a request is on this connection now.
    var isBusy = false
    /// Called on the loop's thread when the connection closes.
    var onClose: (() -> Void)?

    init(base: EventBase, resolver: DNSResolver, tls: TLSClientContext?, options: UpstreamPoolOptions) throws(UpstreamConnectionError) {
        let url = options.url
        if let tls {
            guard let bufferevent = cevent_tls_client_bufferevent_new(base.pointer, tls.pointer, url.host) else {
                throw .creationFailed
            }
            self.bufferevent = bufferevent
            guard let connection = evhttp_connection_base_bufferevent_new(base.pointer, resolver.pointer, bufferevent, url.host, UInt16(url.port)) else {
                bufferevent_free(bufferevent)
                throw .creationFailed
            }
            pointer = connection
        } else {
            bufferevent = nil
            guard let connection = evhttp_connection_base_new(base.pointer, resolver.pointer, url.host, UInt16(url.port)) else {
                throw .creationFailed
            }
            pointer = connection
        }
        // Minting is not idempotent: libevent must never resend a request by itself.
        evhttp_connection_set_retries(pointer, 0)
        // libevent's own I/O timeout is only a backstop (whole seconds); the exchange deadline is the pool's timer.
        evhttp_connection_set_timeout(pointer, Int32(max(1, options.timeoutSeconds.rounded(.up))))
        evhttp_connection_set_max_body_size(pointer, options.maxResponseBytes)
        evhttp_connection_set_max_headers_size(pointer, 64 * 1024)
        evhttp_connection_set_closecb(pointer, { _, context in
            guard let context else { return }
            Unmanaged<UpstreamConnection>.fromOpaque(context).takeUnretainedValue().closed()
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Sends small writes at once from now on. The socket exists only once libevent has connected, so this is
    /// applied each time a request starts; the first request on a new connection goes without it.
    func disableNagle() {
        guard !nagleDisabled else { return }
        cevent_connection_set_nodelay(pointer)
        nagleDisabled = evhttp_connection_get_bufferevent(pointer).map { bufferevent_getfd($0) >= 0 } ?? false
    }

    private var nagleDisabled = false

    private func closed() {
        onClose?()
    }

    /// Whether the connection speaks TLS.
    var usesTLS: Bool { bufferevent != nil }

    /// Whether the TLS handshake completed: before that no request byte can have reached the upstream, so a
    /// failed request may safely be tried again.
    var handshakeFinished: Bool {
        bufferevent.map { cevent_tls_handshake_finished($0) != 0 } ?? false
    }

    /// Why TLS failed, if it did.
    var tlsFailure: UpstreamTLSFailure? {
        guard let bufferevent else { return nil }
        var reason = [CChar](repeating: 0, count: 256)
        switch cevent_tls_failure(bufferevent, &reason, reason.count) {
        case CEVENT_TLS_CERTIFICATE_REJECTED: return .certificateRejected(String(nulTerminated: reason))
        case CEVENT_TLS_OTHER_FAILURE: return .other(String(nulTerminated: reason))
        default: return nil
        }
    }

    deinit {
        evhttp_connection_set_closecb(pointer, nil, nil)
        evhttp_connection_free(pointer)  // frees the bufferevent and its SSL object too
    }
}

/// Why TLS failed on an upstream connection.
enum UpstreamTLSFailure: CustomStringConvertible {
    /// The upstream's certificate failed verification: retrying cannot help.
    case certificateRejected(String)
    /// Another TLS error.
    case other(String)

    var description: String {
        switch self {
        case .certificateRejected(let reason): "certificate verification failed: \(reason)"
        case .other(let reason): "TLS error: \(reason)"
        }
    }
}

enum UpstreamConnectionError: Error {
    case creationFailed
}
