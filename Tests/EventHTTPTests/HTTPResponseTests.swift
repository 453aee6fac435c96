import Testing

@testable import EventHTTP

@Suite("HTTPResponse")
struct HTTPResponseTests {
    @Test("reason phrases are RFC 9110's (RFC 6585's for 429), by class for unlisted codes", arguments: [
        (200, "OK"), (204, "No Content"), (400, "Bad Request"), (401, "Unauthorized"), (403, "Forbidden"),
        (404, "Not Found"), (405, "Method Not Allowed"), (411, "Length Required"), (413, "Content Too Large"),
        (415, "Unsupported Media Type"), (422, "Unprocessable Content"), (429, "Too Many Requests"),
        (502, "Bad Gateway"), (503, "Service Unavailable"), (504, "Gateway Timeout"),
        (299, "Success"), (499, "Client Error"), (599, "Server Error"),
    ])
    func reasonPhrase(status: Int, phrase: String) {
        #expect(HTTPResponse(status: status).reasonPhrase == phrase)
    }
}
