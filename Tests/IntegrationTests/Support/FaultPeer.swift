import Foundation

/// `Tests/FaultPeer/fault_peer.py`: a TLS server standing in for ClientLoop that misbehaves on request, or a DNS
/// server that answers nothing useful; with a plain-HTTP control port for its counters and its fault.
final class FaultPeer: Sendable {
    /// The port idv-bff is pointed at (TCP for `tls`, UDP for `dns`).
    let port: Int
    private let control: Int
    private let process: Process

    /// A TLS peer presenting `certificate`; it answers correctly until told otherwise.
    static func tls(certificate: TestPKI.KeyPair) throws -> FaultPeer {
        try FaultPeer(["tls", "--cert", certificate.certificate, "--key", certificate.key])
    }

    /// A DNS server answering every question NXDOMAIN (`silent: false`) or never answering.
    static func dns(silent: Bool) throws -> FaultPeer {
        try FaultPeer(["dns", silent ? "--silent" : "--nxdomain"])
    }

    private init(_ arguments: [String]) throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../FaultPeer/fault_peer.py").standardized.path
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [script] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        // The first line names the ports; readLine-style, byte by byte, so nothing after it is consumed.
        var line: [UInt8] = []
        let handle = output.fileHandleForReading
        while let byte = try handle.read(upToCount: 1)?.first, byte != UInt8(ascii: "\n") {
            line.append(byte)
        }
        guard let ports = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Int],
              let port = ports["port"], let control = ports["control"]
        else {
            kill(process.processIdentifier, SIGKILL)
            throw FaultPeerError.didNotStart(String(decoding: line, as: UTF8.self))
        }
        self.port = port
        self.control = control
    }

    deinit {
        // SIGKILL: the test runner starts children with SIGTERM blocked.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// What every connection accepted from now on suffers; `none` restores correct answers.
    func setFault(_ name: String) throws {
        let response = try httpRequest(port: control, "PUT", "/fault/\(name)")
        guard response.status == 204 else { throw FaultPeerError.unknownFault(name) }
    }

    /// The peer's counters: what reached it, as opposed to what idv-bff answered.
    struct Stats: Equatable, CustomStringConvertible {
        /// TCP connections accepted.
        var connections: Int
        /// TLS handshakes completed.
        var handshakes: Int
        /// Requests read whole (head and body).
        var requests: Int
        /// Connections the client (idv-bff) closed while the peer held them open.
        var closedByClient: Int
        /// DNS questions received.
        var dnsQueries: Int

        var description: String {
            "connections \(connections), handshakes \(handshakes), requests \(requests), "
                + "closed by client \(closedByClient), DNS queries \(dnsQueries)"
        }
    }

    func stats() throws -> Stats {
        let response = try httpRequest(port: control, "GET", "/stats")
        guard let counters = response.json as? [String: Int],
              let connections = counters["connections"], let handshakes = counters["handshakes"],
              let requests = counters["requests"], let closedByClient = counters["closedByClient"],
              let dnsQueries = counters["dnsQueries"]
        else { throw FaultPeerError.badStats(String(decoding: response.body, as: UTF8.self)) }
        return Stats(connections: connections, handshakes: handshakes, requests: requests,
                     closedByClient: closedByClient, dnsQueries: dnsQueries)
    }
}

enum FaultPeerError: Error {
    case didNotStart(String), unknownFault(String), badStats(String)
}
