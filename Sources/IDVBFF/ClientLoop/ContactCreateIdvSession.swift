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

    /// The HTTP request bodies for one organisation:
    /// `{"operationName":…,"query":…,"variables":{"input":{"contactId":…,"orgId":…}}}`, members in sorted order.
    ///
    /// Everything but the contact id is the same for every request, so it is encoded once (``JSONText`` escapes the
    /// strings); a request adds only its escaped `contactId`, which is left out entirely when `nil` (that asks
    /// ClientLoop for a new contact). User input never touches the document but through that escaped string.
    public struct RequestBody: Sendable {
        /// Up to and including `"input":{`.
        private let head: [UInt8]
        /// `"orgId":"…"}}}`.
        private let orgIdMember: [UInt8]
        /// The whole body for a new contact.
        private let withoutContact: [UInt8]

        /// Encodes the fixed parts for `orgId`.
        public init(orgId: String) {
            var head = "{\"operationName\":"
            JSONText.appendString(ContactCreateIdvSession.operationName, to: &head)
            head += ",\"query\":"
            JSONText.appendString(ContactCreateIdvSession.query, to: &head)
            head += ",\"variables\":{\"input\":{"
            var orgIdMember = "\"orgId\":"
            JSONText.appendString(orgId, to: &orgIdMember)
            orgIdMember += "}}}"
            self.head = Array(head.utf8)
            self.orgIdMember = Array(orgIdMember.utf8)
            withoutContact = self.head + self.orgIdMember
        }

        /// The body asking for `contactId`'s session, or a new contact's when `nil`.
        public func bytes(contactId: String?) -> [UInt8] {
            guard let contactId else { return withoutContact }
            var body = head
            body.reserveCapacity(head.count + 16 + contactId.utf8.count + orgIdMember.count)
            body += "\"contactId\":".utf8
            JSONText.appendString(contactId, to: &body)
            body.append(UInt8(ascii: ","))
            body += orgIdMember
            return body
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
