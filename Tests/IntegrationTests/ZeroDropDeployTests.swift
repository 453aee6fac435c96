import Foundation
import Synchronization
import Testing

/// A rolling deploy as a load balancer sees it: keep-alive clients hammer the API while the process is told to stop.
@Suite("Zero-drop deploy")
struct ZeroDropDeployTests {
    /// What the pooling clients saw.
    struct Tally {
        var statuses: [Int: Int] = [:]
        /// Answers that told the client to close its connection.
        var closes = 0
        /// A request sent on a connection that had already been answered, and then no answer: a dropped request.
        var dropped = 0
        /// A first request on a fresh connection that got no answer: the connection sat in the kernel's backlog when
        /// the listener closed, which is a refusal, not a drop.
        var refusedInBacklog = 0
        /// New connections refused once the listener had closed.
        var refusedConnections = 0
    }

    /// The tally, shared by the client threads.
    final class Shared: Sendable {
        let state = Mutex(Tally())
    }

    @Test("under 50 keep-alive clients, SIGTERM drops no request: every answer is 2xx, then Connection: close")
    func stopUnderLoadDropsNothing() throws {
        let fixture = try UpstreamFixture(environment: ["SHUTDOWN_DELAY_SECONDS": "1", "HTTP_THREADS": "2"])
        let port = fixture.server.port
        let tally = Shared()
        let stopAt = Date().addingTimeInterval(30)  // a bound: the clients stop by themselves once refused
        let clients = DispatchGroup()
        for _ in 0..<50 {
            Thread.detachNewThread {
                clients.enter()
                defer { clients.leave() }
                Self.pool(port: port, until: stopAt, tally: tally)
            }
        }
        // Under way: ClientLoop has served a few hundred mints.
        #expect(eventually(within: 20) { ((try? fixture.fakeStats()["requests"] as? Int) ?? 0) >= 300 })
        fixture.server.signal(SIGTERM)
        #expect(fixture.server.waitForLog("stop signal received: readiness now fails; draining"))
        let readiness = try httpRequest(port: port, "GET", "/readyz")
        #expect(readiness.status == 503)
        #expect(readiness.header("Connection") == "close")

        #expect(fixture.server.waitForExit(timeout: 15) == 0)
        #expect(clients.wait(timeout: .now() + 20) == .success)
        let seen = tally.state.withLock { $0 }
        let answered = seen.statuses.values.reduce(0, +)
        print("zero-drop: \(answered) answers \(seen.statuses), \(seen.closes) closes, \(seen.dropped) dropped, "
              + "\(seen.refusedInBacklog) refused in the backlog, \(seen.refusedConnections) connections refused")
        #expect(answered >= 300)
        #expect(seen.statuses.keys.allSatisfy { (200..<300).contains($0) }, "statuses: \(seen.statuses)")
        #expect(seen.dropped == 0)
        // Every client was told to go, then found the listener closed.
        #expect(seen.closes >= 50)
        #expect(seen.refusedConnections >= 50)
        // Every mint ClientLoop made reached a client.
        #expect(try fixture.fakeStats()["successes"] as? Int == seen.statuses[200])
    }

    /// One pooling client: keeps its connection while the server lets it, reconnects when told to close.
    private static func pool(port: Int, until stopAt: Date, tally: Shared) {
        var connection: HTTPConnection?
        var answeredOnConnection = 0
        while Date() < stopAt {
            if connection == nil {
                guard let fresh = try? HTTPConnection(port: port) else {
                    tally.state.withLock { $0.refusedConnections += 1 }
                    return
                }
                connection = fresh
                answeredOnConnection = 0
            }
            do {
                let response = try connection!.request(
                    "POST", "/idv-session", headers: [("Content-Type", "application/json")], body: Array("{}".utf8))
                answeredOnConnection += 1
                let closes = response.header("Connection") == "close"
                tally.state.withLock {
                    $0.statuses[response.status, default: 0] += 1
                    if closes { $0.closes += 1 }
                }
                if closes { connection = nil }
            } catch {
                let wasFresh = answeredOnConnection == 0
                tally.state.withLock { wasFresh ? ($0.refusedInBacklog += 1) : ($0.dropped += 1) }
                connection = nil
            }
        }
    }
}
