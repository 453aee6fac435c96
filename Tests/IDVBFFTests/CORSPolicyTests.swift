import Testing
@testable import EventHTTP
@testable import IDVBFF

@Suite("CORS policy decisions")
struct CORSPolicyTests {
    private static let app = "https://app.example.com"

    private static func policy(_ origins: String...) -> CORSPolicy {
        CORSPolicy(CORSOptions(allowedOrigins: CORSAllowedOrigins.parsing(origins).allowed))
    }

    private static let listed = policy(app, "http://localhost:3000")
    private static let anyOrigin = CORSPolicy(CORSOptions(allowedOrigins: .any))
    private static let sameOriginOnly = CORSPolicy(.sameOriginOnly)

    private static func preflight(
        origin: String = app, method: String = "POST", requestHeaders: String? = "content-type", host: String = "api.example.com"
    ) -> HTTPHeaders {
        var headers: HTTPHeaders = ["Host": host, "Origin": origin, "Access-Control-Request-Method": method]
        if let requestHeaders {
            headers.add(name: "Access-Control-Request-Headers", value: requestHeaders)
        }
        return headers
    }

    private static func actual(origin: String?, host: String = "api.example.com") -> HTTPHeaders {
        var headers: HTTPHeaders = ["Host": host, "Content-Type": "application/json"]
        if let origin {
            headers.add(name: "Origin", value: origin)
        }
        return headers
    }

    private static func decideOptions(_ policy: CORSPolicy, _ headers: HTTPHeaders) -> CORSDecision {
        policy.decide(method: .options, headers: headers)
    }

    private static func allowedHeaders(_ decision: CORSDecision) -> HTTPHeaders? {
        switch decision {
        case .preflightAllowed(let headers), .actualAllowed(let headers): headers
        case .notCORS, .sameOrigin, .refused: nil
        }
    }

    // MARK: Preflight

    @Test func preflightFromAnAllowedOriginIsAnsweredInFull() {
        let decision = Self.decideOptions(Self.listed, Self.preflight(requestHeaders: "Content-Type, X-Request-Id"))
        #expect(decision == .preflightAllowed(headers: [
            "Access-Control-Allow-Origin": "https://app.example.com",
            "Access-Control-Allow-Methods": "POST",
            "Access-Control-Allow-Headers": "Content-Type, Authorization, X-Request-Id, Idempotency-Key",
            "Access-Control-Max-Age": "600",
            "Vary": "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
        ]))
    }

    @Test func preflightWithoutRequestedHeadersIsAllowed() {
        #expect(Self.allowedHeaders(Self.decideOptions(Self.listed, Self.preflight(requestHeaders: nil))) != nil)
    }

    @Test func preflightSendsTheConfiguredMaxAge() {
        let policy = CORSPolicy(CORSOptions(allowedOrigins: .any, maxAgeSeconds: 86_400))
        let headers = Self.allowedHeaders(Self.decideOptions(policy, Self.preflight()))
        #expect(headers?["Access-Control-Max-Age"] == "86400")
    }

    @Test func preflightMatchesRequestedHeadersIgnoringCaseSpacesAndEmptyMembers() {
        let requested = " AUTHORIZATION ,x-request-id,, \tContent-Type ,"
        #expect(Self.allowedHeaders(Self.decideOptions(Self.listed, Self.preflight(requestHeaders: requested))) != nil)
    }

    @Test func preflightReadsRequestedHeadersSplitOverSeveralFields() {
        var headers = Self.preflight(requestHeaders: "content-type")
        headers.add(name: "access-control-request-headers", value: "x-debug")
        #expect(Self.decideOptions(Self.listed, headers) == .refused(.headersNotAllowed(["x-debug"])))
    }

    @Test func preflightFromAnotherOriginIsRefused() {
        let decision = Self.decideOptions(Self.listed, Self.preflight(origin: "https://evil.example"))
        #expect(decision == .refused(.originNotAllowed(CORSOrigin(scheme: .https, host: "evil.example"))))
    }

    @Test(arguments: ["GET", "PUT", "DELETE", "post", "PATCH"])
    func preflightForAnotherMethodIsRefused(method: String) {
        #expect(Self.decideOptions(Self.listed, Self.preflight(method: method)) == .refused(.methodNotAllowed(method)))
    }

    @Test func preflightForDisallowedHeadersIsRefusedNamingThem() {
        let decision = Self.decideOptions(Self.listed, Self.preflight(requestHeaders: "content-type, X-Debug, Cookie"))
        #expect(decision == .refused(.headersNotAllowed(["x-debug", "cookie"])))
    }

    @Test func preflightForCredentialHeadersIsRefusedEvenWithAnyOrigin() {
        let decision = Self.decideOptions(Self.anyOrigin, Self.preflight(requestHeaders: "cookie"))
        #expect(decision == .refused(.headersNotAllowed(["cookie"])))
    }

    @Test func optionsWithoutRequestMethodIsNotAPreflight() {
        let headers: HTTPHeaders = ["Host": "api.example.com", "Origin": "https://evil.example"]
        #expect(Self.decideOptions(Self.listed, headers) == .notCORS)
    }

    @Test func optionsWithoutOriginIsNotCORS() {
        let headers: HTTPHeaders = ["Host": "api.example.com", "Access-Control-Request-Method": "POST"]
        #expect(Self.decideOptions(Self.listed, headers) == .notCORS)
    }

    // MARK: Actual requests

    @Test func requestFromAnAllowedOriginGetsCORSHeaders() {
        #expect(Self.listed.decide(method: .post, headers: Self.actual(origin: Self.app)) == .actualAllowed(headers: [
            "Access-Control-Allow-Origin": "https://app.example.com",
            "Access-Control-Expose-Headers": "X-Request-Id, Retry-After, RateLimit, RateLimit-Policy, Idempotent-Replayed",
            "Vary": "Origin",
        ]))
    }

    @Test func requestFromADisallowedOriginIsRefused() {
        let decision = Self.listed.decide(method: .post, headers: Self.actual(origin: "https://app.example.com.evil.example"))
        #expect(decision == .refused(.originNotAllowed(CORSOrigin(scheme: .https, host: "app.example.com.evil.example"))))
    }

    @Test func requestWithoutOriginIsNotCORS() {
        #expect(Self.listed.decide(method: .post, headers: Self.actual(origin: nil)) == .notCORS)
        #expect(Self.sameOriginOnly.decide(method: .post, headers: Self.actual(origin: nil)) == .notCORS)
    }

    @Test func decidesFromAWholeRequestToo() {
        let request = HTTPRequest(method: .post, path: "/idv-session", headers: Self.actual(origin: "https://evil.example"))
        #expect(Self.listed.decide(request) == .refused(.originNotAllowed(CORSOrigin(scheme: .https, host: "evil.example"))))
    }

    @Test func nullOriginIsRefused() {
        #expect(Self.listed.decide(method: .post, headers: Self.actual(origin: "null")) == .refused(.opaqueOrigin))
    }

    @Test(arguments: ["https://app.example.com/path", "app.example.com", "https://user@app.example.com", ""])
    func malformedOriginIsRefused(origin: String) {
        #expect(Self.listed.decide(method: .post, headers: Self.actual(origin: origin)) == .refused(.malformedOrigin))
    }

    @Test func twoOriginFieldsAreRefusedEvenIfBothAreAllowed() {
        var headers = Self.actual(origin: Self.app)
        headers.add(name: "origin", value: Self.app)
        #expect(Self.listed.decide(method: .post, headers: headers) == .refused(.malformedOrigin))
    }

    /// Browsers send serialised origins only; any other spelling of an allowed origin is not one a browser sends.
    @Test(arguments: ["https://app.example.com/", "HTTPS://App.Example.com", "https://app.example.com:443", " https://app.example.com"])
    func originMustEqualAnAllowedOriginByteForByte(origin: String) {
        #expect(Self.listed.decide(method: .post, headers: Self.actual(origin: origin)) == .refused(.malformedOrigin))
        #expect(Self.decideOptions(Self.listed, Self.preflight(origin: origin)) == .refused(.malformedOrigin))
    }

    @Test func configuredSpellingDoesNotMatter() {
        let policy = Self.policy("HTTPS://App.Example.com:443/")
        #expect(Self.allowedHeaders(policy.decide(method: .post, headers: Self.actual(origin: Self.app))) != nil)
    }

    @Test func portAndSchemeMustMatch() {
        for origin in ["http://app.example.com", "https://app.example.com:8443", "http://localhost:3001", "https://localhost:3000"] {
            guard case .refused = Self.listed.decide(method: .post, headers: Self.actual(origin: origin)) else {
                Issue.record("\(origin) must be refused")
                continue
            }
        }
    }

    @Test func listedPolicyDoesNotTreatTheHostAsAllowed() {
        let headers = Self.actual(origin: "https://api.example.com", host: "api.example.com")
        #expect(Self.listed.decide(method: .post, headers: headers)
            == .refused(.originNotAllowed(CORSOrigin(scheme: .https, host: "api.example.com"))))
    }

    // MARK: Any origin

    @Test func anyOriginAnswersPreflightsWithStar() {
        let headers = Self.allowedHeaders(Self.decideOptions(Self.anyOrigin, Self.preflight(origin: "https://whoever.example")))
        #expect(headers?["Access-Control-Allow-Origin"] == "*")
        #expect(headers?["Vary"] == "Origin, Access-Control-Request-Method, Access-Control-Request-Headers")
    }

    @Test func anyOriginAnswersRequestsWithStar() {
        let headers = Self.allowedHeaders(Self.anyOrigin.decide(method: .post, headers: Self.actual(origin: "null")))
        #expect(headers?["Access-Control-Allow-Origin"] == "*")
        #expect(headers?["Vary"] == "Origin")
    }

    @Test func anyOriginStillRefusesOtherMethods() {
        #expect(Self.decideOptions(Self.anyOrigin, Self.preflight(method: "PUT")) == .refused(.methodNotAllowed("PUT")))
    }

    @Test func anyOriginLeavesRequestsWithoutOriginAlone() {
        #expect(Self.anyOrigin.decide(method: .post, headers: Self.actual(origin: nil)) == .notCORS)
    }

    // MARK: Same origin only (empty list)

    @Test func emptyListServesTheRequestsOwnOriginWithItsScheme() {
        let http = Self.actual(origin: "http://api.example.com")
        let https = Self.actual(origin: "https://api.example.com")
        #expect(Self.sameOriginOnly.decide(method: .post, headers: http) == .sameOrigin)
        #expect(Self.sameOriginOnly.decide(method: .post, headers: https, scheme: .https) == .sameOrigin)
        // The right host over the other scheme is another origin: a plain-HTTP listener is not https://its-host.
        #expect(Self.sameOriginOnly.decide(method: .post, headers: https)
            == .refused(.originNotAllowed(CORSOrigin(scheme: .https, host: "api.example.com"))))
        #expect(Self.sameOriginOnly.decide(method: .post, headers: http, scheme: .https)
            == .refused(.originNotAllowed(CORSOrigin(scheme: .http, host: "api.example.com"))))
    }

    @Test func theSchemeComesFromXForwardedProtoOfTrustedProxiesOnly() {
        let proxies = ClientAddressResolver(trustedProxies: TrustedProxies([CIDR("10.0.0.0/8")!]))
        let policy = CORSPolicy(.sameOriginOnly, proxies: proxies)
        func request(from peer: String, forwardedProto: [String]) -> HTTPRequest {
            var headers = Self.actual(origin: "https://api.example.com")
            for value in forwardedProto {
                headers.add(name: "X-Forwarded-Proto", value: value)
            }
            var request = HTTPRequest(method: .post, path: "/idv-session", headers: headers)
            request.peerAddress = peer
            return request
        }
        #expect(policy.decide(request(from: "10.1.2.3", forwardedProto: ["https"])) == .sameOrigin)
        #expect(policy.decide(request(from: "10.1.2.3", forwardedProto: ["HTTPS"])) == .sameOrigin)
        let refused = CORSDecision.refused(.originNotAllowed(CORSOrigin(scheme: .https, host: "api.example.com")))
        // Anyone else's X-Forwarded-Proto is a claim, and so is a list whose writers cannot be told apart.
        #expect(policy.decide(request(from: "192.0.2.7", forwardedProto: ["https"])) == refused)
        #expect(policy.decide(request(from: "10.1.2.3", forwardedProto: ["https, http"])) == refused)
        #expect(policy.decide(request(from: "10.1.2.3", forwardedProto: ["https", "https"])) == refused)
        #expect(policy.decide(request(from: "10.1.2.3", forwardedProto: [])) == refused)
    }

    @Test func startUpNotesSayHowTheOriginsApply() {
        #expect(Self.listed.startupNotes == [CORSPolicy.listedOriginsNote])
        #expect(Self.sameOriginOnly.startupNotes == [CORSPolicy.sameOriginOnlyNote])
        #expect(Self.anyOrigin.startupNotes.isEmpty)
    }

    @Test func emptyListComparesPortsWithTheHost() {
        let withPort = Self.actual(origin: "http://localhost:8080", host: "localhost:8080")
        #expect(Self.sameOriginOnly.decide(method: .post, headers: withPort) == .sameOrigin)
        let defaultPort = Self.actual(origin: "https://api.example.com", host: "api.example.com:443")
        #expect(Self.sameOriginOnly.decide(method: .post, headers: defaultPort, scheme: .https) == .sameOrigin)
        let otherPort = Self.actual(origin: "http://localhost:3000", host: "localhost:8080")
        #expect(Self.sameOriginOnly.decide(method: .post, headers: otherPort)
            == .refused(.originNotAllowed(CORSOrigin(scheme: .http, host: "localhost", port: 3000))))
    }

    @Test func emptyListRefusesEveryOtherOrigin() {
        let decision = Self.sameOriginOnly.decide(method: .post, headers: Self.actual(origin: Self.app))
        #expect(decision == .refused(.originNotAllowed(CORSOrigin(scheme: .https, host: "app.example.com"))))
    }

    @Test func emptyListRefusesOriginsWhenHostIsMissing() {
        let headers: HTTPHeaders = ["Origin": "https://api.example.com"]
        guard case .refused = Self.sameOriginOnly.decide(method: .post, headers: headers) else {
            Issue.record("without Host nothing is same-origin")
            return
        }
    }

    @Test func emptyListNeverAnswersAPreflight() {
        #expect(Self.decideOptions(Self.sameOriginOnly, Self.preflight())
            == .refused(.originNotAllowed(CORSOrigin(scheme: .https, host: "app.example.com"))))
        // Browsers do not preflight their own origin; if something does, the route answers as to anyone.
        #expect(Self.decideOptions(Self.sameOriginOnly, Self.preflight(origin: "http://api.example.com")) == .sameOrigin)
    }

    // MARK: Headers never sent

    @Test func neverAllowsCredentials() {
        let decisions = [
            Self.decideOptions(Self.listed, Self.preflight()),
            Self.decideOptions(Self.anyOrigin, Self.preflight()),
            Self.listed.decide(method: .post, headers: Self.actual(origin: Self.app)),
            Self.anyOrigin.decide(method: .post, headers: Self.actual(origin: Self.app)),
        ]
        for decision in decisions {
            let headers = Self.allowedHeaders(decision)
            #expect(headers != nil)
            #expect(headers?.contains("Access-Control-Allow-Credentials") == false)
        }
    }

    @Test func refusalsDescribeThemselvesForTheLog() {
        #expect(CORSRefusal.originNotAllowed(CORSOrigin(scheme: .https, host: "evil.example")).description
            == "origin https://evil.example is not allowed")
        #expect(CORSRefusal.headersNotAllowed(["x-debug", "cookie"]).description == "preflight asks for headers x-debug, cookie")
        #expect(CORSRefusal.methodNotAllowed(String(repeating: "X", count: 500)).description.count < 100)
    }

    // MARK: Start-up warnings

    @Test func warnsWhenAnyOriginMeetsTheBodyContactPolicy() {
        #expect(Self.anyOrigin.startupWarnings(contactPolicyIsBody: true)
            == ["CORS allows any origin while contact.policy is body: any web page can mint sessions for any contact id"])
    }

    @Test func doesNotWarnOtherwise() {
        #expect(Self.anyOrigin.startupWarnings(contactPolicyIsBody: false).isEmpty)
        #expect(Self.listed.startupWarnings(contactPolicyIsBody: true).isEmpty)
        #expect(Self.sameOriginOnly.startupWarnings(contactPolicyIsBody: true).isEmpty)
    }
}
