import EventHTTP
/// A request the fake refuses, carrying the answer to send instead.
struct FakeRejection: Error {
    var response: HTTPResponse

    /// A GraphQL-over-HTTP request error: the body is not a usable GraphQL request (HTTP 400).
    static func malformed(_ message: String) -> FakeRejection {
        FakeRejection(response: FakeGraphQLError(message: message).response(status: 400))
    }
}
