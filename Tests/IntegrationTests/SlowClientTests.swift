import Foundation
import Testing

/// Clients that hold connections without finishing requests: the request deadline (`http.request_timeout_seconds`)
/// and the connection cap (`http.max_connections`).
@Suite("Slow clients and the connection cap")
struct SlowClientTests {
    /// A server whose requests must arrive within a second; libevent's own inactivity timeout stays at 15 s, so
    /// only the deadline can be what cuts a trickling client off.
    private func serverWithShortDeadline(_ extra: [String: String] = [:]) throws -> ServerProcess {
        var environment = ServerProcess.baseEnvironment()
        environment["HTTP_REQUEST_TIMEOUT_SECONDS"] = "1"
        environment.merge(extra) { _, new in new }
        return try ServerProcess(environment: environment)
    }

    @Test("a client sending its request head byte by byte is cut off, unanswered, at the request deadline")
    func tricklingHeadIsCutOff() throws {
        let server = try serverWithShortDeadline()
        let connection = try HTTPConnection(port: server.port)
        // 60 bytes at one per 100 ms would take 6 s: far past the 1 s deadline, far short of the inactivity timeout.
        let head = Array("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: \(String(repeating: "a", count: 30))".utf8)
        let (sent, outcome) = connection.trickle(head, interval: 0.1)
        #expect(outcome == .closedUnanswered)
        #expect(sent < head.count)
    }

    @Test("a client sending its body byte by byte is cut off at the request deadline")
    func tricklingBodyIsCutOff() throws {
        let server = try serverWithShortDeadline()
        let connection = try HTTPConnection(port: server.port)
        try connection.send("POST /idv-session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 60\r\n\r\n")
        let body = Array(#"{"contactId":"\#(String(repeating: "c", count: 44))"}"#.utf8)
        let (sent, outcome) = connection.trickle(body, interval: 0.1)
        #expect(outcome == .closedUnanswered)
        #expect(sent < body.count)
    }

    @Test("each request on a keep-alive connection gets a fresh deadline")
    func keepAliveRequestsEachGetTheirOwnDeadline() throws {
        let server = try serverWithShortDeadline(["HTTP_REQUEST_TIMEOUT_SECONDS": "2"])
        let connection = try HTTPConnection(port: server.port)
        // Four requests 0.8 s apart span more than the 2 s deadline; each arrives well within its own.
        for index in 0..<4 {
            if index > 0 {
                Thread.sleep(forTimeInterval: 0.8)
            }
            #expect(try connection.request("GET", "/healthz").status == 200)
        }
    }

    @Test("connections beyond http.max_connections are closed unread; a freed slot serves again")
    func connectionsBeyondTheCapAreRefused() throws {
        var environment = ServerProcess.baseEnvironment(threads: 2)
        environment["HTTP_MAX_CONNECTIONS"] = "3"
        let server = try ServerProcess(environment: environment)

        // Three open keep-alive connections, spread over both loops by the kernel, fill the process-wide cap.
        var held = try (0..<3).map { _ in try HTTPConnection(port: server.port) }
        for connection in held {
            #expect(try connection.request("GET", "/healthz").status == 200)
        }

        let refused = try HTTPConnection(port: server.port)
        try? refused.send(method: "GET", path: "/healthz")
        #expect(refused.closedWithoutAnswer(within: 5))
        #expect(server.waitForLog("refusing connections: http.max_connections (HTTP_MAX_CONNECTIONS) reached"))

        // Closing one held connection frees its slot once the server has seen it go.
        held.removeFirst()
        var status: Int?
        for _ in 0..<50 where status != 200 {
            Thread.sleep(forTimeInterval: 0.05)
            status = try? HTTPConnection(port: server.port).request("GET", "/healthz").status
        }
        #expect(status == 200)
        for connection in held {
            #expect(try connection.request("GET", "/readyz").status == 200)
        }
    }
}
