import GraphQL

/// ClientLoop's schema as the fake serves it: `Schema/clientloop.graphql`, embedded in the binary at build time,
/// with the fake's resolvers attached to its two root fields.
enum FakeClientLoopSchema {
    /// The schema every request is validated and executed against, built on first use.
    static let shared: GraphQLSchema = {
        do {
            return try build()
        } catch {
            // The text is compiled in, and a test builds it: this cannot fail in a binary that passed its tests.
            preconditionFailure("Schema/clientloop.graphql does not build: \(error)")
        }
    }()

    /// The schema's SDL, as embedded.
    static var sdl: String {
        String(decoding: PackageResources.clientloop_graphql, as: UTF8.self)
    }

    /// Builds the schema from ``sdl`` and attaches the resolvers.
    static func build() throws -> GraphQLSchema {
        let schema = try buildSchema(source: Source(body: sdl, name: "clientloop.graphql"))
        try attach(mintSession, to: "contactCreateIdvSession", of: schema.mutationType)
        try attach({ _, _, _, _ in true }, to: "fakeClientLoop", of: schema.queryType)
        return schema
    }

    private static func attach(_ resolve: @escaping GraphQLFieldResolve, to name: String, of type: GraphQLObjectType?) throws {
        guard let type else {
            throw GraphQLError(message: "clientloop.graphql has no root type for \(name)")
        }
        let fields = try type.fields()
        guard let field = fields.first(where: { $0.key == name })?.value else {
            throw GraphQLError(message: "clientloop.graphql has no field \(type.name).\(name)")
        }
        field.resolve = resolve
        // A schema built from SDL makes fresh fields on every call: keep serving the ones that carry the resolver.
        type.fields = { fields }
    }

    /// `contactCreateIdvSession`: reads the coerced input and mints a session in the request's
    /// ``FakeSessionLedger`` (the execution's context); the session's own fields resolve by name.
    private static func mintSession(
        source: any Sendable, arguments: Map, context: any Sendable, info: GraphQLResolveInfo
    ) async throws -> (any Sendable)? {
        guard let ledger = context as? FakeSessionLedger else {
            preconditionFailure("contactCreateIdvSession executed without a session ledger")
        }
        return ledger.mint(for: try FakeSessionInput(arguments: arguments, field: info))
    }
}
