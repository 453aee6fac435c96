import GraphQL
import IDVBFF

/// The GraphQL-over-HTTP request body: `{"query":…,"operationName":…,"variables":{…},"extensions":{…}}`.
struct FakeGraphQLRequest: Sendable {
    var query: String
    var operationName: String?
    /// The variables as sent (an absent or `null` object is empty); GraphQL coerces them during execution.
    var variables: [String: Map]

    /// Reads a POST body, or rejects it with HTTP 400 as GraphQL-over-HTTP servers reject a request that is not
    /// well-formed. The body is read with the strict parser idv-bff itself uses (duplicate keys, invalid UTF-8 and
    /// trailing content refused), so that a malformed body cannot pass unseen.
    init(body: [UInt8]) throws(FakeRejection) {
        guard let document = try? StrictJSON.parse(body) else {
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
        case nil, .null?: variables = [:]
        case .object(let members)?: variables = Dictionary(members.map { ($0.key, Self.map($0.value)) }) { first, _ in first }
        default: throw .malformed(#""variables" must be an object."#)
        }
        switch document["extensions"] {
        case nil, .null?, .object?: break
        default: throw .malformed(#""extensions" must be an object."#)
        }
    }

    /// A JSON value as GraphQL's input coercion reads it: integers as integers, so that `Int` accepts `42`.
    private static func map(_ value: JSONValue) -> Map {
        switch value {
        case .object(let members):
            var object: Map = [:]
            for member in members {
                // Cannot fail: the key is set on an object, and the strict parser has refused duplicates.
                try? object.set(map(member.value), for: member.key)
            }
            return object
        case .array(let elements): return .array(elements.map(map))
        case .string(let string): return .string(string)
        case .number(let text): return .number(Int(text).map { Number($0) } ?? Number(Double(text) ?? .nan))
        case .bool(let flag): return .bool(flag)
        case .null: return .null
        }
    }
}
