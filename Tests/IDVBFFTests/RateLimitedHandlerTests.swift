import Foundation
import Logging
import Synchronization
import Testing
@testable import EventHTTP
@testable import IDVBFF

@Suite("Rate-limited handler")
struct RateLimitedHandlerTests {
    /// Answers 200 with a header of its own, and counts its calls.
    private final class CountingHandler: RouteHandler {
        private(set) var calls = 0
        private(set) var pendingResponses: [ResponseCallback] = []
        let answersLater: Bool

        init(answersLater: Bool = false) {
            self.answersLater = answersLater
        }

        func handle(_ request: HTTPRequest, context: RequestContext, respond: @escaping ResponseCallback) {
            calls += 1
            if answersLater {
                pendingResponses.append(respond)
            } else {
                respond(HTTPResponse(status: 200, headers: ["X-Wrapped": "yes"], body: Array("ok".utf8)))
            }
        }
    }

    private final class LogLines: Sendable {
        let captured = Mutex<[String]>([])
        var all: [String] { captured.withLock { $0 } }
    }

    /// 6 per minute, 2 at once; load balancers in 10.0.0.0/8.
    private let limiter = RateLimiter(policy: RateLimitPolicy(perMinute: 6, burst: 2), clock: ManualMonotonicClock().clock)
    private let resolver = ClientAddressResolver(trustedProxies: TrustedProxies([CIDR("10.0.0.0/8")!]))

    private func request(peer: String, forwardedFor: String? = nil) -> HTTPRequest {
        var headers: HTTPHeaders = [:]
        if let forwardedFor {
            headers.add(name: "X-Forwarded-For", value: forwardedFor)
        }
        return HTTPRequest(method: .post, path: "/idv-session", headers: headers, peerAddress: peer)
    }

    private func send(
        _ request: HTTPRequest,
        through handler: RateLimitedHandler,
        logger: Logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    ) -> [HTTPResponse] {
        var responses: [HTTPResponse] = []
        handler.handle(request, context: RequestContext(requestID: "req-7", logger: logger)) { responses.append($0) }
        return responses
    }

    @Test func passesAllowedRequestsToTheWrappedHandlerWithRateLimitFields() throws {
        let wrapped = CountingHandler()
        let handler = RateLimitedHandler(limiter: limiter, resolver: resolver, wrapped: wrapped)
        let responses = send(request(peer: "198.51.100.1"), through: handler)
        #expect(wrapped.calls == 1)
        let response = try #require(responses.first)
        #expect(responses.count == 1)
        #expect(response.status == 200)
        #expect(response.headers["X-Wrapped"] == "yes")  // the wrapped handler's own fields survive
        #expect(response.headers["RateLimit-Policy"] == #""default";q=2;w=20"#)
        #expect(response.headers["RateLimit"] == #""default";r=1;t=10"#)
    }

    @Test func answers429WithoutCallingTheWrappedHandlerWhenLimited() throws {
        let wrapped = CountingHandler()
        let handler = RateLimitedHandler(limiter: limiter, resolver: resolver, wrapped: wrapped)
        _ = send(request(peer: "198.51.100.1"), through: handler)
        _ = send(request(peer: "198.51.100.1"), through: handler)
        let responses = send(request(peer: "198.51.100.1"), through: handler)
        #expect(wrapped.calls == 2)
        let response = try #require(responses.first)
        #expect(responses.count == 1)
        #expect(response.status == 429)
        #expect(response.headers["Retry-After"] == "10")
        #expect(response.headers["RateLimit"] == #""default";r=0;t=10"#)
        #expect(response.headers["RateLimit-Policy"] == #""default";q=2;w=20"#)
        #expect(response.hardened().headers["Cache-Control"] == "no-store")
        #expect(response.headers["Content-Type"] == "application/json")
        let body = String(decoding: response.body, as: UTF8.self)
        #expect(body.contains(#""code":"rate_limited""#))
        #expect(body.contains(#""requestId":"req-7""#))
    }

    @Test func addsTheFieldsToResponsesThatArriveLater() throws {
        let wrapped = CountingHandler(answersLater: true)
        let handler = RateLimitedHandler(limiter: limiter, resolver: resolver, wrapped: wrapped)
        var responses: [HTTPResponse] = []
        handler.handle(request(peer: "198.51.100.1"), context: RequestContext(requestID: "r", logger: Logger(label: "t"))) {
            responses.append($0)
        }
        #expect(responses.isEmpty)
        try #require(wrapped.pendingResponses.count == 1)
        wrapped.pendingResponses[0](HTTPResponse(status: 503, headers: ["Retry-After": "1"]))
        #expect(responses.count == 1)
        #expect(responses.first?.headers["RateLimit"] == #""default";r=1;t=10"#)
        #expect(responses.first?.headers["Retry-After"] == "1")
    }

    @Test func limitsClientsBehindATrustedProxySeparately() {
        let wrapped = CountingHandler()
        let handler = RateLimitedHandler(limiter: limiter, resolver: resolver, wrapped: wrapped)
        for _ in 0..<3 {
            _ = send(request(peer: "10.0.0.2", forwardedFor: "198.51.100.1"), through: handler)
        }
        let other = send(request(peer: "10.0.0.2", forwardedFor: "198.51.100.2"), through: handler)
        #expect(wrapped.calls == 3)
        #expect(other.first?.status == 200)
    }

    @Test func forgedForwardedForFromAnUntrustedPeerDoesNotEscapeTheLimit() {
        let wrapped = CountingHandler()
        let handler = RateLimitedHandler(limiter: limiter, resolver: resolver, wrapped: wrapped)
        for index in 0..<5 {
            _ = send(request(peer: "198.51.100.1", forwardedFor: "192.0.2.\(index)"), through: handler)
        }
        #expect(wrapped.calls == 2)
    }

    @Test func sendsNoRateLimitFieldsWhenLimitingIsOff() throws {
        let wrapped = CountingHandler()
        let handler = RateLimitedHandler(
            limiter: RateLimiter(policy: .disabled), resolver: resolver, wrapped: wrapped)
        for _ in 0..<10 {
            let response = try #require(send(request(peer: "198.51.100.1"), through: handler).first)
            #expect(response.status == 200)
            #expect(!response.headers.contains("RateLimit"))
            #expect(!response.headers.contains("RateLimit-Policy"))
        }
        #expect(wrapped.calls == 10)
    }

    @Test func warnsOnceAboutForwardedForFromAnUntrustedPeer() {
        let lines = LogLines()
        let logHandler = JSONLogHandler(label: "test", level: .info) { line in lines.captured.withLock { $0.append(line) } }
        let logger = Logger(label: "test", factory: { _ in logHandler })
        let handler = RateLimitedHandler(
            limiter: limiter, resolver: resolver, wrapped: CountingHandler(),
            forwardedForWarnings: WarningThrottle(interval: .seconds(60), clock: ManualMonotonicClock().clock))
        for _ in 0..<3 {
            _ = send(request(peer: "198.51.100.1", forwardedFor: "192.0.2.1"), through: handler, logger: logger)
        }
        _ = send(request(peer: "10.0.0.2", forwardedFor: "192.0.2.1"), through: handler, logger: logger)
        #expect(lines.all.count == 1)
        #expect(lines.all.first?.contains("PROXY_TRUSTED_CIDRS") == true)
        #expect(lines.all.first?.contains(#""level":"warning""#) == true)
        #expect(lines.all.first?.contains("198.51.100.1") == true)
    }
}
