/// What the fake ClientLoop endpoint does with one request; the network layer carries it out.
public enum FakeAnswer: Sendable {
    /// Send `response` once `afterMilliseconds` have passed.
    case respond(HTTPResponse, afterMilliseconds: Int)
    /// Write these raw bytes (a response head and the start of a body) and close the connection abruptly,
    /// without a TLS close-notify, as a server that crashed mid-answer would.
    case resetAfterPartialResponse([UInt8])

    /// The response to send, unless the connection is to be reset.
    public var response: HTTPResponse? {
        guard case .respond(let response, _) = self else { return nil }
        return response
    }

    /// How long to wait before sending the response; `0` for a reset.
    public var delayMilliseconds: Int {
        guard case .respond(_, let delay) = self else { return 0 }
        return delay
    }
}

extension FakeAnswer: Equatable {
    // HTTPResponse has no equality of its own, so its fields are compared here.
    public static func == (lhs: FakeAnswer, rhs: FakeAnswer) -> Bool {
        switch (lhs, rhs) {
        case (.respond(let left, let leftDelay), .respond(let right, let rightDelay)):
            leftDelay == rightDelay && left.status == right.status && left.headers == right.headers
                && left.body == right.body
        case (.resetAfterPartialResponse(let left), .resetAfterPartialResponse(let right)):
            left == right
        default:
            false
        }
    }
}
