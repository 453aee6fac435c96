/// The one operation the fake serves, `contactCreateIdvSession`, exactly as idv-bff must send it.
enum FakeSessionMutation {
    /// The operation name idv-bff sends.
    static let operationName = "ContactCreateIdvSession"

    /// The document idv-bff sends, with whitespace runs collapsed to single spaces.
    static let query = "mutation ContactCreateIdvSession($input: ContactCreateIdvSession!) "
        + "{ contactCreateIdvSession(input: $input) { token expiresAt } }"

    /// Accepts only this operation, answering anything else as a GraphQL server answers a document it cannot run.
    static func validate(_ request: FakeGraphQLRequest) throws(FakeRejection) {
        guard let name = request.operationName else {
            throw .invalidDocument(#"Must provide operation name "\#(operationName)"."#)
        }
        guard name == operationName else {
            throw .invalidDocument(#"Unknown operation named "\#(name)"."#)
        }
        guard collapsingWhitespace(request.query) == query else {
            throw .invalidDocument(
                "Cannot query this document: the fake ClientLoop serves only \"\(query)\"."
            )
        }
    }

    /// The text with leading and trailing whitespace removed and every inner run replaced by one space,
    /// so that line breaks and indentation in the client's document do not matter.
    static func collapsingWhitespace(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
