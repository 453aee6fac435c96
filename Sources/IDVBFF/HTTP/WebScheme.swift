/// The two URL schemes this service deals in, for upstream endpoints and browser origins alike.
public enum WebScheme: String, Sendable, Hashable {
    case http
    case https

    /// The port implied when a URL or origin names none.
    public var defaultPort: Int {
        switch self {
        case .http: 80
        case .https: 443
        }
    }
}
