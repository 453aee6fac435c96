/// A response built by Swift and handed to libevent in one piece.
public struct HTTPResponse: Sendable {
    /// The status code.
    public var status: Int
    /// Header fields besides those every response gets (`X-Request-Id`, `Content-Length`).
    public var headers: HTTPHeaders
    /// The body bytes; libevent omits them for `HEAD` and sets `Content-Length`.
    public var body: [UInt8]
    /// How the response goes out.
    public var delivery: Delivery = .complete

    /// How a response is put on the wire.
    public enum Delivery: Sendable, Equatable {
        /// Normally: status line, fields, body.
        case complete
        /// These bytes instead of a response, written as they are, then the connection closed: how a test double
        /// plays a broken server (a garbage status line, a body cut short, a close without an answer).
        case rawThenClose([UInt8])
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
