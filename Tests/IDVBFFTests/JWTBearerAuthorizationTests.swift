import Testing
@testable import EventHTTP
@testable import IDVBFF

@Suite("Bearer authorization header")
struct JWTBearerAuthorizationTests {
    @Test func readsTheTokenAfterBearerAndOneSpace() {
        #expect(JWTBearerAuthorization.token(from: "Bearer a.b.c") == .success("a.b.c"))
    }

    @Test func acceptsTheSchemeInAnyLetterCase() {
        #expect(JWTBearerAuthorization.token(from: "BEARER a.b.c") == .success("a.b.c"))
    }

    @Test func reportsAMissingHeader() {
        #expect(JWTBearerAuthorization.token(from: nil) == .failure(.missingAuthorization))
    }

    @Test func reportsOtherSchemesByNameOnly() {
        #expect(JWTBearerAuthorization.token(from: "Basic dXNlcjpwYXNz") == .failure(.notBearerScheme(scheme: "Basic")))
    }

    @Test func neverLogsASchemeThatCouldBePartOfACredential() {
        #expect(JWTBearerAuthorization.token(from: "eyJhbGciOiJSUzI1NiJ9.e30.AAAA")
            == .failure(.notBearerScheme(scheme: "(not shown)")))
    }

    @Test func reportsAMissingSpaceAfterBearer() {
        #expect(JWTBearerAuthorization.token(from: "Bearera.b.c") == .failure(.malformedAuthorization(detail: "no space after Bearer")))
    }

    @Test func reportsATabAfterBearer() {
        #expect(JWTBearerAuthorization.token(from: "Bearer\ta.b.c") == .failure(.malformedAuthorization(detail: "a tab after Bearer")))
    }

    @Test(arguments: ["Bearer", "Bearer "])
    func reportsBearerWithoutAToken(header: String) {
        #expect(JWTBearerAuthorization.token(from: header) == .failure(.malformedAuthorization(detail: "Bearer without a token")))
    }

    @Test(arguments: ["Bearer  a.b.c", "Bearer a.b.c ", "Bearer a.b .c"])
    func reportsExtraSpaces(header: String) {
        #expect(JWTBearerAuthorization.token(from: header) == .failure(.malformedAuthorization(detail: "extra spaces")))
    }

    @Test func reportsALeadingSpace() {
        #expect(JWTBearerAuthorization.token(from: " Bearer a.b.c")
            == .failure(.malformedAuthorization(detail: "it starts with a space")))
    }

    @Test(arguments: ["Bearer a.b.c=", "Bearer a+b.c.d", "Bearer a.b.\u{00E9}", "Bearer a.b.c\t"])
    func reportsCharactersAJWTCannotContain(header: String) {
        #expect(JWTBearerAuthorization.token(from: header)
            == .failure(.malformedAuthorization(detail: "the token holds characters a JWT cannot contain")))
    }

    @Test func reportsAnOverlongToken() {
        let token = String(repeating: "a", count: JWTBearerAuthorization.maximumTokenLength + 1)
        #expect(JWTBearerAuthorization.token(from: "Bearer " + token)
            == .failure(.tokenTooLong(length: JWTBearerAuthorization.maximumTokenLength + 1)))
    }
}
