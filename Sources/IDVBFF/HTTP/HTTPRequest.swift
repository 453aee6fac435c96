/// A request as the handlers see it: copied out of libevent, so nothing in it points into C memory.
public struct HTTPRequest: Sendable {
    /// The request method.
    public var method: HTTPMethod
    /// The path of the request target, without the query string (e.g. `/healthz`).
    public var path: String
    /// The raw query string after `?`, if any.
    public var query: String?
    /// The request's header fields.
    public var headers: HTTPHeaders
    /// The request body, already bounded by `http.max_body_bytes`.
    public var body: [UInt8]
    /// The socket peer's address (IPv4 or IPv6 text), when the connection is still there.
    public var peerAddress: String?

    public init(
        method: HTTPMethod,
        path: String,
        query: String? = nil,
        headers: HTTPHeaders = [:],
        body: [UInt8] = [],
        peerAddress: String? = nil
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.peerAddress = peerAddress
    }

    /// Splits a request target such as `/a/b?x=1` into its path and query.
    static func splitTarget(_ target: String) -> (path: String, query: String?) {
        guard let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")) else {
            return (target, nil)
        }
        let path = String(target[..<mark])
        let query = String(target[target.index(after: mark)...])
        return (path, query)
    }
}
