/// What the browser may send to `POST /idv-session`: at most the id of an existing ClientLoop contact.
///
/// The organisation is never taken from the request; it comes only from server configuration.
public struct IDVSessionRequest: Sendable, Equatable {
    /// The contact to verify, or `nil` to have ClientLoop create a new one.
    public var contactId: String?

    /// The longest contact id accepted, in characters.
    public static let maximumContactIdLength = 64

    /// How deeply the body may nest: the only valid shape is one flat object, but a little depth lets a wrong shape
    /// be reported as a bad field rather than as bad JSON.
    static let maximumBodyDepth = 32

    /// Creates a request.
    public init(contactId: String? = nil) {
        self.contactId = contactId
    }

    /// Reads and validates the request.
    ///
    /// A body that is empty or only whitespace means "a new contact" whatever its `Content-Type`: browsers'
    /// `fetch(url, {method: "POST"})` sends no body and no `Content-Type`, and there is nothing to misread. Any other
    /// body must be declared `application/json` (UTF-8) and be exactly one object, whose only allowed member is
    /// `contactId`: a string of 1 to 64 characters from `A-Z a-z 0-9 _ -`, or `null`/`""` for a new contact.
    /// - Parameters:
    ///   - contentType: The request's `Content-Type` header, if any.
    ///   - body: The request body.
    /// - Throws: ``APIError/unsupportedMediaType``, ``APIError/invalidJSON(detail:)`` (including duplicate keys and
    ///   a body that is not an object) or ``APIError/invalidRequest(field:reason:)`` naming the first bad member.
    public static func parse(contentType: String?, body: [UInt8]) throws(APIError) -> IDVSessionRequest {
        guard body.contains(where: { !isJSONWhitespace($0) }) else {
            return IDVSessionRequest()
        }
        guard JSONContentType.isAcceptable(contentType) else {
            throw .unsupportedMediaType
        }
        let document: JSONValue
        do {
            document = try StrictJSON.parse(body, maxDepth: maximumBodyDepth)
        } catch {
            throw .invalidJSON(detail: error.description)
        }
        guard case .object(let members) = document else {
            throw .invalidJSON(detail: "the body must be a JSON object")
        }
        var request = IDVSessionRequest()
        for (key, value) in members {
            guard key.utf8.elementsEqual("contactId".utf8) else {
                throw .invalidRequest(field: key, reason: unknownFieldReason(key))
            }
            request.contactId = try contactId(from: value)
        }
        return request
    }

    /// Whether `candidate` is a well-formed contact id: 1 to 64 of `A-Z a-z 0-9 _ -`.
    ///
    /// Checked on UTF-8 bytes, so look-alike letters from other scripts and combining marks are refused.
    public static func isValidContactId(_ candidate: String) -> Bool {
        let bytes = candidate.utf8
        return (1...maximumContactIdLength).contains(bytes.count) && bytes.allSatisfy(isContactIdByte)
    }

    private static func contactId(from value: JSONValue) throws(APIError) -> String? {
        switch value {
        case .null:
            return nil
        case .string(let text) where text.isEmpty:
            return nil
        case .string(let text) where isValidContactId(text):
            return text
        default:
            throw .invalidRequest(
                field: "contactId",
                reason: "must be a string of 1 to \(maximumContactIdLength) characters from A-Z, a-z, 0-9, _ and -"
            )
        }
    }

    private static func unknownFieldReason(_ key: String) -> String {
        key.utf8.elementsEqual("orgId".utf8)
            ? "is not accepted; the organisation is set by the server"
            : "is not a known field; only contactId is accepted"
    }

    private static func isContactIdByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }

    private static func isJSONWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
