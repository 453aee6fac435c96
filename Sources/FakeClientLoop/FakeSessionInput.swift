import GraphQL

/// The `input` argument of `contactCreateIdvSession` once GraphQL has validated and coerced it: which organisation,
/// and optionally which contact, the session is for.
struct FakeSessionInput: Sendable, Equatable {
    var orgId: String
    var contactId: String?

    /// Reads `input` from the field's coerced arguments, whether they came inline or from variables.
    ///
    /// Stricter than the schema in two ways, because ClientLoop's page promises neither: `orgId` must not be empty,
    /// and `contactId` must be left out rather than sent as `null` to verify a new contact. Either is a field error
    /// with `extensions.code` `BAD_USER_INPUT`, located at the field, as a resolver of a GraphQL server reports it.
    init(arguments: Map, field: GraphQLResolveInfo) throws(GraphQLError) {
        // Validation and coercion guarantee an input object with a string orgId, and give absent fields as undefined.
        guard case .string(let orgId)? = try? arguments.get("input", "orgId") else {
            throw Self.refusal(#"Argument "input" could not be read."#, field: field)
        }
        guard !orgId.isEmpty else {
            throw Self.refusal(#"Argument "input" has an empty "orgId": expected an organisation id."#, field: field)
        }
        self.orgId = orgId
        switch try? arguments.get("input", "contactId") {
        case nil, .undefined?:
            contactId = nil
        case .string(let contactId)?:
            self.contactId = contactId
        default:
            throw Self.refusal(
                #"Argument "input" has "contactId": null; leave contactId out to verify a new contact."#, field: field
            )
        }
    }

    private static func refusal(_ message: String, field: GraphQLResolveInfo) -> GraphQLError {
        GraphQLError(message: message, nodes: field.fieldASTs, path: field.path, extensions: ["code": "BAD_USER_INPUT"])
    }
}
