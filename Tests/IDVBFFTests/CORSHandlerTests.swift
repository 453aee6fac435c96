import Foundation
import Logging
import Synchronization
import Testing
@testable import EventHTTP
@testable import IDVBFF

@Suite("CORS handler")
struct CORSHandlerTests {
    /// Answers with a fixed response and remembers every request it saw.
    private final class RecordingHandler: RouteHandler {
        let answer: HTTPResponse
        private(set) var requests: [HTTPRequest] = []

        init(answer: HTTPResponse = .json(status: 200, #"{"token":"t"}"#)) {
            self.answer = answer
        }

        func handle(_ request: HTTPRequest, context: RequestContext, respond: @escaping ResponseCallback) {
            requests.append(request)
            respond(answer)
        }
    }

    private static let app = "https://app.example.com"
    private static let policy = CORSPolicy(.origins([CORSOrigin(scheme: .https, host: "app.example.com")]))

    private static func request(_ method: HTTPMethod, _ fields: KeyValuePairs<String, String>) -> HTTPRequest {
        var headers: HTTPHeaders = ["Host": "api.example.com"]
        for (name, value) in fields {
            headers.add(name: name, value: value)
        }
        return HTTPRequest(method: method, path: IDVSessionRoutes.path, headers: headers)
    }

    private final class Lines: Sendable {
        let captured = Mutex<[String]>([])
        var all: [String] { captured.withLock { $0 } }
    }

    private static func responses(of handler: any RouteHandler, to request: HTTPRequest, log: Lines = Lines()) -> [HTTPResponse] {
        let logHandler = JSONLogHandler(label: "test", level: .trace) { line in log.captured.withLock { $0.append(line) } }
        let logger = Logger(label: "test", factory: { _ in logHandler })
        var responses: [HTTPResponse] = []
        handler.handle(request, context: RequestContext(requestID: "rid-7", logger: logger)) {
            responses.append($0)
        }
        return responses
    }

    @Test func answersAnAllowedPreflightWithoutCallingTheRoute() {
        let inner = RecordingHandler()
        let preflight = Self.request(.options, ["Origin": Self.app, "Access-Control-Request-Method": "POST"])
        let responses = Self.responses(of: CORSHandler(policy: Self.policy, wrapped: inner), to: preflight)
        #expect(responses.count == 1)
        #expect(responses.first?.status == 204)
        #expect(responses.first?.body.isEmpty == true)
        #expect(responses.first?.headers["Access-Control-Allow-Methods"] == "POST")
        #expect(inner.requests.isEmpty)
    }

    @Test func refusedPreflightIs403WithoutCORSHeadersAndWithoutCallingTheRoute() throws {
        let inner = RecordingHandler()
        let preflight = Self.request(.options, ["Origin": "https://evil.example", "Access-Control-Request-Method": "POST"])
        let response = try #require(Self.responses(of: CORSHandler(policy: Self.policy, wrapped: inner), to: preflight).first)
        #expect(response.status == 403)
        #expect(Self.corsFieldNames(response).isEmpty)
        #expect(inner.requests.isEmpty)
    }

    @Test("an allowed origin's preflight asking for another method or header gets its own code, naming what it asked", arguments: [
        (["Access-Control-Request-Method": "PUT"], "preflight asks for method PUT"),
        (["Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type, x-custom"], "preflight asks for headers x-custom"),
    ])
    func refusedPreflightFromAnAllowedOrigin(fields: [String: String], named: String) throws {
        let inner = RecordingHandler()
        var headers: HTTPHeaders = ["Host": "api.example.com", "Origin": Self.app]
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            headers.add(name: name, value: value)
        }
        let preflight = HTTPRequest(method: .options, path: IDVSessionRoutes.path, headers: headers)
        let response = try #require(Self.responses(of: CORSHandler(policy: Self.policy, wrapped: inner), to: preflight).first)
        #expect(response.status == 403)
        #expect(inner.requests.isEmpty)
        let document = try #require(JSONSerialization.jsonObject(with: Data(response.body)) as? [String: [String: String]])
        #expect(document["error"]?["code"] == "cors_preflight_refused")
        #expect(document["error"]?["message"]
            == "This origin is allowed, but its \(named); allowed are POST with Content-Type, Authorization, X-Request-Id, Idempotency-Key.")
    }

    @Test func refusedRequestNeverReachesTheRoute() throws {
        let inner = RecordingHandler()
        let post = Self.request(.post, ["Origin": "https://evil.example", "Content-Type": "application/json"])
        let responses = Self.responses(of: CORSHandler(policy: Self.policy, wrapped: inner), to: post)
        #expect(inner.requests.isEmpty)
        let response = try #require(responses.first)
        #expect(responses.count == 1)
        #expect(response.status == 403)
        #expect(response.headers.contains("Vary") == false)
        #expect(Self.corsFieldNames(response).isEmpty)
        let document = try #require(JSONSerialization.jsonObject(with: Data(response.body)) as? [String: [String: String]])
        #expect(document["error"]?["code"] == "origin_not_allowed")
        #expect(document["error"]?["requestId"] == "rid-7")
    }

    @Test func logsWhyARequestWasRefused() throws {
        let log = Lines()
        let post = Self.request(.post, ["Origin": "https://evil.example"])
        _ = Self.responses(of: CORSHandler(policy: Self.policy, wrapped: RecordingHandler()), to: post, log: log)
        let line = try #require(log.all.first)
        #expect(log.all.count == 1)
        #expect(line.contains(#""cors_refusal":"origin https://evil.example is not allowed""#))
    }

    @Test func allowedRequestReachesTheRouteAndItsAnswerGetsCORSHeaders() throws {
        let inner = RecordingHandler()
        let post = Self.request(.post, ["Origin": Self.app])
        let response = try #require(Self.responses(of: CORSHandler(policy: Self.policy, wrapped: inner), to: post).first)
        #expect(inner.requests.count == 1)
        #expect(response.status == 200)
        #expect(response.body == Array(#"{"token":"t"}"#.utf8))
        #expect(response.headers["Access-Control-Allow-Origin"] == Self.app)
        #expect(response.headers["Access-Control-Expose-Headers"] == "X-Request-Id, Retry-After, RateLimit, RateLimit-Policy, Idempotent-Replayed")
        #expect(response.headers["Vary"] == "Origin")
        #expect(response.headers["Content-Type"] == "application/json")
    }

    @Test(arguments: [APIError.invalidJSON(detail: "bad"), .upstreamBusy(retryAfterSeconds: 3), .upstreamTimeout, .internalError])
    func errorAnswersToAllowedOriginsCarryCORSHeaders(error: APIError) throws {
        let inner = RecordingHandler(answer: error.response(requestID: "rid-7"))
        let post = Self.request(.post, ["Origin": Self.app])
        let response = try #require(Self.responses(of: CORSHandler(policy: Self.policy, wrapped: inner), to: post).first)
        #expect(response.status == error.status)
        #expect(response.headers["Access-Control-Allow-Origin"] == Self.app)
        #expect(response.headers["Access-Control-Expose-Headers"]?.contains("Retry-After") == true)
        for (name, value) in error.headers {
            #expect(response.headers[name] == value)
        }
    }

    @Test func requestWithoutOriginPassesThroughUntouched() throws {
        let inner = RecordingHandler()
        let post = Self.request(.post, ["Content-Type": "application/json"])
        let response = try #require(Self.responses(of: CORSHandler(policy: Self.policy, wrapped: inner), to: post).first)
        #expect(inner.requests.count == 1)
        #expect(response.headers == inner.answer.headers)
    }

    @Test func plainOptionsIsAnsweredByTheRoute() throws {
        let inner = RecordingHandler(answer: HTTPResponse(status: 204, headers: ["Allow": "POST, OPTIONS"]))
        let options = Self.request(.options, ["Origin": "https://evil.example"])
        let response = try #require(Self.responses(of: CORSHandler(policy: Self.policy, wrapped: inner), to: options).first)
        #expect(inner.requests.count == 1)
        #expect(response.headers == ["Allow": "POST, OPTIONS"])
    }

    @Test func sameOriginRequestPassesThroughWithoutCORSHeaders() throws {
        let inner = RecordingHandler()
        let post = Self.request(.post, ["Origin": "http://api.example.com"])
        let response = try #require(Self.responses(of: CORSHandler(policy: CORSPolicy(.sameOriginOnly), wrapped: inner), to: post).first)
        #expect(inner.requests.count == 1)
        #expect(Self.corsFieldNames(response).isEmpty)
    }

    @Test func aCORSFieldTheRouteSetIsReplacedNotRepeated() throws {
        let inner = RecordingHandler(answer: HTTPResponse(status: 200, headers: ["access-control-allow-origin": "https://evil.example", "X": "y"]))
        let response = try #require(Self.responses(of: CORSHandler(policy: Self.policy, wrapped: inner), to: Self.request(.post, ["Origin": Self.app])).first)
        #expect(response.headers.values(named: "Access-Control-Allow-Origin") == [Self.app])
        #expect(response.headers.values(named: "Vary") == ["Origin"])
        #expect(response.headers["X"] == "y")
    }

    @Test func keepsWhatTheRouteAlreadyVariesOn() throws {
        let inner = RecordingHandler(answer: HTTPResponse(status: 200, headers: ["Vary": "Accept-Encoding, origin"]))
        let response = try #require(Self.responses(of: CORSHandler(policy: Self.policy, wrapped: inner), to: Self.request(.post, ["Origin": Self.app])).first)
        #expect(response.headers["Vary"] == "Accept-Encoding, origin")
    }

    @Test func mergesVaryMembersWithoutDuplicates() {
        #expect(CORSVary.merged(nil, adding: "Origin") == "Origin")
        #expect(CORSVary.merged("Accept-Encoding", adding: "Origin") == "Accept-Encoding, Origin")
        #expect(CORSVary.merged("*", adding: "Origin") == "*")
        #expect(CORSVary.merged("ORIGIN", adding: "Origin, Access-Control-Request-Method") == "ORIGIN, Access-Control-Request-Method")
    }

    // MARK: Wiring

    @Test func registerPutsBothMethodsBehindThePolicy() throws {
        var router = Router()
        let inner = RecordingHandler()
        IDVSessionRoutes.register(on: &router, handler: inner, cors: Self.policy)

        guard case .handler(let post, _) = router.resolve(.post, path: IDVSessionRoutes.path),
            case .handler(let options, _) = router.resolve(.options, path: IDVSessionRoutes.path)
        else {
            Issue.record("both routes must stay registered")
            return
        }
        let refused = try #require(Self.responses(of: post, to: Self.request(.post, ["Origin": "https://evil.example"])).first)
        #expect(refused.status == 403)
        #expect(inner.requests.isEmpty)

        let preflight = Self.request(.options, ["Origin": Self.app, "Access-Control-Request-Method": "POST"])
        #expect(try #require(Self.responses(of: options, to: preflight).first).headers["Access-Control-Allow-Origin"] == Self.app)
        let plain = try #require(Self.responses(of: options, to: Self.request(.options, [:])).first)
        #expect(plain.headers["Allow"] == "POST, OPTIONS")
    }

    @Test func registerAddsOnlyPostAndOptions() {
        var router = Router()
        IDVSessionRoutes.register(on: &router, handler: RecordingHandler(), cors: Self.policy)
        guard case .failure(.methodNotAllowed(let allowed)) = router.resolve(.get, path: IDVSessionRoutes.path) else {
            Issue.record("GET must not be served")
            return
        }
        #expect(Set(allowed) == [.post, .options])
    }

    @Test func registerWithAPolicyRefusesBeforeTheSessionHandler() throws {
        var router = Router()
        IDVSessionRoutes.register(on: &router, handler: IDVSessionHandler(client: NeverCalledClient(), environment: .prod, contactPolicy: .none), cors: Self.policy)
        guard case .handler(let post, _) = router.resolve(.post, path: IDVSessionRoutes.path) else {
            Issue.record("POST must be registered")
            return
        }
        let response = try #require(Self.responses(of: post, to: Self.request(.post, ["Origin": "https://evil.example"])).first)
        #expect(response.status == 403)
    }

    private final class NeverCalledClient: ClientLoopClient {
        func createIdvSession(
            contactId: String?, requestID: String, propagating headers: HTTPHeaders, completion: @escaping (Result<IDVSession, UpstreamFailure>) -> Void
        ) {
            Issue.record("ClientLoop must not be called for a refused origin")
            completion(.failure(.timeout))
        }
    }

    private static func corsFieldNames(_ response: HTTPResponse) -> [String] {
        response.headers.map(\.name).filter { $0.lowercased().hasPrefix("access-control-") }
    }
}
