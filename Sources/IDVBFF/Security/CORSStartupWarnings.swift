extension CORSPolicy {
    /// Said when `*` meets a contact policy that lets the browser name the contact.
    public static let anyOriginWithBodyContactWarning =
        "CORS allows any origin while contact.policy is body: any web page can mint sessions for any contact id"

    /// Warnings to log at start-up about combinations that are valid but probably not meant.
    /// - Parameter contactPolicyIsBody: Whether `contact.policy` takes the contact id from the request body.
    /// - Returns: One sentence per warning; empty when there is nothing to say.
    public func startupWarnings(contactPolicyIsBody: Bool) -> [String] {
        switch (allowedOrigins, contactPolicyIsBody) {
        case (.any, true):
            [Self.anyOriginWithBodyContactWarning]
        case (.any, false), (.exactly, _), (.sameOriginOnly, _):
            []
        }
    }
}
