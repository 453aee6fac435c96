import Foundation
import Testing
@testable import EventHTTP
@testable import IDVBFF

@Suite("IDV session response")
struct IDVSessionResponseTests {
    private let session = IDVSession(token: "tok_abc", expiresAt: "2026-01-01T00:10:00Z")

    @Test func bodyHasTokenExpiresAtAndEnvInThatOrder() {
        let response = IDVSessionResponse(session: session, environment: .prod).httpResponse
        #expect(String(decoding: response.body, as: UTF8.self)
            == #"{"token":"tok_abc","expiresAt":"2026-01-01T00:10:00Z","env":"prod"}"#)
    }

    @Test func envNamesTheConfiguredDeployment() {
        let response = IDVSessionResponse(session: session, environment: .stage).httpResponse
        #expect(String(decoding: response.body, as: UTF8.self).hasSuffix(#","env":"stage"}"#))
    }

    @Test func isAnUncacheableJSON200() {
        let response = IDVSessionResponse(session: session, environment: .prod).httpResponse
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"] == "application/json")
        #expect(response.hardened().headers["Cache-Control"] == "no-store")
    }

    @Test func escapesOddUpstreamValues() throws {
        let odd = IDVSession(token: "a\"b\\c\n\u{2028}</script>", expiresAt: "é")
        let body = IDVSessionResponse(session: odd, environment: .prod).jsonBody
        let document = try StrictJSON.parse(body)
        #expect(document["token"] == .string(odd.token))
        #expect(document["expiresAt"] == .string("é"))
    }
}
