import CEventShim
import CLibevent

/// One attempt of an exchange on one connection: builds the libevent request, and turns libevent's callbacks
/// into a result for the pool.
///
/// The connection owns the call (``UpstreamConnection/call``) while it is on it; libevent holds an unretained
/// pointer, whose done callback comes exactly once unless the connection is freed first, which frees the request
/// without calling back.
final class UpstreamCall {
    /// Why an attempt failed, with what the pool needs to decide about a retry.
    struct Failure: Error {
        var upstreamFailure: UpstreamTransportError
        var detail: String
        /// No request byte can have reached the upstream.
        var nothingSent: Bool
        var certificateRejected: Bool
    }

    let exchange: PendingExchange
    unowned let connection: UpstreamConnection
    private unowned let pool: UpstreamPool
    private var errorKind: evhttp_request_error?

    init(exchange: PendingExchange, connection: UpstreamConnection, pool: UpstreamPool) {
        self.exchange = exchange
        self.connection = connection
        self.pool = pool
    }

    /// Hands the request to libevent; false if libevent refused it at once.
    func send(method: evhttp_cmd_type, url: UpstreamURL) -> Bool {
        let context = Unmanaged.passUnretained(self).toOpaque()
        guard let request = evhttp_request_new({ request, context in
            guard let context else { return }
            // A strong reference for the callback's length: the pool drops the connection's reference inside it.
            let call = Unmanaged<UpstreamCall>.fromOpaque(context).takeUnretainedValue()
            call.done(request)
        }, context) else { return false }
        evhttp_request_set_error_cb(request) { error, context in
            guard let context else { return }
            Unmanaged<UpstreamCall>.fromOpaque(context).takeUnretainedValue().errorKind = error
        }

        let headers = evhttp_request_get_output_headers(request)
        HTTPHeaders.add(name: "Host", value: url.authority, to: headers)
        exchange.request.headers.add(to: headers)
        exchange.request.body.append(to: evhttp_request_get_output_buffer(request))

        // On failure libevent has freed the request, or (a connection set-up failing for want of memory) keeps it
        // unqueued; either way it never calls back.
        guard url.path.withCString({ evhttp_make_request(connection.pointer, request, method, $0) }) == 0 else {
            return false
        }
        if connection.usesTLS {
            // On a connected connection evhttp has queued the head and the body as two buffer chains: one TLS
            // record and one write for both, now rather than on the next loop turn. (On a new connection nothing is
            // queued yet; its first request goes after the handshake, in two.)
            cevent_tls_connection_send_now(connection.pointer)
        }
        return true
    }

    private func done(_ request: OpaquePointer?) {
        if let request, evhttp_request_get_response_code(request) != 0, errorKind == nil {
            pool.callEnded(self, result: .success(UpstreamResponse(libevent: request)))
        } else {
            pool.callEnded(self, result: .failure(failure()))
        }
    }

    private func failure() -> Failure {
        let tlsFailure = connection.tlsFailure
        let maybeSent = connection.maySendHaveReachedUpstream
        let kind: UpstreamTransportError
        let detail: String
        switch errorKind {
        case EVREQ_HTTP_TIMEOUT:
            kind = .timeout
            detail = "upstream did not answer in time"
        case EVREQ_HTTP_DATA_TOO_LONG:
            kind = .responseTooLarge
            detail = "upstream response exceeded the size limit"
        case EVREQ_HTTP_INVALID_HEADER:
            kind = .malformedResponse("invalid HTTP response head")
            detail = "upstream sent an invalid HTTP response head"
        default:
            detail = tlsFailure?.description ?? (maybeSent
                ? "connection closed before the response was complete"
                : "could not connect (DNS failure, connection refused or reset before the TLS handshake finished)")
            kind = .unavailable(detail)
        }
        let certificateRejected = if case .certificateRejected = tlsFailure { true } else { false }
        return Failure(upstreamFailure: kind, detail: detail, nothingSent: !maybeSent, certificateRejected: certificateRejected)
    }
}

extension UpstreamResponse {
    /// Copies a finished libevent response into Swift values.
    init(libevent request: OpaquePointer) {
        self.init(
            status: Int(evhttp_request_get_response_code(request)),
            headers: HTTPHeaders(libevent: evhttp_request_get_input_headers(request)),
            body: evhttp_request_get_input_buffer(request).map(Array.init(evbuffer:)) ?? []
        )
    }
}
