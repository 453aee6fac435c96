import Foundation
public import EventHTTP

/// The `contactCreateIdvSession` GraphQL mutation: the request document sent to ClientLoop and the reading of its
/// answer.
public enum ContactCreateIdvSession {
    /// The operation's name, sent as `operationName`.
    public static let operationName = "ContactCreateIdvSession"

    /// The mutation, sent as `query`; user input travels only in `variables`.
    public static let query =
        "mutation ContactCreateIdvSession($input: ContactCreateIdvSession!) { contactCreateIdvSession(input: $input) { token expiresAt } }"

    /// How deeply ClientLoop's answer may nest; GraphQL errors carry `locations`, `path` and `extensions`.
    static let maximumResponseDepth = 64

    /// The HTTP request body: `{"operationName":…,"query":…,"variables":{"input":{"contactId":…,"orgId":…}}}`.
    ///
    /// Encoded by `JSONEncoder`, never by splicing strings, with sorted keys so the bytes are reproducible;
    /// `contactId` is left out entirely when `nil`, which asks ClientLoop for a new contact.
    public static func requestBody(orgId: String, contactId: String?) -> [UInt8] {
        let document = RequestDocument(
            operationName: operationName,
            query: query,
            variables: .init(input: .init(orgId: orgId, contactId: contactId))
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(document))
        } catch {
            // Only non-finite floating-point numbers can fail to encode, and the document has none.
            preconditionFailure("encoding a document of strings failed: \(error)")
        }
    }

    /// Reads ClientLoop's answer.
    ///
    /// - 401/403: ``UpstreamFailure/authenticationRejected(status:messages:)``; 429:
    ///   ``UpstreamFailure/rateLimited(retryAfterSeconds:)`` from `Retry-After`; any other non-2xx status:
    ///   ``UpstreamFailure/httpStatus(_:messages:)``. GraphQL messages in such bodies are kept for the log only.
    /// - 2xx with a non-empty `errors` list, even alongside data: ``UpstreamFailure/graphQLErrors(_:)``.
    /// - 2xx whose body is not a JSON object: ``UpstreamFailure/malformedResponse(_:)``.
    /// - 2xx without `data.contactCreateIdvSession.token` and `expiresAt` as non-empty strings:
    ///   ``UpstreamFailure/missingData``.
    /// - Otherwise, the session.
    public static func decodeResponse(
        status: Int,
        headers: HTTPHeaders,
        body: [UInt8]
    ) -> Result<IDVSession, UpstreamFailure> {
        guard (200...299).contains(status) else {
            let messages = (try? StrictJSON.parse(body, maxDepth: maximumResponseDepth))
                .flatMap(GraphQLErrorMessages.messages(in:)) ?? []
            switch status {
            case 401, 403:
                return .failure(.authenticationRejected(status: status, messages: messages))
            case 429:
                return .failure(.rateLimited(retryAfterSeconds: RetryAfter.seconds(fromHeader: headers["Retry-After"])))
            default:
                return .failure(.httpStatus(status, messages: messages))
            }
        }
        let document: JSONValue
        do {
            document = try StrictJSON.parse(body, maxDepth: maximumResponseDepth)
        } catch {
            // The summary describes the body without quoting it: a half-valid body could still hold a token.
            return .failure(.malformedResponse("\(body.count)-byte body is not JSON: \(error)"))
        }
        guard case .object = document else {
            return .failure(.malformedResponse("the body is not a JSON object"))
        }
        if let messages = GraphQLErrorMessages.messages(in: document) {
            return .failure(.graphQLErrors(messages))
        }
        switch document["errors"] {
        case nil, .null?, .array?:
            break
        case .some:
            return .failure(.malformedResponse("errors is not a list"))
        }
        let payload = document["data"]?["contactCreateIdvSession"]
        guard let token = payload?["token"]?.stringValue, !token.isEmpty,
            let expiresAt = payload?["expiresAt"]?.stringValue, !expiresAt.isEmpty
        else {
            return .failure(.missingData)
        }
        return .success(IDVSession(token: token, expiresAt: expiresAt))
    }
}

/// The GraphQL request document; its shape is fixed by ClientLoop's API.
private struct RequestDocument: Encodable {
    struct Variables: Encodable {
        let input: Input
    }

    struct Input: Encodable {
        let orgId: String
        /// Omitted from the JSON when `nil` (synthesised `Encodable` uses `encodeIfPresent`).
        let contactId: String?
    }

    let operationName: String
    let query: String
    let variables: Variables
}
