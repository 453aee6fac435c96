/// The GraphQL-over-HTTP request body: `{"query":…,"operationName":…,"variables":{…}}`.
struct FakeGraphQLRequest: Sendable, Equatable {
    var query: String
    var operationName: String?
    /// The variables object, when one was sent.
    var variables: FakeJSON?

    /// Reads a POST body, or rejects it with HTTP 400 as GraphQL-over-HTTP servers do.
    init(body: [UInt8]) throws(FakeRejection) {
        guard let document = FakeJSON.parse(body) else {
            throw .malformed("The request body is not valid JSON.")
        }
        guard case .object = document else {
            throw .malformed("The request body must be a JSON object.")
        }
        guard case .string(let query)? = document["query"] else {
            throw .malformed(#"The request body must have a "query" string."#)
        }
        self.query = query
        switch document["operationName"] {
        case nil, .null?: operationName = nil
        case .string(let name)?: operationName = name
        default: throw .malformed(#""operationName" must be a string."#)
        }
        switch document["variables"] {
        case nil, .null?: variables = nil
        case let object? where object.isObject: variables = object
        default: throw .malformed(#""variables" must be an object."#)
        }
    }
}

extension FakeJSON {
    /// Whether this is a JSON object.
    var isObject: Bool {
        if case .object = self { true } else { false }
    }
}
