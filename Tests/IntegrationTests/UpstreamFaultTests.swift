import Foundation
import Testing

/// The upstream fault matrix: idv-bff against a TLS peer (`Tests/FaultPeer/fault_peer.py`) that breaks each way the
/// network between it and ClientLoop can, and against DNS servers that do not help. Each row checks the answer's
/// status and code, that it came within the deadline's bound, exactly what reached the peer, that the server's
/// descriptors are back to their baseline, and that the next request is served.
@Suite("upstream fault matrix")
struct UpstreamFaultTests {
    /// `clientloop.timeout_ms` for every row: short, so the rows that must wait for it stay fast.
    static let deadline: TimeInterval = 1.5
    /// Every answer, even one that waits for the deadline, comes within this: nothing hangs.
    static let answerBound: TimeInterval = deadline + 2

    struct Row: Sendable, CustomTestStringConvertible {
        var fault: String
        var status: Int
        var code: String?
        /// What reached the peer for the failing mint.
        var connections = 1, handshakes = 1, requests = 1
        /// Whether idv-bff must close a connection the peer keeps open (at the deadline, or on bytes nobody asked for).
        var closedByServer = false

        var testDescription: String { fault }
    }

    static let rows: [Row] = [
        // Nothing was sent before the handshake failed, so one fresh connection is tried: and fails the same way.
        Row(fault: "accept-close", status: 502, code: "upstream_unavailable", connections: 2, handshakes: 0, requests: 0),
        Row(fault: "handshake-stall", status: 504, code: "upstream_timeout", handshakes: 0, requests: 0, closedByServer: true),
        Row(fault: "read-close", status: 502, code: "upstream_unavailable"),
        Row(fault: "reset-before-headers", status: 502, code: "upstream_unavailable"),
        Row(fault: "reset-after-headers", status: 502, code: "upstream_unavailable"),
        Row(fault: "stall-mid-body", status: 504, code: "upstream_timeout", closedByServer: true),
        Row(fault: "truncated-chunked", status: 502, code: "upstream_unavailable"),
        Row(fault: "short-content-length", status: 502, code: "upstream_unavailable"),
        Row(fault: "html", status: 502, code: "upstream_error"),
        Row(fault: "html-error", status: 502, code: "upstream_error"),
        Row(fault: "empty-body", status: 502, code: "upstream_error"),
        Row(fault: "one-byte-per-second", status: 504, code: "upstream_timeout"),
        // A complete answer (Content-Length) needs no close_notify after it.
        Row(fault: "no-close-notify", status: 200, code: nil),
        // Without close_notify a close-delimited body may be cut short: the strict parser refuses what is left.
        Row(fault: "close-delimited-dirty", status: 502, code: "upstream_error"),
        // An answer that could be framed two ways, or whose head is not strict HTTP, is refused, never guessed at.
        Row(fault: "length-and-chunked", status: 502, code: "upstream_error"),
        Row(fault: "conflicting-lengths", status: 502, code: "upstream_error"),
        Row(fault: "bare-lf-head", status: 502, code: "upstream_error"),
        // The answer is good and kept alive, but the peer then sends what nobody asked for on the idle connection
        // and keeps it open: idv-bff closes it rather than read the next answer from it. (Bytes arriving with the
        // answer are the parser's unit tests.)
        Row(fault: "garbage-after-answer", status: 200, code: nil, closedByServer: true),
    ]

    @Test("a misbehaving TLS peer", arguments: rows)
    func misbehavingPeer(_ row: Row) throws {
        let peer = try FaultPeer.tls(certificate: TestPKI.shared.valid)
        let server = try ServerProcess(environment: Self.environment(graphURL: "https://localhost:\(peer.port)/"))
        let baseline = server.descriptorTargets
        #expect(try Self.mint(server).status == 200)
        #expect(Self.descriptors(of: server, return: baseline))
        let before = try peer.stats()

        try peer.setFault(row.fault)
        let (response, elapsed) = try Self.timedMint(server)
        #expect(response.status == row.status)
        #expect(response.errorCode == row.code)
        #expect(elapsed < Self.answerBound)
        let after = try peer.stats()
        #expect(after.connections - before.connections == row.connections, "\(after)")
        #expect(after.handshakes - before.handshakes == row.handshakes, "\(after)")
        #expect(after.requests - before.requests == row.requests, "\(after)")
        try peer.setFault("none")
        if row.closedByServer {
            #expect(eventually(within: 2) { (try? peer.stats().closedByClient) == before.closedByClient + 1 })
        }

        #expect(Self.descriptors(of: server, return: baseline))
        #expect(try Self.mint(server).status == 200)
        #expect(try peer.stats().requests == after.requests + 1)
    }

    @Test("a certificate that does not verify: no request is sent, and none is retried",
          arguments: ["expired", "wrong-host", "self-signed", "untrusted"])
    func unverifiableCertificate(kind: String) throws {
        let pki = TestPKI.shared
        let certificate = switch kind {
        case "expired": pki.expired
        case "wrong-host": pki.wrongHost
        case "self-signed": pki.selfSigned
        default: pki.untrusted
        }
        let peer = try FaultPeer.tls(certificate: certificate)
        let server = try ServerProcess(environment: Self.environment(graphURL: "https://localhost:\(peer.port)/"))
        let baseline = server.descriptorTargets

        for attempt in 1...2 {
            let (response, elapsed) = try Self.timedMint(server)
            #expect(response.status == 502)
            #expect(response.errorCode == "upstream_unavailable")
            #expect(elapsed < Self.answerBound)
            // One connection per mint: a refused certificate is not tried again.
            #expect(try peer.stats() == FaultPeer.Stats(connections: attempt, handshakes: 0, requests: 0, closedByClient: 0, dnsQueries: 0))
            #expect(Self.descriptors(of: server, return: baseline))
        }
        #expect(server.log.contains("certificate verification failed"))
        #expect(try httpRequest(port: server.port, "GET", "/readyz").status == 200)
    }

    @Test("a burst opens at most 32 upstream connections at a time: the rest wait for a handshake slot")
    func burstOpensConnectionsInSteps() throws {
        let peer = try FaultPeer.tls(certificate: TestPKI.shared.valid)
        try peer.setFault("handshake-stall")  // no handshake ever completes: no slot frees during the test
        var environment = Self.environment(graphURL: "https://localhost:\(peer.port)/")
        environment["CLIENTLOOP_POOL_SIZE"] = "64"
        environment["CLIENTLOOP_MAX_IN_FLIGHT"] = "1000"
        environment["CLIENTLOOP_TIMEOUT_MS"] = "20000"
        let server = try ServerProcess(environment: environment)
        let clients = try (0..<40).map { _ in try HTTPConnection(port: server.port) }
        for client in clients {
            try client.send(method: "POST", path: "/idv-session", headers: [("Content-Type", "application/json")],
                            body: Array("{}".utf8))
        }
        // Once all 40 are with idv-bff (the scrape counts itself), each has been handed to the pool, which opens
        // connections for as many as it may at once and queues the others.
        func metrics() throws -> MetricsTests.Exposition {
            try MetricsTests.Exposition(String(decoding: httpRequest(port: server.port, "GET", "/metrics").body, as: UTF8.self))
        }
        #expect(eventually(within: 5) { (try? metrics())?["http_server_active_requests"] == 41 })
        #expect(try metrics()["idv_upstream_connections_opened_total"] == 32)
        #expect(eventually(within: 5) { (try? peer.stats().connections) == 32 })
    }

    @Test("a host name that does not resolve", arguments: [false, true])
    func unresolvableHost(silentResolver: Bool) throws {
        let resolver = try FaultPeer.dns(silent: silentResolver)
        let server = try Self.serverResolving(through: resolver, graphURL: "https://clientloop.invalid/")
        let baseline = server.descriptorTargets

        for _ in 1...2 {
            let (response, elapsed) = try Self.timedMint(server)
            #expect(response.status == (silentResolver ? 504 : 502))
            #expect(response.errorCode == (silentResolver ? "upstream_timeout" : "upstream_unavailable"))
            #expect(elapsed < Self.answerBound)
            #expect(Self.descriptors(of: server, return: baseline))
        }
        // The lookups went to the resolver under test, and no connection to anything was made.
        #expect(try resolver.stats().dnsQueries > 0)
        #expect(try httpRequest(port: server.port, "GET", "/readyz").status == 200)
    }

    // MARK: Helpers

    static func environment(graphURL: String) -> [String: String] {
        var environment = ServerProcess.baseEnvironment()
        environment["CLIENTLOOP_GRAPH_URL"] = graphURL
        environment["CLIENTLOOP_CA_FILE"] = TestPKI.shared.caCertificate
        environment["CLIENTLOOP_TIMEOUT_MS"] = String(Int(deadline * 1000))
        environment["RATE_LIMIT_PER_MINUTE"] = "0"
        return environment
    }

    /// idv-bff in a mount namespace of its own whose `/etc/resolv.conf` names only `resolver`.
    static func serverResolving(through resolver: FaultPeer, graphURL: String) throws -> ServerProcess {
        let resolvConf = FileManager.default.temporaryDirectory.appendingPathComponent("idv-bff-resolv-\(UUID().uuidString).conf")
        // libevent's resolver reads `address:port`; one attempt a second keeps its own retries inside the deadline.
        try "nameserver 127.0.0.1:\(resolver.port)\noptions timeout:1 attempts:1\n"
            .write(to: resolvConf, atomically: true, encoding: .utf8)
        let bindResolvConf = #"mount --bind "$0" /etc/resolv.conf && exec "$@""#
        return try ServerProcess(environment: environment(graphURL: graphURL),
                                 launcher: ["/usr/bin/unshare", "--mount", "/bin/sh", "-c", bindResolvConf, resolvConf.path])
    }

    static func mint(_ server: ServerProcess) throws -> HTTPConnection.Response {
        try httpRequest(port: server.port, "POST", "/idv-session", headers: [("Content-Type", "application/json")], body: Array("{}".utf8))
    }

    static func timedMint(_ server: ServerProcess) throws -> (HTTPConnection.Response, TimeInterval) {
        let started = Date()
        let response = try mint(server)
        return (response, Date().timeIntervalSince(started))
    }

    /// Whether the server's descriptors come back to exactly `baseline` (what each refers to, sockets by inode):
    /// every connection of the fault closed, nothing new left open.
    static func descriptors(of server: ServerProcess, return baseline: [String]) -> Bool {
        eventually(within: 5) { server.descriptorTargets == baseline }
    }
}
