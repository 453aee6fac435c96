import Foundation
import Testing
@testable import EventHTTP
@testable import IDVBFF

@Suite("Contact policy")
struct ContactPolicyTests {
    typealias Provider = TestIdentityProvider

    private static let now = Provider.now

    private func jwtPolicy(allowNewContacts: Bool = false) async throws -> ContactPolicy {
        let provider = try await Provider.shared.value
        return .jwt(try await provider.verifier(options: Provider.options(allowNewContacts: allowNewContacts)))
    }

    private func bearer(_ claims: [String: any Sendable] = Provider.claims()) async throws -> String {
        "Bearer " + (try await Provider.shared.value.token(claims: claims))
    }

    // MARK: body and none

    @Test(arguments: [nil, "contact_9"] as [String?])
    func bodyPolicyPassesTheBodyContactThrough(contactId: String?) {
        let result = ContactPolicy.body.resolveContact(bodyContactId: contactId, authorization: "Basic abc", now: Self.now)
        #expect(result == .success(contactId))
    }

    @Test func nonePolicyAllowsANewContact() {
        #expect(ContactPolicy.none.resolveContact(bodyContactId: nil, authorization: nil, now: Self.now) == .success(nil))
    }

    @Test func nonePolicyRefusesABodyContactId() throws {
        let result = ContactPolicy.none.resolveContact(bodyContactId: "contact_9", authorization: nil, now: Self.now)
        guard case .failure(let rejection) = result else {
            Issue.record("a body contactId must be refused")
            return
        }
        #expect(rejection.apiError == .newContactsOnly)
        #expect(rejection.apiError.response(requestID: "r").status == 403)
        #expect(rejection.apiError.code == "contact_forbidden")
        // The operator learns which setting to change, and the safe choice.
        #expect(rejection.apiError.message.contains("CONTACT_POLICY=jwt"))
        #expect(!rejection.logReason.contains("contact_9"))
    }

    // MARK: jwt

    @Test func jwtPolicyTakesTheContactFromTheToken() async throws {
        let result = try await jwtPolicy().resolveContact(bodyContactId: nil, authorization: bearer(), now: Self.now)
        #expect(result == .success(Provider.contactId))
    }

    @Test func jwtPolicyAcceptsABodyContactIdEqualToTheClaim() async throws {
        let result = try await jwtPolicy().resolveContact(
            bodyContactId: Provider.contactId, authorization: bearer(), now: Self.now)
        #expect(result == .success(Provider.contactId))
    }

    @Test func jwtPolicyRefusesABodyContactIdThatDiffersFromTheClaim() async throws {
        let result = try await jwtPolicy().resolveContact(bodyContactId: "contact_other", authorization: bearer(), now: Self.now)
        guard case .failure(let rejection) = result else {
            Issue.record("a different body contactId must be refused")
            return
        }
        #expect(rejection.apiError == .contactForbidden)
        #expect(rejection.logReason == "the request's contactId differs from the token's clientloop_contact_id claim")
        #expect(rejection.tokenFailureReason == "forbidden_contact")  // the idv_jwt_rejections_total label
    }

    @Test("a refused token is labelled for idv_jwt_rejections_total by its kind, never by its content")
    func jwtRejectionMetricReasons() async throws {
        let missing = try await jwtPolicy().resolveContact(bodyContactId: nil, authorization: nil, now: Self.now)
        #expect(missing.failureError?.tokenFailureReason == "missing_authorization")
        let notBearer = try await jwtPolicy().resolveContact(bodyContactId: nil, authorization: "Basic abc", now: Self.now)
        #expect(notBearer.failureError?.tokenFailureReason == "not_bearer")
        let expired = ContactRejection.unauthorized(.expired(expiration: 1, now: 100, leewaySeconds: 30))
        #expect(expired.tokenFailureReason == "expired")
        // The none policy involves no token: nothing to count as a JWT rejection.
        let none = ContactPolicy.none.resolveContact(bodyContactId: "contact_9", authorization: nil, now: Self.now)
        #expect(none.failureError?.apiError == .newContactsOnly)
        #expect(none.failureError?.tokenFailureReason == nil)
    }

    @Test func jwtPolicyAllowsANewContactWhenTheClaimIsAbsentAndNewContactsAreAllowed() async throws {
        let authorization = try await bearer(Provider.claims(["clientloop_contact_id": nil]))
        let result = try await jwtPolicy(allowNewContacts: true).resolveContact(
            bodyContactId: nil, authorization: authorization, now: Self.now)
        #expect(result == .success(nil))
    }

    @Test func jwtPolicyRefusesABodyContactIdWhenTheClaimIsAbsent() async throws {
        let authorization = try await bearer(Provider.claims(["clientloop_contact_id": nil]))
        let result = try await jwtPolicy(allowNewContacts: true).resolveContact(
            bodyContactId: "contact_9", authorization: authorization, now: Self.now)
        #expect(result.failureError?.apiError == .contactForbidden)
    }

    @Test func jwtPolicyRefusesAMissingClaimWhenNewContactsAreNotAllowed() async throws {
        let authorization = try await bearer(Provider.claims(["clientloop_contact_id": nil]))
        let result = try await jwtPolicy(allowNewContacts: false).resolveContact(
            bodyContactId: nil, authorization: authorization, now: Self.now)
        #expect(result == .failure(.forbidden(
            "the token has no clientloop_contact_id claim and jwt.allow_new_contacts is false")))
    }

    @Test func jwtPolicyAnswersAnInvalidTokenWith401AndAGenericChallenge() async throws {
        let authorization = try await bearer(Provider.claims(["iss": "https://evil.example.com/"]))
        let result = try await jwtPolicy().resolveContact(bodyContactId: nil, authorization: authorization, now: Self.now)
        let rejection = try #require(result.failureError)
        #expect(rejection.apiError == .unauthorized)
        #expect(rejection.logReason.contains("issuer"))
        let response = rejection.apiError.response(requestID: "r")
        #expect(response.status == 401)
        #expect(response.headers["WWW-Authenticate"] == #"Bearer error="invalid_token""#)
        #expect(!String(decoding: response.body, as: UTF8.self).contains("issuer"))
    }

    @Test func jwtPolicyChecksTheTokenBeforeTheBodyContactId() async throws {
        let result = try await jwtPolicy().resolveContact(bodyContactId: "contact_other", authorization: nil, now: Self.now)
        #expect(result == .failure(.unauthorized(.missingAuthorization)))
    }

    @Test func jwtPolicyAcceptsTheSchemeInAnyLetterCase() async throws {
        let token = try await Provider.shared.value.token()
        let result = try await jwtPolicy().resolveContact(bodyContactId: nil, authorization: "bEARER " + token, now: Self.now)
        #expect(result == .success(Provider.contactId))
    }

    @Test(arguments: [
        nil, "", "Basic dXNlcjpwYXNzd29yZA==", "Bearer", "Bearer ", "Bearer  TOKEN", " Bearer TOKEN", "Bearer TOKEN ",
        "Bearer TOKEN TOKEN", "Bearer\tTOKEN", "Token TOKEN",
    ] as [String?])
    func jwtPolicyRefusesMalformedAuthorizationHeaders(template: String?) async throws {
        let token = try await Provider.shared.value.token()
        let authorization = template?.replacingOccurrences(of: "TOKEN", with: token)
        let result = try await jwtPolicy().resolveContact(bodyContactId: nil, authorization: authorization, now: Self.now)
        let rejection = try #require(result.failureError)
        #expect(rejection.apiError == .unauthorized)
        #expect(!rejection.logReason.contains(token))
        #expect(!rejection.logReason.contains("dXNlcjpwYXNzd29yZA"))
    }

    @Test func policiesHaveTheirSettingNames() async throws {
        #expect(ContactPolicy.body.name == "body")
        #expect(ContactPolicy.none.name == "none")
        #expect(try await jwtPolicy().name == "jwt")
    }
}

extension Result {
    /// The error of a failure, for tests that only look at it.
    var failureError: Failure? {
        guard case .failure(let error) = self else { return nil }
        return error
    }
}
