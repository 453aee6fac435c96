import Testing
@testable import EventHTTP
@testable import IDVBFF

@Suite("IDV session request")
struct IDVSessionRequestTests {
    private static let json = "application/json"

    private func parse(_ body: String, contentType: String? = json) throws(APIError) -> IDVSessionRequest {
        try IDVSessionRequest.parse(contentType: contentType, body: Array(body.utf8))
    }

    private func error(_ body: String, contentType: String? = json) -> APIError? {
        do {
            _ = try parse(body, contentType: contentType)
            return nil
        } catch {
            return error
        }
    }

    private func error(bytes: [UInt8]) -> APIError? {
        do {
            _ = try IDVSessionRequest.parse(contentType: Self.json, body: bytes)
            return nil
        } catch {
            return error
        }
    }

    private func code(_ body: String, contentType: String? = json) -> String? {
        error(body, contentType: contentType)?.code
    }

    /// The field an `invalid_request` names, or `nil` for any other outcome.
    private func invalidField(_ body: String) -> String? {
        guard case .invalidRequest(let field, _)? = error(body) else { return nil }
        return field
    }

    // MARK: New contact

    @Test func emptyBodyWithoutContentTypeMeansANewContact() throws {
        #expect(try parse("", contentType: nil) == IDVSessionRequest(contactId: nil))
    }

    @Test func emptyBodyIgnoresAnyContentType() throws {
        #expect(try parse("", contentType: "text/plain") == IDVSessionRequest(contactId: nil))
        #expect(try parse("", contentType: Self.json) == IDVSessionRequest(contactId: nil))
    }

    @Test func whitespaceOnlyBodyMeansANewContact() throws {
        #expect(try parse(" \r\n\t ", contentType: nil) == IDVSessionRequest(contactId: nil))
    }

    @Test func emptyObjectMeansANewContact() throws {
        #expect(try parse("{}") == IDVSessionRequest(contactId: nil))
    }

    @Test func nullContactIdMeansANewContact() throws {
        #expect(try parse(#"{"contactId":null}"#) == IDVSessionRequest(contactId: nil))
    }

    @Test func emptyStringContactIdMeansANewContact() throws {
        #expect(try parse(#"{"contactId":""}"#) == IDVSessionRequest(contactId: nil))
    }

    // MARK: Existing contact

    @Test func acceptsAWellFormedContactId() throws {
        #expect(try parse(#"{"contactId":"ct_AZaz09-_"}"#) == IDVSessionRequest(contactId: "ct_AZaz09-_"))
    }

    @Test func acceptsWhitespaceAroundTheDocument() throws {
        #expect(try parse("\n { \"contactId\" : \"c1\" } \n") == IDVSessionRequest(contactId: "c1"))
    }

    @Test func acceptsA64CharacterContactId() throws {
        let id = String(repeating: "a", count: 64)
        #expect(try parse(#"{"contactId":""# + id + #""}"#) == IDVSessionRequest(contactId: id))
    }

    @Test func rejectsA65CharacterContactId() {
        #expect(invalidField(#"{"contactId":""# + String(repeating: "a", count: 65) + #""}"#) == "contactId")
    }

    @Test(arguments: [
        #""c\u00e9""#,  // é
        #""cé""#,
        #""😀""#,
        #""c\u0430t""#,  // Cyrillic а, a look-alike
        #""ＡＢＣ""#,  // full-width letters
        #""a b""#,
        #"" a""#,
        #""a.b""#,
        #""a/b""#,
        #""a\u0000""#,
        #""a\nb""#,
        #""a\"b""#,
    ])
    func rejectsContactIdsOutsideTheAlphabet(value: String) {
        #expect(invalidField(#"{"contactId":"# + value + "}") == "contactId")
    }

    @Test(arguments: ["1", "-3.5", "1e999999", String(repeating: "9", count: 400), "true", "false", "{}", #"{"id":"a"}"#, "[]", #"["a"]"#])
    func rejectsContactIdsThatAreNotStrings(value: String) {
        #expect(invalidField(#"{"contactId": "# + value + "}") == "contactId")
    }

    @Test func invalidContactIdMessageExplainsTheRule() throws {
        let message = try #require(error(#"{"contactId":5}"#)).message
        #expect(message.contains("contactId"))
        #expect(message.contains("64"))
    }

    // MARK: Other fields

    @Test func rejectsOrgIdInTheBody() {
        #expect(invalidField(#"{"orgId":"org_1"}"#) == "orgId")
        #expect(invalidField(#"{"contactId":"c1","orgId":"org_1"}"#) == "orgId")
    }

    @Test func orgIdMessageDoesNotEchoTheValue() throws {
        let message = try #require(error(#"{"orgId":"org_secret"}"#)).message
        #expect(!message.contains("org_secret"))
    }

    @Test func rejectsUnknownFields() {
        #expect(invalidField(#"{"contactID":"c1"}"#) == "contactID")
        #expect(invalidField(#"{"extra":null}"#) == "extra")
    }

    @Test func reportsTheFirstBadMemberInDocumentOrder() {
        #expect(invalidField(#"{"extra":1,"contactId":5}"#) == "extra")
    }

    @Test func boundsHugeFieldNamesInTheMessage() throws {
        let name = String(repeating: "k", count: 5_000)
        let failure = try #require(error(#"{""# + name + #"":1}"#))
        #expect(failure.code == "invalid_request")
        #expect(failure.message.count < 200)
    }

    @Test func escapesOddFieldNamesInTheMessage() throws {
        let failure = try #require(error(#"{"a\u202eb\n":1}"#))
        #expect(failure.message.contains(#"a\u{202E}b\u{A}"#))
        #expect(!failure.message.contains("\u{202E}"))
    }

    @Test func nestedObjectsAreNotFlattened() {
        #expect(invalidField(#"{"data":{"contactId":"c1"}}"#) == "data")
    }

    // MARK: Not JSON, or not an object

    @Test(arguments: [
        "nope",
        "{",
        #"{"contactId":"a",}"#,  // trailing comma
        "{\"contactId\":\"a\"} // comment",
        "/* c */ {}",
        #"{'contactId':'a'}"#,
        "{} {}",
        "{contactId:\"a\"}",
    ])
    func rejectsBodiesThatAreNotJSON(body: String) {
        #expect(code(body) == "invalid_json")
    }

    @Test(arguments: ["[]", #"["contactId"]"#, #""c1""#, "null", "1", "true"])
    func rejectsJSONThatIsNotAnObject(body: String) {
        #expect(code(body) == "invalid_json")
    }

    @Test func rejectsDuplicateKeys() {
        #expect(error(#"{"contactId":"a","contactId":"b"}"#) == .invalidJSON(detail: "an object repeats a key at byte 17"))
    }

    @Test func rejectsDuplicateKeysEvenWhenBothAreNull() {
        #expect(code(#"{"contactId":null,"contactId":null}"#) == "invalid_json")
    }

    @Test func rejectsAByteOrderMark() {
        #expect(error(bytes: [0xEF, 0xBB, 0xBF] + Array("{}".utf8))?.code == "invalid_json")
    }

    @Test func rejectsInvalidUTF8() {
        #expect(error(bytes: Array(#"{"contactId":""#.utf8) + [0xC0, 0xAF] + Array(#""}"#.utf8))?.code == "invalid_json")
    }

    @Test func rejects100000NestedArraysAsInvalidJSON() {
        #expect(code(String(repeating: "[", count: 100_000)) == "invalid_json")
    }

    @Test func rejectsDeeplyNestedValuesInsideTheObjectAsInvalidJSON() {
        #expect(code(#"{"contactId":"# + String(repeating: "[", count: 100_000)) == "invalid_json")
    }

    @Test func invalidJSONMessageDoesNotQuoteTheBody() throws {
        let message = try #require(error(#"{"contactId":"secret-ish" oops}"#)).message
        #expect(!message.contains("secret-ish"))
        #expect(!message.contains("oops"))
    }

    // MARK: Content-Type

    @Test(arguments: [
        "application/json",
        "APPLICATION/JSON",
        "Application/Json",
        "application/json; charset=utf-8",
        "application/json;charset=UTF-8",
        "application/json ; charset=\"utf-8\"",
        "application/json; charset=utf8",
        "application/json; boundary=x",
        " application/json ",
    ])
    func acceptsJSONContentTypes(contentType: String) throws {
        #expect(try parse(#"{"contactId":"c1"}"#, contentType: contentType) == IDVSessionRequest(contactId: "c1"))
    }

    @Test(arguments: [
        "text/plain",
        "text/plain;charset=UTF-8",
        "application/json-patch+json",
        "application/merge-patch+json",
        "application/jsonx",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/json; charset=iso-8859-1",
        "application/json; charset=utf-16",
        "application/json; charset",
        "json",
        "",
    ])
    func rejectsOtherContentTypes(contentType: String) {
        #expect(error(#"{"contactId":"c1"}"#, contentType: contentType) == .unsupportedMediaType)
    }

    @Test func rejectsANonEmptyBodyWithoutContentType() {
        #expect(error("{}", contentType: nil) == .unsupportedMediaType)
    }

    @Test func checksTheContentTypeBeforeTheBody() {
        #expect(error("not json", contentType: "text/plain") == .unsupportedMediaType)
    }

    // MARK: Contact id rule

    @Test func contactIdRuleMatchesTheContract() {
        #expect(IDVSessionRequest.isValidContactId("a"))
        #expect(IDVSessionRequest.isValidContactId(String(repeating: "Z", count: 64)))
        #expect(!IDVSessionRequest.isValidContactId(""))
        #expect(!IDVSessionRequest.isValidContactId(String(repeating: "Z", count: 65)))
        #expect(!IDVSessionRequest.isValidContactId("\u{212A}"))  // Kelvin sign, canonically "K"
    }
}
