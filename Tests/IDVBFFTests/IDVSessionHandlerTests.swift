import Logging
import Synchronization
import Testing
@testable import EventHTTP
@testable import IDVBFF

@Suite("IDV session handler")
struct IDVSessionHandlerTests {
    /// Answers every call with a fixed result, at once, and remembers what it was asked.
    private final class ScriptedClient: ClientLoopClient {
        let answer: Result<IDVSession, UpstreamFailure>
        private(set) var calls: [(contactId: String?, requestID: String)] = []

        init(answer: Result<IDVSession, UpstreamFailure>) {
            self.answer = answer
        }

        func createIdvSession(
            contactId: String?,
            requestID: String,
            propagating headers: HTTPHeaders,
            completion: @escaping (Result<IDVSession, UpstreamFailure>) -> Void
        ) {
            calls.append((contactId: contactId, requestID: requestID))
            completion(answer)
        }
    }

    private final class Lines: Sendable {
        let captured = Mutex<[String]>([])
        var all: [String] { captured.withLock { $0 } }
    }

    private struct Outcome {
        let responses: [HTTPResponse]
        let client: ScriptedClient
        let logLines: [String]

        var response: HTTPResponse { responses[0] }
        var bodyText: String { String(decoding: response.body, as: UTF8.self) }
    }

    private static let session = IDVSession(token: "tok_SECRET_123", expiresAt: "2026-01-01T00:10:00Z")

    private func run(
        body: String = "",
        contentType: String? = nil,
        answer: Result<IDVSession, UpstreamFailure> = .success(session),
        environment: ClientLoopEnvironment = .prod,
        contactPolicy: ContactPolicy = .body
    ) -> Outcome {
        let client = ScriptedClient(answer: answer)
        let lines = Lines()
        let handler = JSONLogHandler(label: "test", level: .trace) { line in lines.captured.withLock { $0.append(line) } }
        let logger = Logger(label: "test", factory: { _ in handler })
        var headers: HTTPHeaders = [:]
        if let contentType {
            headers.add(name: "Content-Type", value: contentType)
        }
        let request = HTTPRequest(method: .post, path: "/idv-session", headers: headers, body: Array(body.utf8))
        var responses: [HTTPResponse] = []
        IDVSessionHandler(client: client, environment: environment, contactPolicy: contactPolicy)
            .handle(request, context: RequestContext(requestID: "req-1", logger: logger)) { responses.append($0) }
        return Outcome(responses: responses, client: client, logLines: lines.all)
    }

    // MARK: Success

    @Test func answersWithTheSessionForANewContact() {
        let outcome = run()
        #expect(outcome.responses.count == 1)
        #expect(outcome.response.status == 200)
        #expect(outcome.bodyText == #"{"token":"tok_SECRET_123","expiresAt":"2026-01-01T00:10:00Z","env":"prod"}"#)
        #expect(outcome.response.headers["Content-Type"] == "application/json")
        #expect(outcome.response.hardened().headers["Cache-Control"] == "no-store")
        #expect(outcome.client.calls.count == 1)
        #expect(outcome.client.calls.first?.contactId == nil)
    }

    @Test func passesTheContactIdAndRequestIDToTheClient() {
        let outcome = run(body: #"{"contactId":"ct_42"}"#, contentType: "application/json")
        #expect(outcome.response.status == 200)
        #expect(outcome.client.calls.first?.contactId == "ct_42")
        #expect(outcome.client.calls.first?.requestID == "req-1")
    }

    @Test func newContactsOnlyPolicyRefusesABodyContactIdWithoutCallingClientLoop() {
        let outcome = run(body: #"{"contactId":"ct_42"}"#, contentType: "application/json", contactPolicy: .none)
        #expect(outcome.response.status == 403)
        #expect(outcome.client.calls.isEmpty)
        #expect(outcome.bodyText.contains(#""code":"contact_forbidden""#))
        #expect(outcome.bodyText.contains("CONTACT_POLICY=jwt"))
    }

    @Test func echoesTheConfiguredEnvironment() {
        #expect(run(environment: .stage).bodyText.hasSuffix(#""env":"stage"}"#))
    }

    @Test func neverLogsTheToken() {
        let outcome = run()
        #expect(!outcome.logLines.joined().contains("tok_SECRET"))
    }

    // MARK: Invalid requests

    @Test(arguments: [
        (#"{"contactId":"a","contactId":"b"}"#, "application/json", 400, "invalid_json"),
        ("{", "application/json", 400, "invalid_json"),
        (#"{"orgId":"org_other"}"#, "application/json", 400, "invalid_request"),
        (#"{"contactId":5}"#, "application/json", 400, "invalid_request"),
        (#"{"contactId":"c1"}"#, "text/plain", 415, "unsupported_media_type"),
        (#"{"contactId":"c1"}"#, nil, 415, "unsupported_media_type"),
    ] as [(String, String?, Int, String)])
    func rejectsInvalidBodiesWithoutCallingClientLoop(body: String, contentType: String?, status: Int, code: String) {
        let outcome = run(body: body, contentType: contentType)
        #expect(outcome.response.status == status)
        #expect(outcome.bodyText.contains(#""code":""# + code + #"""#))
        #expect(outcome.bodyText.contains(#""requestId":"req-1""#))
        #expect(outcome.response.hardened().headers["Cache-Control"] == "no-store")
        #expect(outcome.client.calls.isEmpty)
    }

    @Test func neverLogsTheRequestBody() {
        let outcome = run(body: #"{"contactId":"BODY_MARKER","x":1}"#, contentType: "application/json")
        #expect(!outcome.logLines.joined().contains("BODY_MARKER"))
    }

    // MARK: Upstream failures

    @Test(arguments: [
        (UpstreamFailure.graphQLErrors(["nope"]), 502, "upstream_error"),
        (.missingData, 502, "upstream_error"),
        (.malformedResponse("not JSON"), 502, "upstream_error"),
        (.httpStatus(500), 502, "upstream_error"),
        (.responseTooLarge, 502, "upstream_error"),
        (.authenticationRejected(status: 401), 502, "upstream_auth_failed"),
        (.rateLimited(retryAfterSeconds: 12), 503, "upstream_busy"),
        (.busy, 503, "upstream_busy"),
        (.unavailable("connection refused"), 502, "upstream_unavailable"),
        (.timeout, 504, "upstream_timeout"),
    ] as [(UpstreamFailure, Int, String)])
    func answersUpstreamFailuresWithTheirAPIError(failure: UpstreamFailure, status: Int, code: String) {
        let outcome = run(answer: .failure(failure))
        #expect(outcome.responses.count == 1)
        #expect(outcome.response.status == status)
        #expect(outcome.bodyText.contains(#""code":""# + code + #"""#))
        #expect(outcome.response.hardened().headers["Cache-Control"] == "no-store")
    }

    @Test func busyAnswersCarryRetryAfter() {
        #expect(run(answer: .failure(.rateLimited(retryAfterSeconds: 12))).response.headers["Retry-After"] == "12")
        #expect(run(answer: .failure(.busy)).response.headers["Retry-After"] == "1")
    }

    @Test func logsFailuresAtErrorLevelWithTheirDetail() throws {
        let outcome = run(answer: .failure(.graphQLErrors(["Contact not found"])))
        let line = try #require(outcome.logLines.first)
        #expect(outcome.logLines.count == 1)
        #expect(line.contains(#""level":"error""#))
        #expect(line.contains(#""message":"ClientLoop call failed""#))
        #expect(line.contains(#""upstream_failure":"GraphQL errors: Contact not found""#))
    }

    @Test func logsARejectedKeyAsSuch() throws {
        let outcome = run(answer: .failure(.authenticationRejected(status: 403)))
        let line = try #require(outcome.logLines.first)
        #expect(line.contains(#""level":"error""#))
        #expect(line.contains(#""message":"ClientLoop rejected the API key""#))
    }

    @Test func failureResponsesNeverCarryUpstreamDetail() {
        let outcome = run(answer: .failure(.graphQLErrors(["internal: org org_123 key sk_live"])))
        #expect(!outcome.bodyText.contains("org_123"))
        #expect(!outcome.bodyText.contains("sk_live"))
    }
}
