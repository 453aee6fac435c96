import CEventShim
import CLibevent

extension HTTPRequest {
    /// Copies a libevent request into Swift-owned values.
    init(libevent request: OpaquePointer) {
        let target = evhttp_request_get_uri(request).map { String(cString: $0) } ?? "/"
        let (path, query) = HTTPRequest.splitTarget(target)

        var headers = HTTPHeaders()
        var field = cevent_header_first(evhttp_request_get_input_headers(request))
        while let current = field {
            headers.add(name: String(cString: cevent_header_name(current)), value: String(cString: cevent_header_value(current)))
            field = cevent_header_next(current)
        }

        var body: [UInt8] = []
        if let input = evhttp_request_get_input_buffer(request) {
            let length = evbuffer_get_length(input)
            if length > 0 {
                body = [UInt8](unsafeUninitializedCapacity: length) { buffer, count in
                    count = Int(max(0, evbuffer_copyout(input, buffer.baseAddress, length)))
                }
            }
        }

        var peerPort: UInt16 = 0
        let peer = cevent_request_peer(request, &peerPort).map { String(cString: $0) }

        self.init(
            method: HTTPMethod(libevent: evhttp_request_get_command(request)),
            path: path,
            query: query,
            headers: headers,
            body: body,
            peerAddress: peer
        )
    }
}

extension HTTPMethod {
    /// Maps libevent's method bit; libevent only dispatches the methods it parsed, all of which are listed here.
    init(libevent command: evhttp_cmd_type) {
        switch command {
        case EVHTTP_REQ_GET: self = .get
        case EVHTTP_REQ_HEAD: self = .head
        case EVHTTP_REQ_POST: self = .post
        case EVHTTP_REQ_PUT: self = .put
        case EVHTTP_REQ_DELETE: self = .delete
        case EVHTTP_REQ_OPTIONS: self = .options
        case EVHTTP_REQ_TRACE: self = .trace
        case EVHTTP_REQ_CONNECT: self = .connect
        default: self = .patch
        }
    }
}
