import CEventShim
import CLibevent
import Glibc

/// One keep-alive connection to the upstream: a bufferevent (over `bufferevent_openssl` for https) connected through
/// the loop's resolver, carrying one request at a time.
///
/// A TLS bufferevent cannot reconnect with its spent SSL object, so a connection is never reused once it has closed:
/// the pool drops it and opens a fresh one. The connection owns the call on it and hands it what the bufferevent
/// reads; libevent holds only an unretained pointer to the connection, and never calls back once it is freed.
final class UpstreamConnection {
    private let bufferevent: OpaquePointer
    /// Whether the connection speaks TLS.
    let usesTLS: Bool
    /// The request on this connection now, if any.
    var call: UpstreamCall?
    /// Called on the loop's thread when the connection closes, or breaks the protocol while idle.
    var onClose: (() -> Void)?
    /// Called on the loop's thread when the TLS handshake completes, inside OpenSSL's processing of it: record, and
    /// act on a later turn.
    var onHandshakeDone: (() -> Void)?

    /// Whether the TLS handshake completed. It is recorded as OpenSSL reports it, since after a failure the SSL
    /// object no longer tells.
    private let handshake: HandshakeFlag
    /// Connected (and through the TLS handshake): what is written from now on can go out at once.
    private var isConnected = false
    private var isClosed = false
    private var nagleDisabled = false

    init(base: EventBase, resolver: DNSResolver, tls: TLSClientContext?, options: UpstreamPoolOptions) throws(UpstreamConnectionError) {
        let url = options.url
        // Nothing that points at the flag outlives it: the SSL object's watch goes with the bufferevent.
        let flag = HandshakeFlag()
        if let tls {
            let context = Unmanaged.passUnretained(flag).toOpaque()
            let hostIsAddress: Int32 = IPAddress(url.host) == nil ? 0 : 1
            guard let bufferevent = cevent_tls_client_bufferevent_new(base.pointer, tls.pointer, url.host, hostIsAddress, { context in
                guard let context else { return }
                Unmanaged<HandshakeFlag>.fromOpaque(context).takeUnretainedValue().set()
            }, context) else {
                throw .creationFailed
            }
            self.bufferevent = bufferevent
        } else {
            let options = Int32(BEV_OPT_CLOSE_ON_FREE.rawValue | BEV_OPT_DEFER_CALLBACKS.rawValue)
            guard let bufferevent = bufferevent_socket_new(base.pointer, -1, options) else { throw .creationFailed }
            self.bufferevent = bufferevent
        }
        usesTLS = tls != nil
        handshake = flag
        flag.onSet = { [unowned self] in
            // Before OpenSSL writes anything more: the request follows the handshake's last flight at once.
            disableNagle()
            onHandshakeDone?()
        }

        bufferevent_setcb(bufferevent, { _, context in
            guard let context else { return }
            Unmanaged<UpstreamConnection>.fromOpaque(context).takeUnretainedValue().readable()
        }, nil, { _, events, context in
            guard let context else { return }
            Unmanaged<UpstreamConnection>.fromOpaque(context).takeUnretainedValue().event(events)
        }, Unmanaged.passUnretained(self).toOpaque())
        bufferevent_enable(bufferevent, Int16(EV_READ | EV_WRITE))
        // A failure to connect is reported through the event callback (deferred), as any later one is.
        guard bufferevent_socket_connect_hostname(bufferevent, resolver.pointer, AF_UNSPEC, url.host, Int32(url.port)) == 0 else {
            throw .creationFailed
        }
        disableNagle()  // an address needs no lookup: the socket exists already
    }

    /// Whether the connection is still connecting or in its TLS handshake.
    var isHandshaking: Bool { usesTLS && !handshake.isSet }

    /// Whether a request byte may have reached the upstream. Over TLS, requests are written only once the
    /// handshake has finished; over plain HTTP there is no such proof, so the answer is always yes.
    var maySendHaveReachedUpstream: Bool {
        !usesTLS || handshake.isSet
    }

    /// Writes a whole request: on a connection already up at once (over TLS as one record, without arming the
    /// socket's write event), rather than on the next loop turn; on a new connection once it (and its handshake) is up.
    func write(_ bytes: [UInt8]) -> Bool {
        guard !isClosed else { return false }
        return bytes.withUnsafeBytes { bytes in
            if usesTLS {
                return cevent_tls_write(bufferevent, bytes.baseAddress, bytes.count) == 0
            }
            guard bufferevent_write(bufferevent, bytes.baseAddress, bytes.count) == 0 else { return false }
            if isConnected { cevent_socket_write_now(bufferevent) }
            return true
        }
    }

    private func disableNagle() {
        guard !nagleDisabled else { return }
        nagleDisabled = cevent_bufferevent_set_nodelay(bufferevent) != 0
    }

    private func readable() {
        let input = bufferevent_get_input(bufferevent)
        let length = evbuffer_get_length(input)
        guard !isClosed, length > 0 else { return }
        guard let call else {
            // Bytes nobody asked for: the peer is confused, and the next answer could not be trusted.
            close()
            return
        }
        guard let bytes = evbuffer_pullup(input, -1) else { return }
        // Read in place, then drained: the call (and the pool, if it ends) may start the next request on this
        // connection, which touches only the output.
        call.received(UnsafeRawBufferPointer(start: bytes, count: length))
        evbuffer_drain(input, length)
        if usesTLS, !isClosed {
            cevent_tls_read_buffered(bufferevent)  // records OpenSSL read ahead, in the same read(2)
        }
    }

    private func event(_ events: Int16) {
        guard !isClosed else { return }
        if events & Int16(BEV_EVENT_CONNECTED) != 0 {
            isConnected = true
            disableNagle()
            return
        }
        // End of file, or an error (DNS, connect, reset, TLS).
        isClosed = true
        call?.connectionClosed()
        onClose?()
    }

    /// Stops reading and reports the connection closed; the pool frees it on a later turn.
    private func close() {
        isClosed = true
        bufferevent_disable(bufferevent, Int16(EV_READ | EV_WRITE))
        onClose?()
    }

    /// Why TLS failed, if it did.
    var tlsFailure: UpstreamTLSFailure? {
        guard usesTLS else { return nil }
        var reason = [CChar](repeating: 0, count: 256)
        switch cevent_tls_failure(bufferevent, &reason, reason.count) {
        case CEVENT_TLS_CERTIFICATE_REJECTED: return .certificateRejected(String(nulTerminated: reason))
        case CEVENT_TLS_OTHER_FAILURE: return .other(String(nulTerminated: reason))
        default: return nil
        }
    }

    deinit {
        bufferevent_setcb(bufferevent, nil, nil, nil, nil)
        // Closes the socket and frees the SSL object (and its handshake watch); a DNS lookup still pending is
        // cancelled.
        bufferevent_free(bufferevent)
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
