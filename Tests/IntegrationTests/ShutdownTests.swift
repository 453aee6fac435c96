import Foundation
import Testing

/// SIGTERM and SIGINT: readiness fails at once, in-flight requests finish, the process exits 0.
@Suite("Graceful shutdown")
struct ShutdownTests {
    @Test("SIGTERM with nothing in flight exits 0", arguments: [SIGTERM, SIGINT])
    func stopSignalExitsZero(signal: Int32) throws {
        let server = try ServerProcess(environment: ServerProcess.baseEnvironment(threads: 2))
        #expect(try httpRequest(port: server.port, "GET", "/healthz").status == 200)
        server.signal(signal)
        #expect(server.waitForExit() == 0)
    }

    @Test("a request in flight when SIGTERM arrives completes; readiness is 503 meanwhile; exit 0")
    func inFlightRequestCompletes() throws {
        var environment = ServerProcess.baseEnvironment(threads: 2)
        environment["SHUTDOWN_DELAY_SECONDS"] = "1"
        let server = try ServerProcess(environment: environment)

        // Given a request whose body is still arriving.
        let inFlight = try HTTPConnection(port: server.port)
        try inFlight.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\n12345")

        // When the orchestrator asks the process to stop.
        server.signal(SIGTERM)
        #expect(server.waitForLog("stop signal received: readiness now fails; draining"))

        // Then readiness fails at once while liveness and normal service go on.
        let readiness = try httpRequest(port: server.port, "GET", "/readyz")
        #expect(readiness.status == 503)
        #expect(String(decoding: readiness.body, as: UTF8.self) == #"{"status":"draining"}"#)
        #expect(try httpRequest(port: server.port, "GET", "/healthz").status == 200)

        // And the in-flight request completes normally.
        try inFlight.send("67890")
        let response = try inFlight.readResponse()
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"status":"ok"}"#)

        #expect(server.waitForExit() == 0)
        #expect(server.logEntries.contains { $0["message"] as? String == "stopped" })
    }

    @Test("idle keep-alive connections do not hold shutdown up")
    func idleKeepAliveDoesNotBlockShutdown() throws {
        let server = try ServerProcess()
        let idle = try HTTPConnection(port: server.port)
        #expect(try idle.request("GET", "/healthz").status == 200)
        server.signal(SIGTERM)
        #expect(server.waitForExit(timeout: 5) == 0)
        #expect(idle.isClosedByPeer())
    }

    @Test("a second stop signal exits at once")
    func secondSignalExitsAtOnce() throws {
        var environment = ServerProcess.baseEnvironment()
        environment["SHUTDOWN_DELAY_SECONDS"] = "60"
        let server = try ServerProcess(environment: environment)
        server.signal(SIGTERM)
        #expect(server.waitForLog("stop signal received: readiness now fails; draining"))
        server.signal(SIGTERM)
        #expect(server.waitForExit(timeout: 5) == 128 + SIGTERM)
        // Said before it goes, although log lines otherwise leave once per loop turn.
        #expect(server.waitForLog("second stop signal: exiting at once", timeout: 1))
    }
}
