import Logging
import Testing
@testable import EventHTTP
@testable import IDVBFF

@Suite("Lifecycle")
struct LifecycleTests {
    @Test func startsServingAndReady() {
        let lifecycle = Lifecycle()
        #expect(lifecycle.phase == .serving)
        #expect(lifecycle.phase.isReady)
    }

    @Test func onlyMovesForward() {
        let lifecycle = Lifecycle()
        #expect(lifecycle.advance(to: .draining))
        #expect(!lifecycle.phase.isReady)
        #expect(!lifecycle.advance(to: .draining))
        #expect(!lifecycle.advance(to: .serving))
        #expect(lifecycle.advance(to: .stopping))
        #expect(lifecycle.phase == .stopping)
    }

    @Test func readinessRouteFollowsThePhase() {
        let lifecycle = Lifecycle()
        var router = Router(lifecycle: lifecycle)
        HealthRoutes.register(on: &router, lifecycle: lifecycle)
        func readiness() -> (Int, String)? {
            guard case .handler(let handler, _) = router.resolve(.get, path: "/readyz") else { return nil }
            var result: (Int, String)?
            handler.handle(HTTPRequest(method: .get, path: "/readyz"), context: RequestContext(requestID: "r", logger: .init(label: "t"))) {
                result = ($0.status, String(decoding: $0.body, as: UTF8.self))
            }
            return result
        }
        #expect(readiness()! == (200, #"{"status":"ready"}"#))
        lifecycle.advance(to: .draining)
        #expect(readiness()! == (503, #"{"status":"draining"}"#))
    }

    @Test func healthRoutesServeWhileStopping() {
        var router = Router(lifecycle: Lifecycle())
        HealthRoutes.register(on: &router, lifecycle: Lifecycle())
        for path in ["/healthz", "/livez", "/readyz"] {
            guard case .handler(_, let route) = router.resolve(.get, path: path) else {
                Issue.record("\(path) is not routed")
                continue
            }
            #expect(route.servesWhileStopping)
        }
    }

    @Test func onceStoppingOnlyRoutesThatServeWhileStoppingAnswerNormally() throws {
        let lifecycle = Lifecycle()
        var router = Router(lifecycle: lifecycle)
        HealthRoutes.register(on: &router, lifecycle: lifecycle)
        router.add(.post, "/work", ImmediateHandler { _, _ in HTTPResponse(status: 200) })
        lifecycle.advance(to: .stopping)
        func answer(_ method: HTTPMethod, _ path: String) -> HTTPResponse? {
            var response: HTTPResponse?
            router.respond(to: HTTPRequest(method: method, path: path), context: RequestContext(requestID: "r", logger: .init(label: "t"))) {
                response = $0
            }
            return response
        }
        let refused = try #require(answer(.post, "/work"))
        #expect(refused.status == 503)
        #expect(refused.headers["Connection"] == "close")
        #expect(String(decoding: refused.body, as: UTF8.self).contains(#""code":"shutting_down""#))
        #expect(answer(.get, "/healthz")?.status == 200)
        // Every answer leaves hardened.
        #expect(refused.headers["X-Content-Type-Options"] == "nosniff")
    }
}
