/// A request as the handlers see it: copied out of libevent, so nothing in it points into C memory.
public struct HTTPRequest: Sendable {
    /// The request method.
    public var method: HTTPMethod
    /// The path of the request target, without the query string (e.g. `/healthz`).
    public var path: String
    /// The request's header fields.
    public var headers: HTTPHeaders
    /// The request body, already bounded by `http.max_body_bytes`.
    public var body: [UInt8]
    /// The socket peer's address (IPv4 or IPv6 text), when the connection is still there.
    public var peerAddress: String? {
        didSet { peerIPAddress = Self.ipAddress(ofPeer: peerAddress) }
    }
    /// ``peerAddress`` parsed, without the zone a link-local peer comes with (`fe80::1%eth0`): the zone is the
    /// server's own interface name, not part of who the client is. `nil` when the peer is unknown.
    public private(set) var peerIPAddress: IPAddress?
    /// The protocol version of the request line.
    public var version: HTTPVersion

    public init(
        method: HTTPMethod,
        path: String,
        headers: HTTPHeaders = [:],
        body: [UInt8] = [],
        peerAddress: String? = nil,
        version: HTTPVersion = .http11
    ) {
        self.init(
            method: method, path: path, headers: headers, body: body, peerAddress: peerAddress,
            peerIPAddress: Self.ipAddress(ofPeer: peerAddress), version: version)
    }

    /// The server's initializer: a connection parses its peer's address once for all its requests.
    init(
        method: HTTPMethod, path: String, headers: HTTPHeaders, body: [UInt8], peerAddress: String?,
        peerIPAddress: IPAddress?, version: HTTPVersion
    ) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
        self.peerAddress = peerAddress
        self.peerIPAddress = peerIPAddress
        self.version = version
    }

    static func ipAddress(ofPeer text: String?) -> IPAddress? {
        guard let text else { return nil }
        let withoutZone = text.utf8.firstIndex(of: UInt8(ascii: "%")).map { text[..<$0] } ?? text[...]
        return IPAddress(withoutZone)
    }
}

/// An HTTP version, as in the request line's `HTTP/1.1`.
public struct HTTPVersion: Sendable, Hashable, Comparable {
    /// The number before the dot.
    public var major: Int
    /// The number after the dot.
    public var minor: Int

    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// HTTP/1.1, which every browser and load balancer speaks here.
    public static let http11 = HTTPVersion(major: 1, minor: 1)

    public static func < (lhs: HTTPVersion, rhs: HTTPVersion) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }
}

/// The request methods libevent parses; anything else is rejected by libevent before it reaches Swift.
public enum HTTPMethod: String, Sendable, Hashable, CaseIterable {
    case get = "GET"
    case head = "HEAD"
    case post = "POST"
    case put = "PUT"
    case delete = "DELETE"
    case options = "OPTIONS"
    case trace = "TRACE"
    case connect = "CONNECT"
    case patch = "PATCH"
}
