public import EventHTTP
/// Which ClientLoop deployment the service talks to (`clientloop.env`, `CLIENTLOOP_ENV`).
public enum ClientLoopEnvironment: String, Sendable, Equatable, CaseIterable {
    /// Production, the default.
    case prod
    /// Staging; needs an explicit `clientloop.graph_url`.
    case stage

    /// The GraphQL endpoint used when none is set, if the environment has a well-known one.
    public var defaultGraphURL: UpstreamURL? {
        switch self {
        case .prod: .clientLoopProduction
        case .stage: nil
        }
    }
}
