import EventHTTP
/// A request the fake refuses, carrying the answer to send instead.
struct FakeRejection: Error {
    var response: HTTPResponse

    /// A GraphQL-over-HTTP request error: the body is not a usable GraphQL request (HTTP 400).
    static func malformed(_ message: String) -> FakeRejection {
        FakeRejection(response: FakeGraphQLError(message: message).response(status: 400))
    }

    /// A document the schema does not allow: HTTP 200 with `GRAPHQL_VALIDATION_FAILED` and `"data":null`.
    static func invalidDocument(_ message: String) -> FakeRejection {
        let error = FakeGraphQLError(message: message, code: "GRAPHQL_VALIDATION_FAILED")
        return FakeRejection(response: error.response(status: 200, withNullData: true))
    }

    /// Variables that do not fit their declared types: HTTP 200 with `BAD_USER_INPUT` and `"data":null`.
    static func badInput(_ message: String) -> FakeRejection {
        let error = FakeGraphQLError(message: message, code: "BAD_USER_INPUT")
        return FakeRejection(response: error.response(status: 200, withNullData: true))
    }
}
