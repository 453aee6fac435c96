import CEventShim
import CLibevent

/// One keep-alive connection to the upstream (`evhttp_connection`, over `bufferevent_openssl` for https).
///
/// libevent cannot reconnect a TLS connection with its spent SSL object, so a connection is never reused once
/// it has closed: the pool drops it and opens a fresh one.
///
/// The connection owns the call on it: libevent holds only an unretained pointer to that call, which stays valid
/// until the call ends or the connection is freed (`evhttp_connection_free` frees a pending request without
/// calling back).
final class UpstreamConnection {
    let pointer: OpaquePointer
    private let bufferevent: OpaquePointer?
    /// The request on this connection now, if any.
    var call: UpstreamCall?
    /// Called on the loop's thread when the connection closes.
    var onClose: (() -> Void)?
    /// Called on the loop's thread when the TLS handshake completes, inside OpenSSL's processing of it: record, and
    /// act on a later turn.
    var onHandshakeDone: (() -> Void)? {
        get { handshake.onSet }
        set { handshake.onSet = newValue }
    }

    init(base: EventBase, resolver: DNSResolver, tls: TLSClientContext?, options: UpstreamPoolOptions) throws(UpstreamConnectionError) {
        let url = options.url
        // Recorded when OpenSSL reports it, on the loop's thread; the flag outlives the SSL object that points at it.
        let box = HandshakeFlag()
        if let tls {
            let context = Unmanaged.passUnretained(box).toOpaque()
            let hostIsAddress: Int32 = IPAddress(url.host) == nil ? 0 : 1
            guard let bufferevent = cevent_tls_client_bufferevent_new(base.pointer, tls.pointer, url.host, hostIsAddress, { context in
                guard let context else { return }
                Unmanaged<HandshakeFlag>.fromOpaque(context).takeUnretainedValue().set()
            }, context) else {
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
        handshake = box
        // Minting is not idempotent: libevent must never resend a request by itself.
        evhttp_connection_set_retries(pointer, 0)
        // libevent's own I/O timeout is only a backstop (whole seconds); the exchange deadline is the pool's timer,
        // which closes the connection when it fires.
        evhttp_connection_set_timeout(pointer, Int32(max(1, options.timeoutSeconds.rounded(.up))))
        evhttp_connection_set_max_body_size(pointer, options.maxResponseBytes)
        evhttp_connection_set_max_headers_size(pointer, 64 * 1024)
        evhttp_connection_set_closecb(pointer, { _, context in
            guard let context else { return }
            Unmanaged<UpstreamConnection>.fromOpaque(context).takeUnretainedValue().closed()
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Whether the TLS handshake completed. It cannot be read from the SSL object after a failure: libevent resets
    /// that before it reports the failure.
    private let handshake: HandshakeFlag

    /// Whether the connection speaks TLS.
    var usesTLS: Bool { bufferevent != nil }

    /// Whether the connection is still connecting or in its TLS handshake.
    var isHandshaking: Bool { usesTLS && !handshake.isSet }

    /// Whether a request byte may have reached the upstream. Over TLS, requests are written only once the
    /// handshake has finished; over plain HTTP there is no such proof, so the answer is always yes.
    var maySendHaveReachedUpstream: Bool {
        !usesTLS || handshake.isSet
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
        // Frees the bufferevent, its SSL object (and handshake watch) and any pending request, without callbacks.
        evhttp_connection_free(pointer)
    }
}

/// The handshake fact, in an object of its own so that the C watch can point at it before the connection exists.
private final class HandshakeFlag {
    private(set) var isSet = false
    var onSet: (() -> Void)?

    func set() {
        isSet = true
        onSet?()
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
