import EventHTTP
/// One entry of a GraphQL `errors` array, and the response that carries it.
struct FakeGraphQLError: Sendable, Equatable {
    /// The human-readable message.
    var message: String
    /// The machine-readable `extensions.code`, when the failure has one.
    var code: String?

    /// `{"message":…,"extensions":{"code":…}}`.
    var json: FakeJSON {
        guard let code else { return ["message": .string(message)] }
        return ["message": .string(message), "extensions": ["code": .string(code)]]
    }

    /// An answer whose body is `{"errors":[…]}`, plus `"data":null` when the operation ran into the error
    /// (execution and validation errors), as GraphQL servers answer.
    func response(status: Int, withNullData: Bool = false, headers: HTTPHeaders = [:]) -> HTTPResponse {
        var document: [FakeJSON.Member] = [.init(key: "errors", value: [json])]
        if withNullData {
            document.append(.init(key: "data", value: .null))
        }
        return .json(status: status, body: FakeJSON.object(document).bytes, headers: headers)
    }
}

extension FakeGraphQLError {
    /// The answer to a missing or wrong API key.
    static let unauthorized = FakeGraphQLError(message: "Unauthorized", code: "UNAUTHENTICATED")
}
