/// Why a JWKS document cannot become the key set.
public enum JWKSLoadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The document is not a JSON object with a `keys` array.
    case notAKeySet(detail: String)
    /// Not one key in the document can verify contact tokens; replacing the current set with it would reject every
    /// request.
    case noUsableKeys(skipped: [JWKSSkippedKey])

    /// One line for the log or a start-up error.
    public var description: String {
        switch self {
        case .notAKeySet(let detail):
            "the JWKS is not a JSON object with a \"keys\" array: \(detail)"
        case .noUsableKeys(let skipped) where skipped.isEmpty:
            "the JWKS holds no keys"
        case .noUsableKeys(let skipped):
            "the JWKS holds no usable key: " + skipped.map(\.description).joined(separator: "; ")
        }
    }
}
