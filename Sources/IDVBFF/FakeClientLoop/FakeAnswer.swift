/// What the fake ClientLoop endpoint does with one request; the network layer carries it out.
public struct FakeAnswer: Sendable, Equatable {
    /// The response to send; a truncated delivery simulates a server that crashes mid-answer.
    public var response: HTTPResponse
    /// How long to wait before sending it.
    public var delayMilliseconds: Int

    /// Send `response` once `afterMilliseconds` have passed.
    public static func respond(_ response: HTTPResponse, afterMilliseconds: Int) -> FakeAnswer {
        FakeAnswer(response: response, delayMilliseconds: afterMilliseconds)
    }

    // HTTPResponse has no equality of its own, so its fields are compared here.
    public static func == (lhs: FakeAnswer, rhs: FakeAnswer) -> Bool {
        lhs.delayMilliseconds == rhs.delayMilliseconds && lhs.response.status == rhs.response.status
            && lhs.response.headers == rhs.response.headers && lhs.response.body == rhs.response.body
            && lhs.response.delivery == rhs.response.delivery
    }
}
