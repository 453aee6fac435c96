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
        var router = Router()
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
}
