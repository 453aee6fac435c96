import GraphQL

/// A GraphQL response as the fake writes it: `errors` first when there are any, then `data` once execution began.
///
/// A request error (a document that does not parse or validate, an operation that cannot be picked, variables that
/// do not coerce) has no `data` entry; a field error that reaches the root leaves `"data":null`.
struct FakeGraphQLResponse {
    /// Request errors or field errors, each with its message, locations, path and extensions.
    var errors: [GraphQLError]
    /// The `data` entry; `nil` for none.
    var data: Map?

    /// The response of an operation that executed: its data, or `null` when a field error reached the root.
    init(executed result: GraphQLResult) {
        errors = result.errors
        data = result.data ?? .null
    }

    /// The response to a request that failed before execution, each error tagged with `extensions.code` (the
    /// codes Apollo Server uses, so that clients written against one find what they expect).
    init(requestErrors: [GraphQLError], code: String) {
        errors = requestErrors.map { error in
            GraphQLError(
                message: error.message, locations: error.locations, path: error.path,
                extensions: error.extensions.merging(["code": .string(code)]) { given, _ in given }
            )
        }
        data = nil
    }

    /// `{"errors":[…],"data":…}`, compact.
    var body: [UInt8] {
        var members: [FakeJSON.Member] = []
        if !errors.isEmpty {
            members.append(.init(key: "errors", value: .array(errors.map(Self.json))))
        }
        if let data {
            members.append(.init(key: "data", value: FakeJSON(data)))
        }
        return FakeJSON.object(members).bytes
    }

    private static func json(_ error: GraphQLError) -> FakeJSON {
        var members: [FakeJSON.Member] = [.init(key: "message", value: .string(error.message))]
        if !error.locations.isEmpty {
            let locations = error.locations.map { location -> FakeJSON in
                ["line": .number(Double(location.line)), "column": .number(Double(location.column))]
            }
            members.append(.init(key: "locations", value: .array(locations)))
        }
        if !error.path.elements.isEmpty {
            let path = error.path.elements.map { element -> FakeJSON in
                switch element {
                case .index(let index): .number(Double(index))
                case .key(let key): .string(key)
                }
            }
            members.append(.init(key: "path", value: .array(path)))
        }
        if !error.extensions.isEmpty {
            // Sorted: the library keeps extensions in a dictionary, and bodies must not change from run to run.
            let extensions = error.extensions.sorted { $0.key < $1.key }.map { FakeJSON.Member(key: $0.key, value: FakeJSON($0.value)) }
            members.append(.init(key: "extensions", value: .object(extensions)))
        }
        return .object(members)
    }
}
