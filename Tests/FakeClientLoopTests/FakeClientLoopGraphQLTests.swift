import Testing
@testable import FakeClientLoop
import EventHTTP
import IDVBFF

/// The fake as a GraphQL server: documents are parsed, validated and executed against `Schema/clientloop.graphql`.
@Suite("Fake ClientLoop: GraphQL")
struct FakeClientLoopGraphQLTests {
    typealias Fixture = FakeClientLoopFixture

    private static let session = #"{"token":"\#(Fixture.token)","expiresAt":"\#(Fixture.expiresAt)"}"#
    private static let mutation = "mutation Mint($input: ContactCreateIdvSession!) { contactCreateIdvSession(input: $input) { token expiresAt } }"

    /// Expects a 200 `application/json` answer whose body is strict JSON (no duplicate keys, nothing trailing) and
    /// exactly `expected`.
    private func expectBody(_ answer: FakeAnswer, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(answer.response.status == 200, sourceLocation: sourceLocation)
        #expect(answer.response.headers["Content-Type"] == "application/json", sourceLocation: sourceLocation)
        _ = try Fixture.document(answer)
        #expect(Fixture.text(answer) == expected, sourceLocation: sourceLocation)
    }

    private func expectRefused(_ responder: FakeClientLoopResponder) {
        #expect(responder.stats.requests == 1)
        #expect(responder.stats.successes == 0)
        #expect(responder.stats.failures == 1)
        #expect(responder.stats.lastOrgId == nil)
        #expect(responder.stats.lastContactId == nil)
    }

    @Test func theSchemaBuildsFromTheEmbeddedSDL() throws {
        _ = try FakeClientLoopSchema.build()
        #expect(FakeClientLoopSchema.sdl.contains("contactCreateIdvSession(input: ContactCreateIdvSession!): ContactIdvSession!"))
    }

    @Test func plainMutationMintsASession() throws {
        var responder = Fixture.responder()
        let answer = Fixture.answer(query: Self.mutation, variables: #"{"input":{"orgId":"org-1","contactId":"c-1"}}"#, on: &responder)
        try expectBody(answer, #"{"data":{"contactCreateIdvSession":\#(Self.session)}}"#)
        #expect(responder.stats.successes == 1)
        #expect(responder.stats.failures == 0)
        #expect(responder.stats.lastOrgId == "org-1")
        #expect(responder.stats.lastContactId == "c-1")
    }

    @Test func operationNamePicksOneOfTwoOperations() throws {
        let query = """
            mutation TokenOnly { contactCreateIdvSession(input: {orgId: "org-a"}) { token } }
            mutation ExpiryOnly { contactCreateIdvSession(input: {orgId: "org-b"}) { expiresAt } }
            """
        var responder = Fixture.responder()
        let answer = Fixture.answer(query: query, operationName: "ExpiryOnly", on: &responder)
        try expectBody(answer, #"{"data":{"contactCreateIdvSession":{"expiresAt":"\#(Fixture.expiresAt)"}}}"#)
        #expect(responder.stats.lastOrgId == "org-b")
        #expect(responder.stats.successes == 1)
    }

    @Test func twoOperationsWithoutOperationNameAreARequestError() throws {
        let query = "mutation A { contactCreateIdvSession(input: {orgId: \"o\"}) { token } } query B { __typename }"
        var responder = Fixture.responder()
        let answer = Fixture.answer(query: query, on: &responder)
        try expectBody(answer, #"{"errors":[{"message":"Must provide operation name if query contains multiple operations.","extensions":{"code":"OPERATION_RESOLUTION_FAILURE"}}]}"#)
        expectRefused(responder)
    }

    @Test func unknownOperationNameIsARequestError() throws {
        var responder = Fixture.responder()
        let answer = Fixture.answer(query: Self.mutation, variables: #"{"input":{"orgId":"o"}}"#, operationName: "DeleteContact", on: &responder)
        try expectBody(answer, #"{"errors":[{"message":"Unknown operation named \"DeleteContact\".","extensions":{"code":"OPERATION_RESOLUTION_FAILURE"}}]}"#)
        expectRefused(responder)
    }

    @Test func aSubscriptionHasNoOperationToRun() throws {
        var responder = Fixture.responder()
        let answer = Fixture.answer(query: "subscription { sessions }", on: &responder)
        #expect(try Fixture.firstError(answer).code == "OPERATION_RESOLUTION_FAILURE")
        expectRefused(responder)
    }

    @Test func fragmentsSelectAsWritten() throws {
        let query = #"mutation { ...Mint } fragment Mint on Mutation { contactCreateIdvSession(input: {orgId: "o"}) { ... on ContactIdvSession { token } } }"#
        var responder = Fixture.responder()
        try expectBody(Fixture.answer(query: query, on: &responder), #"{"data":{"contactCreateIdvSession":{"token":"\#(Fixture.token)"}}}"#)
        #expect(responder.stats.successes == 1)
    }

    @Test func aliasesNameTheDataKeys() throws {
        let query = #"mutation { s: contactCreateIdvSession(input: {orgId: "org-1"}) { t: token expiresAt } }"#
        var responder = Fixture.responder()
        let answer = Fixture.answer(query: query, on: &responder)
        try expectBody(answer, #"{"data":{"s":{"t":"\#(Fixture.token)","expiresAt":"\#(Fixture.expiresAt)"}}}"#)
        #expect(responder.stats.successes == 1)
    }

    @Test func twoAliasedFieldsMintTwoSessions() throws {
        let query = #"mutation { a: contactCreateIdvSession(input: {orgId: "org-a"}) { token } b: contactCreateIdvSession(input: {orgId: "org-b", contactId: "c-b"}) { token } }"#
        var responder = Fixture.responder()
        let answer = Fixture.answer(query: query, on: &responder)
        try expectBody(answer, #"{"data":{"a":{"token":"\#(Fixture.token)"},"b":{"token":"\#(Fixture.token)"}}}"#)
        #expect(responder.stats.successes == 1)
        #expect(responder.stats.lastOrgId == "org-a")
    }

    @Test func inlineArgumentsAnswerAsVariablesDo() throws {
        var inline = Fixture.responder()
        let inlineAnswer = Fixture.answer(
            query: #"mutation { contactCreateIdvSession(input: {orgId: "org-1", contactId: "c-9"}) { token expiresAt } }"#, on: &inline
        )
        var variables = Fixture.responder()
        let variablesAnswer = Fixture.answer(query: Self.mutation, variables: #"{"input":{"contactId":"c-9","orgId":"org-1"}}"#, on: &variables)
        try expectBody(inlineAnswer, #"{"data":{"contactCreateIdvSession":\#(Self.session)}}"#)
        #expect(variablesAnswer.response.body == inlineAnswer.response.body)
        #expect(inline.stats == variables.stats)
        #expect(inline.stats.lastContactId == "c-9")
    }

    @Test func aVariableInsideAnInlineObjectIsCoerced() throws {
        let query = #"mutation ($org: String!) { contactCreateIdvSession(input: {orgId: $org}) { token } }"#
        var responder = Fixture.responder()
        let answer = Fixture.answer(query: query, variables: #"{"org":"org-7"}"#, on: &responder)
        try expectBody(answer, #"{"data":{"contactCreateIdvSession":{"token":"\#(Fixture.token)"}}}"#)
        #expect(responder.stats.lastOrgId == "org-7")
    }

    @Test func missingRequiredVariableIsARequestError() throws {
        var responder = Fixture.responder()
        let answer = Fixture.answer(query: Self.mutation, on: &responder)
        try expectBody(answer, #"{"errors":[{"message":"Variable \"$input\" got invalid value \"undefined\".\nExpected non-null value was not provided.","locations":[{"line":1,"column":15}],"extensions":{"code":"BAD_USER_INPUT"}}]}"#)
        expectRefused(responder)
    }

    @Test func wrongVariableTypeIsARequestError() throws {
        var responder = Fixture.responder()
        let answer = Fixture.answer(query: Self.mutation, variables: #"{"input":{"orgId":12}}"#, on: &responder)
        try expectBody(answer, #"{"errors":[{"message":"Variable \"$input\" got invalid value \"{\"orgId\":12}\".\nIn field \"orgId\": Expected type \"String\", found 12.","locations":[{"line":1,"column":15}],"extensions":{"code":"BAD_USER_INPUT"}}]}"#)
        expectRefused(responder)
    }

    @Test func unknownInputFieldIsARequestError() throws {
        var responder = Fixture.responder()
        let answer = Fixture.answer(query: Self.mutation, variables: #"{"input":{"orgId":"o","email":"a@b.c"}}"#, on: &responder)
        let error = try Fixture.firstError(answer)
        #expect(error.code == "BAD_USER_INPUT")
        #expect(error.message?.contains(#"In field "email": Unknown field."#) == true)
        #expect(try Fixture.document(answer)["data"] == nil)
        expectRefused(responder)
    }

    @Test func inlineArgumentOfTheWrongTypeFailsValidation() throws {
        var responder = Fixture.responder()
        let answer = Fixture.answer(query: "mutation { contactCreateIdvSession(input: {orgId: 12}) { token } }", on: &responder)
        try expectBody(answer, #"{"errors":[{"message":"String cannot represent a non-string value: 12","locations":[{"line":1,"column":51}],"extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}}]}"#)
        expectRefused(responder)
    }

    @Test func unknownFieldFailsValidation() throws {
        let query = #"mutation { contactCreateIdvSession(input: {orgId: "o"}) { token secret } }"#
        var responder = Fixture.responder()
        let answer = Fixture.answer(query: query, on: &responder)
        try expectBody(answer, #"{"errors":[{"message":"Cannot query field \"secret\" on type \"ContactIdvSession\".","locations":[{"line":1,"column":65}],"extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}}]}"#)
        expectRefused(responder)
    }

    @Test func syntaxErrorFailsToParse() throws {
        var responder = Fixture.responder()
        let answer = Fixture.answer(query: "mutation { contactCreateIdvSession(", on: &responder)
        try expectBody(answer, #"{"errors":[{"message":"Syntax Error GraphQL request (1:36) Expected Name, found <EOF>\n\n 1: mutation { contactCreateIdvSession(\n                                       ^\n","locations":[{"line":1,"column":36}],"extensions":{"code":"GRAPHQL_PARSE_FAILED"}}]}"#)
        expectRefused(responder)
    }

    @Test func selectingOnlyTheTokenMintsASession() throws {
        var responder = Fixture.responder()
        let answer = Fixture.answer(
            query: "mutation Mint($input: ContactCreateIdvSession!) { contactCreateIdvSession(input: $input) { token } }",
            variables: #"{"input":{"orgId":"org-1"}}"#, on: &responder
        )
        try expectBody(answer, #"{"data":{"contactCreateIdvSession":{"token":"\#(Fixture.token)"}}}"#)
        #expect(responder.stats.successes == 1)
    }

    @Test func typenameIsAnsweredAtEveryLevel() throws {
        let query = #"mutation { __typename contactCreateIdvSession(input: {orgId: "o"}) { __typename token } }"#
        var responder = Fixture.responder()
        let answer = Fixture.answer(query: query, on: &responder)
        try expectBody(answer, #"{"data":{"__typename":"Mutation","contactCreateIdvSession":{"__typename":"ContactIdvSession","token":"\#(Fixture.token)"}}}"#)
        #expect(responder.stats.successes == 1)
    }

    @Test func aQueryIsAnsweredButMintsNothing() throws {
        var responder = Fixture.responder()
        let answer = Fixture.answer(query: "{ __typename fakeClientLoop }", on: &responder)
        try expectBody(answer, #"{"data":{"__typename":"Query","fakeClientLoop":true}}"#)
        expectRefused(responder)
    }

    @Test func skippedFieldsAreNotResolved() throws {
        let query = #"mutation ($skip: Boolean!) { contactCreateIdvSession(input: {orgId: "o"}) @skip(if: $skip) { token } __typename }"#
        var responder = Fixture.responder()
        let answer = Fixture.answer(query: query, variables: #"{"skip":true}"#, on: &responder)
        try expectBody(answer, #"{"data":{"__typename":"Mutation"}}"#)
        expectRefused(responder)
    }

    @Test func emptyOrgIdIsAFieldErrorWithNullData() throws {
        var responder = Fixture.responder()
        let answer = Fixture.answer(query: Self.mutation, variables: #"{"input":{"orgId":""}}"#, on: &responder)
        try expectBody(answer, #"{"errors":[{"message":"Argument \"input\" has an empty \"orgId\": expected an organisation id.","locations":[{"line":1,"column":51}],"path":["contactCreateIdvSession"],"extensions":{"code":"BAD_USER_INPUT"}}],"data":null}"#)
        expectRefused(responder)
    }

    @Test func nullContactIdIsAFieldErrorAtTheAlias() throws {
        let query = #"mutation { s: contactCreateIdvSession(input: {orgId: "o", contactId: null}) { token } }"#
        var responder = Fixture.responder()
        let answer = Fixture.answer(query: query, on: &responder)
        try expectBody(answer, #"{"errors":[{"message":"Argument \"input\" has \"contactId\": null; leave contactId out to verify a new contact.","locations":[{"line":1,"column":12}],"path":["s"],"extensions":{"code":"BAD_USER_INPUT"}}],"data":null}"#)
        expectRefused(responder)
    }

    @Test func triggersFireFromInlineArgumentsToo() throws {
        var responder = Fixture.responder()
        let answer = Fixture.answer(query: #"mutation { contactCreateIdvSession(input: {orgId: "o", contactId: "fail-forbidden"}) { token } }"#, on: &responder)
        #expect(answer.response.status == 403)
        #expect(responder.stats.lastContactId == "fail-forbidden")
        #expect(responder.stats.failures == 1)
    }

    @Test func slowTriggerSendsTheNormalAnswerShapedByTheSelection() throws {
        var responder = Fixture.responder()
        let answer = Fixture.answer(query: #"mutation { s: contactCreateIdvSession(input: {orgId: "o", contactId: "fail-slow"}) { token } }"#, on: &responder)
        #expect(answer.delayMilliseconds == FakeClientLoopTrigger.slowAnswerMilliseconds)
        try expectBody(answer, #"{"data":{"s":{"token":"\#(Fixture.token)"}}}"#)
        #expect(responder.stats.successes == 1)
    }

    @Test func failRateSparesDocumentsThatMintNothing() throws {
        var responder = Fixture.responder(options: .init(failRate: 1), random: {
            Issue.record("random was consulted")
            return 0
        })
        try expectBody(Fixture.answer(query: "{ fakeClientLoop }", on: &responder), #"{"data":{"fakeClientLoop":true}}"#)
    }
}
