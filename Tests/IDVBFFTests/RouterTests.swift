import Logging
import Testing
@testable import EventHTTP
@testable import IDVBFF

@Suite("Router")
struct RouterTests {
    private struct Fixed: RouteHandler {
        let status: Int
        func handle(_ request: HTTPRequest, context: RequestContext, respond: @escaping ResponseCallback) {
            respond(HTTPResponse(status: status))
        }
    }

    private func router() -> Router {
        var router = Router()
        router.add(.get, "/thing", Fixed(status: 200))
        router.add(.post, "/thing", Fixed(status: 201))
        router.add(.post, "/write-only", Fixed(status: 202))
        return router
    }

    private func status(of resolution: Router.Resolution) -> Int? {
        guard case .handler(let handler, _) = resolution else { return nil }
        var answered: Int?
        handler.handle(HTTPRequest(method: .get, path: "/"), context: RequestContext(requestID: "t", logger: .init(label: "t"))) {
            answered = $0.status
        }
        return answered
    }

    @Test func routesByMethodAndPath() {
        #expect(status(of: router().resolve(.get, path: "/thing")) == 200)
        #expect(status(of: router().resolve(.post, path: "/thing")) == 201)
    }

    @Test func headUsesTheGetHandler() {
        #expect(status(of: router().resolve(.head, path: "/thing")) == 200)
    }

    @Test func unknownPathIsNotFound() {
        guard case .failure(let error) = router().resolve(.get, path: "/other") else {
            Issue.record("expected a failure")
            return
        }
        #expect(error == .notFound)
        #expect(error.status == 404)
    }

    @Test func wrongMethodListsAllowedMethodsWithHeadAfterGet() {
        guard case .failure(let error) = router().resolve(.delete, path: "/thing") else {
            Issue.record("expected a failure")
            return
        }
        #expect(error == .methodNotAllowed(allowed: [.get, .head, .post]))
        #expect(error.headers["Allow"] == "GET, HEAD, POST")
    }

    @Test func headIsNotAllowedWithoutGet() {
        guard case .failure(let error) = router().resolve(.head, path: "/write-only") else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.headers["Allow"] == "POST")
    }

    @Test func pathMatchingIsExact() {
        guard case .failure(.notFound) = router().resolve(.get, path: "/thing/") else {
            Issue.record("a trailing slash must not match")
            return
        }
    }
}
