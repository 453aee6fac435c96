import Testing
@testable import EventHTTP
@testable import IDVBFF

@Suite("CORS origins")
struct CORSOriginTests {
    // MARK: Normalisation

    @Test func normalisesCaseAndDefaultPort() throws {
        #expect(try CORSOrigin(validating: "HTTPS://App.Example.com:443") == CORSOrigin(validating: "https://app.example.com"))
        #expect(try CORSOrigin(validating: "http://LOCALHOST:80").description == "http://localhost")
    }

    @Test func acceptsOneTrailingSlash() throws {
        #expect(try CORSOrigin(validating: "https://app.example.com/").description == "https://app.example.com")
    }

    @Test func trimsSurroundingSpaces() throws {
        #expect(try CORSOrigin(validating: "  https://app.example.com\t").description == "https://app.example.com")
    }

    @Test func keepsANonDefaultPort() throws {
        let origin = try CORSOrigin(validating: "http://localhost:3000")
        #expect(origin.port == 3000)
        #expect(origin.description == "http://localhost:3000")
        #expect(try CORSOrigin(validating: "https://app.example.com:80").description == "https://app.example.com:80")
    }

    @Test func defaultPortOfTheOtherSchemeIsADifferentOrigin() throws {
        #expect(try CORSOrigin(validating: "http://app.example.com") != CORSOrigin(validating: "https://app.example.com"))
        #expect(try CORSOrigin(validating: "https://app.example.com:8443") != CORSOrigin(validating: "https://app.example.com"))
    }

    @Test func acceptsIPAddresses() throws {
        #expect(try CORSOrigin(validating: "http://127.0.0.1:8080").description == "http://127.0.0.1:8080")
        #expect(try CORSOrigin(validating: "http://[::1]:3000").description == "http://[::1]:3000")
        #expect(try CORSOrigin(validating: "https://[2001:DB8::1]").description == "https://[2001:db8::1]")
    }

    @Test func acceptsPunycodeHosts() throws {
        #expect(try CORSOrigin(validating: "https://xn--bcher-kva.example").host == "xn--bcher-kva.example")
    }

    // MARK: Rejections

    struct RejectionCase: Sendable, CustomTestStringConvertible {
        let text: String
        let rejection: CORSOrigin.Rejection
        var testDescription: String { text.isEmpty ? "(empty)" : text }
    }

    static let rejections: [RejectionCase] = [
        .init(text: "", rejection: .empty),
        .init(text: "   ", rejection: .empty),
        .init(text: "null", rejection: .null),
        .init(text: "NULL", rejection: .null),
        .init(text: "*", rejection: .wildcard),
        .init(text: "https://*.example.com", rejection: .wildcard),
        .init(text: "*.example.com", rejection: .wildcard),
        .init(text: "app.example.com", rejection: .missingScheme),
        .init(text: "localhost:3000", rejection: .missingScheme),
        .init(text: "//app.example.com", rejection: .missingScheme),
        .init(text: "ftp://app.example.com", rejection: .unsupportedScheme("ftp")),
        .init(text: "chrome-extension://abcdef", rejection: .unsupportedScheme("chrome-extension")),
        .init(text: "https://user:secret@app.example.com", rejection: .containsUserInfo),
        .init(text: "https://", rejection: .missingHost),
        .init(text: "https://:443", rejection: .missingHost),
        .init(text: "https://app..example.com", rejection: .invalidHost),
        .init(text: "https://app example.com", rejection: .invalidHost),
        .init(text: "https://bücher.example", rejection: .invalidHost),
        .init(text: "https://[::1", rejection: .invalidHost),
        .init(text: "https://[zz]", rejection: .invalidHost),
        .init(text: "https://app.example.com:", rejection: .invalidPort),
        .init(text: "https://app.example.com:0", rejection: .invalidPort),
        .init(text: "https://app.example.com:65536", rejection: .invalidPort),
        .init(text: "https://app.example.com:https", rejection: .invalidPort),
        .init(text: "https://app.example.com/idv", rejection: .containsPath),
        .init(text: "https://app.example.com//", rejection: .containsPath),
        .init(text: "https://app.example.com?x=1", rejection: .containsQuery),
        .init(text: "https://app.example.com/?x=1", rejection: .containsQuery),
        .init(text: "https://app.example.com#top", rejection: .containsFragment),
    ]

    @Test(arguments: rejections)
    func rejectsWhatIsNotABareOrigin(example: RejectionCase) {
        #expect(throws: example.rejection) { try CORSOrigin(validating: example.text) }
    }

    @Test(arguments: rejections)
    func rejectionsNeverQuoteTheText(example: RejectionCase) {
        #expect(!example.rejection.description.contains("secret"))
        #expect(example.rejection.description.first?.isLowercase == true)
    }

    // MARK: Configured lists

    @Test func emptyListIsSameOriginOnly() {
        let parsed = CORSAllowedOrigins.parsing([])
        #expect(parsed.allowed == .sameOriginOnly)
        #expect(parsed.problems.isEmpty)
        #expect(CORSAllowedOrigins.origins([]) == .sameOriginOnly)
    }

    @Test func loneStarIsAnyOrigin() {
        let parsed = CORSAllowedOrigins.parsing([" * "])
        #expect(parsed.allowed == .any)
        #expect(parsed.problems.isEmpty)
    }

    @Test func starAmongOriginsIsAProblem() {
        let parsed = CORSAllowedOrigins.parsing(["https://app.example.com", "*"])
        #expect(parsed.problems.map(\.reason) == [.anyAmongOrigins])
        #expect(parsed.problems.first?.description == "* (any origin) must be the only entry when it is used")
    }

    @Test func listCollapsesSpellingsOfOneOrigin() throws {
        let parsed = CORSAllowedOrigins.parsing(["https://app.example.com", "HTTPS://APP.example.com:443/", "http://localhost:3000"])
        #expect(parsed.problems.isEmpty)
        #expect(try parsed.allowed == .exactly([
            CORSOrigin(validating: "https://app.example.com"), CORSOrigin(validating: "http://localhost:3000"),
        ]))
    }

    @Test func reportsEveryInvalidEntryWithItsPosition() {
        let parsed = CORSAllowedOrigins.parsing([
            "https://app.example.com", "https://app.example.com/idv", "null", "app.example.com", "https://*.example.com",
        ])
        #expect(parsed.problems.map(\.position) == [2, 3, 4, 5])
        #expect(parsed.problems.map(\.reason) == [
            .notAnOrigin(.containsPath), .notAnOrigin(.null), .notAnOrigin(.missingScheme), .notAnOrigin(.wildcard),
        ])
        #expect(parsed.problems[0].description
            == #"entry 2 "https://app.example.com/idv" has a path; an origin is only scheme://host[:port]"#)
    }

    @Test func keepsTheValidEntriesOfAListWithProblems() throws {
        let parsed = CORSAllowedOrigins.parsing(["https://app.example.com", "ftp://files.example.com"])
        #expect(try parsed.allowed == .exactly([CORSOrigin(validating: "https://app.example.com")]))
        #expect(parsed.problems.map(\.reason) == [.notAnOrigin(.unsupportedScheme("ftp"))])
    }

    @Test func userInfoProblemDoesNotQuoteTheEntry() {
        let parsed = CORSAllowedOrigins.parsing(["https://admin:hunter2@app.example.com"])
        #expect(parsed.problems.map(\.description) == ["entry 1 must not contain a user name or password"])
    }

    @Test func problemsShowOddCharactersAsEscapes() {
        let parsed = CORSAllowedOrigins.parsing(["https://app.example.com/\u{202E}\n"])
        #expect(parsed.problems.first?.description.contains(#"\u{202E}\u{A}"#) == true)
    }

    @Test func optionsClampANegativeMaxAge() {
        #expect(CORSOptions(allowedOrigins: .any, maxAgeSeconds: -5).maxAgeSeconds == 0)
        #expect(CORSOptions.sameOriginOnly.maxAgeSeconds == 600)
    }
}
