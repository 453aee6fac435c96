import Foundation
import Testing

/// Requests whose framing a proxy in front could read differently (request smuggling) are refused before any
/// handler runs, and nothing pipelined behind them is processed.
@Suite("Request framing")
struct RequestFramingTests {
    static let body = #"{"contactId":"smuggled"}"#

    /// A POST to `/idv-session` with `fields` between the request line and the body.
    static func post(_ fields: String, version: String = "HTTP/1.1", body: String = body) -> String {
        "POST /idv-session \(version)\r\nContent-Type: application/json\r\n\(fields)\r\n\(body)"
    }

    /// Who refuses a request: idv-bff with its JSON error, or libevent itself, which (as built by Debian) already
    /// rejects some framings while parsing the head, before any code of ours can see the request.
    enum Refuser: Sendable {
        case idvBFF, libevent
    }

    static let ambiguous: [(name: String, request: String, refuser: Refuser)] = [
        ("two Content-Length fields", post("Host: a\r\nContent-Length: 24\r\nContent-Length: 24\r\n"), .idvBFF),
        ("two Content-Length values in one field", post("Host: a\r\nContent-Length: 24, 24\r\n"), .libevent),
        ("Content-Length with a sign", post("Host: a\r\nContent-Length: +24\r\n"), .idvBFF),
        ("Content-Length and Transfer-Encoding", post("Host: a\r\nContent-Length: 24\r\nTransfer-Encoding: chunked\r\n",
                                                      body: "18\r\n\(body)\r\n0\r\n\r\n"), .libevent),
        ("a coding before chunked", post("Host: a\r\nTransfer-Encoding: gzip, chunked\r\n", body: "18\r\n\(body)\r\n0\r\n\r\n"),
         .idvBFF),
        ("Transfer-Encoding in HTTP/1.0", post("Host: a\r\nTransfer-Encoding: chunked\r\n", version: "HTTP/1.0",
                                               body: "18\r\n\(body)\r\n0\r\n\r\n"), .idvBFF),
        ("no Host in HTTP/1.1", post("Content-Length: 24\r\n"), .idvBFF),
        ("two Host fields", post("Host: a\r\nHost: b\r\nContent-Length: 24\r\n"), .idvBFF),
        ("whitespace before a colon", post("Host: a\r\nContent-Length : 24\r\n"), .idvBFF),
        ("a Host that is a list", post("Host: a, b\r\nContent-Length: 24\r\n"), .idvBFF),
    ]

    @Test("ambiguous framing gets 400 and a closed connection, never reaches ClientLoop, and ends the connection",
          arguments: ambiguous.map(\.name))
    func ambiguousFramingIsRefused(name: String) throws {
        let row = try #require(Self.ambiguous.first { $0.name == name })
        let fixture = try UpstreamFixture()
        let connection = try HTTPConnection(port: fixture.server.port)
        // A well-formed request pipelined behind the ambiguous one must not be processed.
        try connection.send(row.request + "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n")
        let response = try connection.readResponse(method: "POST")
        #expect(response.status == 400)
        switch row.refuser {
        case .idvBFF:
            #expect(response.errorCode == "bad_request")
            #expect(response.header("Connection") == "close")
            #expect(response.header("X-Request-Id") != nil)
            #expect(fixture.server.waitForLog("refusing a request with ambiguous framing"))
        case .libevent:
            #expect(response.errorCode == nil)
        }
        #expect(connection.isClosedByPeer())
        #expect(try fixture.fakeStats()["requests"] as? Int == 0)
        // Only the refused request was answered: the pipelined one was dropped with the connection.
        let answered = fixture.server.logEntries.filter { $0["message"] as? String == "request" }
        #expect(answered.count == (row.refuser == .idvBFF ? 1 : 0))
    }

    @Test("a body on HEAD or TRACE, which evhttp never reads, is refused rather than read as a second request",
          arguments: ["HEAD /healthz", "TRACE /idv-session"])
    func bodyOnABodilessMethodIsRefused(requestLine: String) throws {
        let fixture = try UpstreamFixture()
        let connection = try HTTPConnection(port: fixture.server.port)
        // The "body" is a whole mint: were it read as the next request, the fake would count it.
        let smuggled = "POST /idv-session HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
        try connection.send("\(requestLine) HTTP/1.1\r\nHost: a\r\nContent-Length: \(smuggled.utf8.count)\r\n\r\n\(smuggled)")
        let method = String(requestLine.prefix { $0 != " " })
        let response = try connection.readResponse(method: method)
        #expect(response.status == 400)
        #expect(response.header("Connection") == "close")
        if method != "HEAD" {
            #expect(response.errorCode == "bad_request")
        }
        #expect(fixture.server.waitForLog("refusing a request with ambiguous framing"))
        #expect(connection.isClosedByPeer())
        #expect(try fixture.fakeStats()["requests"] as? Int == 0)
        #expect(fixture.server.logEntries.filter { $0["message"] as? String == "request" }.count == 1)
    }

    @Test("a chunked body gets 411 length_required and a close, and never reaches ClientLoop")
    func chunkedBodyIsRefused() throws {
        let fixture = try UpstreamFixture()
        let connection = try HTTPConnection(port: fixture.server.port)
        try connection.send(Self.post("Host: a\r\nTransfer-Encoding: chunked\r\n", body: "18\r\n\(Self.body)\r\n0\r\n\r\n"))
        let response = try connection.readResponse(method: "POST")
        #expect(response.status == 411)
        #expect(response.errorCode == "length_required")
        #expect(response.header("Connection") == "close")
        #expect(try fixture.fakeStats()["requests"] as? Int == 0)
    }

    @Test("bare LF line endings are read as line endings, as documented")
    func bareLineFeedsAreLineEndings() throws {
        let server = try ServerProcess()
        let connection = try HTTPConnection(port: server.port)
        try connection.send("GET /healthz HTTP/1.1\nHost: a\n\n")
        let response = try connection.readResponse()
        #expect(response.status == 200)
        #expect(response.json?["status"] as? String == "ok")
    }

    @Test("an absolute-form target is served by its path")
    func absoluteFormTargetIsServed() throws {
        let fixture = try UpstreamFixture()
        let connection = try HTTPConnection(port: fixture.server.port)
        try connection.send("POST http://127.0.0.1/idv-session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
        let response = try connection.readResponse(method: "POST")
        #expect(response.status == 200)
        #expect((response.json?["token"] as? String)?.hasPrefix("link-sandbox-") == true)
        #expect(try httpRequest(port: fixture.server.port, "GET", "http://127.0.0.1/healthz?probe=1").status == 200)
    }
}
