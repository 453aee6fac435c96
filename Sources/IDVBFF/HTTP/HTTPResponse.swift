/// A response built by Swift and handed to libevent in one piece.
public struct HTTPResponse: Sendable {
    /// The status code.
    public var status: Int
    /// Header fields besides those every response gets (`X-Request-Id`, `Content-Length`).
    public var headers: HTTPHeaders
    /// The body bytes; libevent omits them for `HEAD` and sets `Content-Length`.
    public var body: [UInt8]
    /// How the response goes out; anything but `.complete` is fault injection for test doubles.
    public var delivery: Delivery = .complete

    /// How a response is put on the wire.
    public enum Delivery: Sendable, Equatable {
        /// Normally.
        case complete
        /// Announce `declaredLength` body bytes, send only `body`, then drop the connection, as a server that
        /// crashed mid-answer would.
        case truncated(declaredLength: Int)
    }

    public init(status: Int, headers: HTTPHeaders = [:], body: [UInt8] = [], delivery: Delivery = .complete) {
        self.status = status
        self.headers = headers
        self.body = body
        self.delivery = delivery
    }

    /// A JSON response from bytes that are already JSON.
    public static func json(status: Int, body: [UInt8], headers: HTTPHeaders = [:]) -> HTTPResponse {
        var response = HTTPResponse(status: status, headers: headers, body: body)
        response.headers.replaceOrAdd(name: "Content-Type", value: "application/json")
        return response
    }

    /// A JSON response from a literal document, for fixed bodies such as health answers.
    public static func json(status: Int, _ document: StaticString) -> HTTPResponse {
        let bytes = document.withUTF8Buffer { Array($0) }
        return json(status: status, body: bytes)
    }
}
