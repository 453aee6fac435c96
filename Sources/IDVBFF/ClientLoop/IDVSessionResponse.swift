public import EventHTTP
/// The browser's answer from `POST /idv-session`: `{"token":…,"expiresAt":…,"env":…}`.
public struct IDVSessionResponse: Sendable, Equatable {
    /// The session token for `<contact-idv-session>`.
    public var token: String
    /// When the token expires, as ClientLoop wrote it.
    public var expiresAt: String
    /// The ClientLoop deployment the token belongs to (`prod` or `stage`), so the component talks to the right one.
    public var env: String

    /// The answer for a freshly minted session.
    public init(session: IDVSession, environment: ClientLoopEnvironment) {
        token = session.token
        expiresAt = session.expiresAt
        env = environment.rawValue
    }

    /// The body, with the members always in the order token, expiresAt, env.
    ///
    /// Written directly rather than with `JSONEncoder`, which guarantees no member order other than sorted.
    public var jsonBody: [UInt8] {
        var text = "{\"token\":"
        JSONText.appendString(token, to: &text)
        text += ",\"expiresAt\":"
        JSONText.appendString(expiresAt, to: &text)
        text += ",\"env\":"
        JSONText.appendString(env, to: &text)
        text += "}"
        return Array(text.utf8)
    }

    /// The `200` response: JSON. (It leaves with `Cache-Control: no-store`, as every response does: the token is a
    /// short-lived credential.)
    public var httpResponse: HTTPResponse {
        .json(status: 200, body: jsonBody)
    }
}
