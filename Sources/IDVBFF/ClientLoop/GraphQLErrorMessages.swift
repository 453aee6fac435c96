/// Pulls the `message` strings out of a GraphQL `errors` list, bounded so a hostile or broken upstream cannot flood
/// the log.
enum GraphQLErrorMessages {
    /// How many messages are kept; the rest are counted.
    static let maximumCount = 5
    /// How many characters of each message are kept.
    static let maximumLength = 200

    /// The messages of a non-empty `errors` array; `nil` when `errors` is absent, `null` or empty, or not an array.
    static func messages(in document: JSONValue) -> [String]? {
        guard case .array(let errors)? = document["errors"], !errors.isEmpty else {
            return nil
        }
        var messages = errors.prefix(maximumCount).map { error in
            error["message"]?.stringValue.map(bounded) ?? "(an error without a message)"
        }
        if errors.count > maximumCount {
            messages.append("(and \(errors.count - maximumCount) more)")
        }
        return messages
    }

    private static func bounded(_ message: String) -> String {
        message.count > maximumLength ? message.prefix(maximumLength) + "…" : message
    }
}
