public import EventHTTP
/// What the fake ClientLoop endpoint does with one request; the network layer carries it out.
public struct FakeAnswer: Sendable {
    /// The response to send; a truncated delivery simulates a server that crashes mid-answer.
    public var response: HTTPResponse
    /// How long to wait before sending it.
    public var delayMilliseconds: Int

    /// Send `response` once `afterMilliseconds` have passed.
    public static func respond(_ response: HTTPResponse, afterMilliseconds: Int) -> FakeAnswer {
        FakeAnswer(response: response, delayMilliseconds: afterMilliseconds)
    }
}
