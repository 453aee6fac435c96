import CEventShim
import CLibevent

extension HTTPRequest {
    /// Copies a libevent request into Swift-owned values; `nil` for a method ``HTTPMethod`` does not name.
    /// `connection` (the request's, when the loop knows it) keeps the peer's parsed address for its next requests.
    init?(libevent request: OpaquePointer, connection: ServedConnection?) {
        guard let method = HTTPMethod(libevent: evhttp_request_get_command(request)) else { return nil }
        // evhttp parsed the target already; its URI gives the path of origin-form (`/idv-session?x`) and
        // absolute-form (`http://host/idv-session`, RFC 9112 §3.2.2) targets alike.
        let uri = evhttp_request_get_evhttp_uri(request)
        var path = uri.flatMap(evhttp_uri_get_path).map { String(cString: $0) } ?? ""
        if path.isEmpty {
            path = "/"
        }

        // A connection's peer does not change: parsed for its first request, kept for the next ones.
        let peer: (text: String, address: IPAddress?)?
        if let known = connection?.peer {
            peer = known
        } else {
            var port: UInt16 = 0
            peer = cevent_request_peer(request, &port).map { String(cString: $0) }.map { ($0, Self.ipAddress(ofPeer: $0)) }
            connection?.peer = peer
        }
        var major: Int32 = 0
        var minor: Int32 = 0
        cevent_request_version(request, &major, &minor)

        self.init(
            method: method,
            path: path,
            headers: HTTPHeaders(libevent: evhttp_request_get_input_headers(request)),
            body: evhttp_request_get_input_buffer(request).map(Array.init(evbuffer:)) ?? [],
            peerAddress: peer?.text,
            peerIPAddress: peer?.address,
            version: HTTPVersion(major: Int(major), minor: Int(minor))
        )
    }
}

extension HTTPMethod {
    /// Maps libevent's method bit; `nil` for one this type does not name.
    init?(libevent command: evhttp_cmd_type) {
        switch command {
        case EVHTTP_REQ_GET: self = .get
        case EVHTTP_REQ_HEAD: self = .head
        case EVHTTP_REQ_POST: self = .post
        case EVHTTP_REQ_PUT: self = .put
        case EVHTTP_REQ_DELETE: self = .delete
        case EVHTTP_REQ_OPTIONS: self = .options
        case EVHTTP_REQ_TRACE: self = .trace
        case EVHTTP_REQ_CONNECT: self = .connect
        case EVHTTP_REQ_PATCH: self = .patch
        default: return nil
        }
    }
}

extension HTTPHeaders {
    /// Copies a libevent header list (request or response) into Swift values.
    init(libevent list: UnsafeMutablePointer<evkeyvalq>?) {
        self.init()
        var count = 0
        var field = list?.pointee.tqh_first
        while let current = field {
            count += 1
            field = current.pointee.next.tqe_next
        }
        reserveCapacity(count)
        field = list?.pointee.tqh_first
        while let current = field {
            add(name: String(cString: current.pointee.key), value: String(cString: current.pointee.value))
            field = current.pointee.next.tqe_next
        }
    }

    /// Adds every field to a libevent header list (a request's or response's output headers).
    func add(to list: UnsafeMutablePointer<evkeyvalq>?) {
        for field in self {
            Self.add(name: field.name, value: field.value, to: list)
        }
    }

    /// Adds one field to a libevent header list. `withCString` lends each string's own storage: a `String` passed
    /// where C expects `const char *` is first copied into a new array (an allocation per string, per field).
    static func add(name: String, value: String, to list: UnsafeMutablePointer<evkeyvalq>?) {
        name.withCString { name in
            value.withCString { value in _ = evhttp_add_header(list, name, value) }
        }
    }
}

extension Array where Element == UInt8 {
    /// Appends the bytes to an evbuffer (a request's or response's output buffer).
    func append(to evbuffer: OpaquePointer?) {
        guard !isEmpty else { return }
        _ = withUnsafeBytes { evbuffer_add(evbuffer, $0.baseAddress, $0.count) }
    }

    /// Copies an evbuffer's contents without draining it.
    init(evbuffer: OpaquePointer) {
        let length = evbuffer_get_length(evbuffer)
        self.init(unsafeUninitializedCapacity: length) { buffer, count in
            count = length == 0 ? 0 : Int(Swift.max(0, evbuffer_copyout(evbuffer, buffer.baseAddress, length)))
        }
    }
}
