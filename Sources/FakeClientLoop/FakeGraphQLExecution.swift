import GraphQL
import Synchronization

/// Runs one GraphQL request against ClientLoop's schema as a GraphQL server runs it (GraphQL's `ExecuteRequest()`):
/// the document is parsed and validated, the operation picked by `operationName`, the variables coerced, then the
/// operation executed by GraphQLSwift's executor, so that aliases, `__typename`, fragments and `@skip`/`@include`
/// shape `data` exactly as the selection asks.
enum FakeGraphQLExecution {
    /// The response to `request`; every `contactCreateIdvSession` field resolved mints its session in `ledger`.
    static func response(
        to request: FakeGraphQLRequest, ledger: FakeSessionLedger, schema: GraphQLSchema = FakeClientLoopSchema.shared,
        documents: ValidatedDocuments = ValidatedDocuments()
    ) -> FakeGraphQLResponse {
        let document: Document
        if let validated = documents[request.query] {
            document = validated
        } else {
            do {
                document = try parse(source: Source(body: request.query, name: "GraphQL request"))
            } catch {
                return FakeGraphQLResponse(requestErrors: [graphQLError(error)], code: "GRAPHQL_PARSE_FAILED")
            }
            let validationErrors = validate(schema: schema, ast: document)
            guard validationErrors.isEmpty else {
                return FakeGraphQLResponse(requestErrors: validationErrors, code: "GRAPHQL_VALIDATION_FAILED")
            }
            documents[request.query] = document
        }
        do {
            try checkOperation(in: document, named: request.operationName, schema: schema)
        } catch {
            return FakeGraphQLResponse(requestErrors: [error], code: "OPERATION_RESOLUTION_FAILURE")
        }
        let variables = request.variables
        let operationName = request.operationName
        let result = CallingThreadExecution.run {
            do {
                return try await execute(
                    schema: schema, documentAST: document, rootValue: (), context: ledger,
                    variableValues: variables, operationName: operationName
                )
            } catch {
                return GraphQLResult(errors: [graphQLError(error)])
            }
        }
        // The executor reports variable coercion failures as a result without data whose errors have no path;
        // errors of fields that ran always carry one.
        if result.data == nil, result.errors.allSatisfy({ $0.path.elements.isEmpty }) {
            return FakeGraphQLResponse(requestErrors: result.errors, code: "BAD_USER_INPUT")
        }
        return FakeGraphQLResponse(executed: result)
    }

    /// GraphQL's `GetOperation()`, run ahead of the executor (which runs it too) so that an operation that cannot be
    /// picked, or has no root type in the schema (a subscription), is told apart from variables that do not coerce;
    /// the messages are the executor's.
    private static func checkOperation(in document: Document, named name: String?, schema: GraphQLSchema) throws(GraphQLError) {
        let operations = document.definitions.compactMap { $0 as? OperationDefinition }
        let operation: OperationDefinition
        if let name {
            guard let named = operations.first(where: { $0.name?.value == name }) else {
                throw GraphQLError(message: #"Unknown operation named "\#(name)"."#)
            }
            operation = named
        } else if operations.count == 1 {
            operation = operations[0]
        } else if operations.isEmpty {
            throw GraphQLError(message: "Must provide an operation.")
        } else {
            throw GraphQLError(message: "Must provide operation name if query contains multiple operations.")
        }
        let rootType = switch operation.operation {
        case .query: schema.queryType
        case .mutation: schema.mutationType
        case .subscription: schema.subscriptionType
        }
        guard rootType != nil else {
            throw GraphQLError(message: "Schema is not configured for \(operation.operation.rawValue)s", nodes: [operation])
        }
    }

    private static func graphQLError(_ error: any Error) -> GraphQLError {
        error as? GraphQLError ?? GraphQLError(error)
    }
}

extension FakeGraphQLExecution {
    /// Documents that parsed and validated, by their text: a client sends the same few documents over and over, and
    /// validating one costs far more than executing it (as GraphQL servers cache them too). Bounded: when full it
    /// starts again empty.
    final class ValidatedDocuments: Sendable {
        static let capacity = 64
        private let documents = Mutex<[String: Document]>([:])

        subscript(query: String) -> Document? {
            get { documents.withLock { $0[query] } }
            set {
                documents.withLock { documents in
                    if documents.count >= Self.capacity { documents.removeAll() }
                    documents[query] = newValue
                }
            }
        }
    }
}
