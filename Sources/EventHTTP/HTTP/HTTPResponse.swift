/// A response built by Swift and handed to libevent in one piece.
public struct HTTPResponse: Sendable, Equatable {
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

    /// The status line's reason phrase: RFC 9110's (and RFC 6585's for 428, 429 and 431). libevent 2.1.12's own table
    /// stops at 417 and would send "Client Error" for a 429.
    public var reasonPhrase: String {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 304: "Not Modified"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 406: "Not Acceptable"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 411: "Length Required"
        case 412: "Precondition Failed"
        case 413: "Content Too Large"
        case 415: "Unsupported Media Type"
        case 417: "Expectation Failed"
        case 422: "Unprocessable Content"
        case 428: "Precondition Required"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: Self.classPhrase(status)
        }
    }

    private static func classPhrase(_ status: Int) -> String {
        switch status {
        case 100..<200: "Informational"
        case 200..<300: "Success"
        case 300..<400: "Redirection"
        case 400..<500: "Client Error"
        default: "Server Error"
        }
    }

    /// A JSON response from a literal document, for fixed bodies such as health answers.
    public static func json(status: Int, _ document: StaticString) -> HTTPResponse {
        let bytes = document.withUTF8Buffer { Array($0) }
        return json(status: status, body: bytes)
    }
}
