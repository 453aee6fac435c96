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
        var body: [UInt8] = []
        body.reserveCapacity(40 + token.utf8.count + expiresAt.utf8.count + env.utf8.count)
        body += "{\"token\":".utf8
        JSONText.appendString(token, to: &body)
        body += ",\"expiresAt\":".utf8
        JSONText.appendString(expiresAt, to: &body)
        body += ",\"env\":".utf8
        JSONText.appendString(env, to: &body)
        body.append(UInt8(ascii: "}"))
        return body
    }

    /// The `200` response: JSON. (It leaves with `Cache-Control: no-store`, as every response does: the token is a
    /// short-lived credential.)
    public var httpResponse: HTTPResponse {
        .json(status: 200, body: jsonBody)
    }
}
