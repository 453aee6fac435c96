/// `variables.input` of the mutation: which organisation, and optionally which contact, the session is for.
struct FakeSessionInput: Sendable, Equatable {
    /// The input type's name in the schema, used in error messages.
    static let typeName = "ContactCreateIdvSession"

    var orgId: String
    var contactId: String?

    /// Reads `input` from the variables, rejecting what a GraphQL server would reject for
    /// `input: ContactCreateIdvSession!` with fields `orgId: String!` and `contactId: String`.
    ///
    /// Stricter than a schema in two ways, because the fake exists to check idv-bff's requests:
    /// `orgId` must not be empty, and `contactId` must be left out rather than sent as `null`.
    init(variables: FakeJSON?) throws(FakeRejection) {
        guard let input = variables?["input"] else {
            throw .badInput(#"Variable "$input" of required type "\#(Self.typeName)!" was not provided."#)
        }
        guard case .object(let members) = input else {
            throw Self.invalid(input, #"Expected type "\#(Self.typeName)" to be an object."#)
        }
        if let unknown = members.first(where: { !["orgId", "contactId"].contains($0.key) }) {
            throw Self.invalid(input, #"Field "\#(unknown.key)" is not defined by type "\#(Self.typeName)"."#)
        }
        switch input["orgId"] {
        case nil:
            throw Self.invalid(input, #"Field "orgId" of required type "String!" was not provided."#)
        case .string(let orgId)? where orgId.isEmpty:
            throw Self.invalid(.string(orgId), at: "orgId", "Expected a non-empty organisation id.")
        case .string(let orgId)?:
            self.orgId = orgId
        case let other?:
            throw Self.invalid(other, at: "orgId", "String cannot represent a non string value: \(other.text)")
        }
        switch input["contactId"] {
        case nil:
            contactId = nil
        case .string(let contactId)?:
            self.contactId = contactId
        case let other?:
            throw Self.invalid(other, at: "contactId", "String cannot represent a non string value: \(other.text)")
        }
    }

    private static func invalid(_ value: FakeJSON, at field: String? = nil, _ reason: String) -> FakeRejection {
        let location = field.map { #" at "input.\#($0)""# } ?? ""
        return .badInput(#"Variable "$input" got invalid value \#(value.text)\#(location); \#(reason)"#)
    }
}
