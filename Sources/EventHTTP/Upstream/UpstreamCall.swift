/// One attempt of an exchange on one connection: writes the request, reads the response with the strict parser,
/// and turns what the connection reports into a result for the pool.
///
/// The connection owns the call (``UpstreamConnection/call``) while it is on it; the call ends exactly once, with
/// an answer or a failure, unless the pool frees the connection first (a deadline), which ends nothing.
final class UpstreamCall {
    /// Why an attempt failed, with what the pool needs to decide about a retry.
    struct Failure: Error {
        var upstreamFailure: UpstreamTransportError
        var detail: String
        /// No request byte can have reached the upstream.
        var nothingSent: Bool
        var certificateRejected: Bool
    }

    let exchange: PendingExchange
    unowned let connection: UpstreamConnection
    private unowned let pool: UpstreamPool
    private var parser: UpstreamResponseParser

    init(exchange: PendingExchange, connection: UpstreamConnection, pool: UpstreamPool, maxResponseBytes: Int) {
        self.exchange = exchange
        self.connection = connection
        self.pool = pool
        parser = UpstreamResponseParser(maxBodyBytes: maxResponseBytes)
    }

    /// Writes the request; false if it cannot be sent (a header field that is not HTTP, a connection gone).
    func send(targetAndHost: [UInt8]) -> Bool {
        guard let bytes = Self.serialize(exchange.request, targetAndHost: targetAndHost) else { return false }
        return connection.write(bytes)
    }

    /// What follows the method in every request to `url`: the target, the version and the `Host` field. Made once
    /// per pool.
    static func targetAndHost(for url: UpstreamURL) -> [UInt8] {
        Array(" \(url.path) HTTP/1.1\r\nHost: \(url.authority)\r\n".utf8)
    }

    /// The request as HTTP/1.1, head and body in one buffer: one write, and over TLS one record. The target and
    /// `Host` come from ``targetAndHost(for:)``, `Content-Length` from the body; nil when a field could smuggle a line
    /// into the head.
    static func serialize(_ request: UpstreamRequest, targetAndHost: [UInt8]) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512 + request.body.count)  // a mint's head: 300 to 400 bytes
        bytes.append(contentsOf: request.method.rawValue.utf8)
        bytes.append(contentsOf: targetAndHost)
        for field in request.headers {
            guard !field.name.utf8.elementsEqualIgnoringASCIICase("Host".utf8),
                !field.name.utf8.elementsEqualIgnoringASCIICase("Content-Length".utf8),
                !field.name.isEmpty, append(field.name, to: &bytes, where: RequestFraming.isTokenCharacter)
            else { return nil }
            bytes.append(UInt8(ascii: ":"))
            bytes.append(UInt8(ascii: " "))
            guard append(field.value, to: &bytes, where: isFieldValueByte) else { return nil }
            bytes.append(13)
            bytes.append(10)
        }
        if request.method != .get || !request.body.isEmpty {
            bytes.append(contentsOf: "Content-Length: ".utf8)
            appendDecimal(request.body.count, to: &bytes)
            bytes.append(13)
            bytes.append(10)
        }
        bytes.append(13)
        bytes.append(10)
        bytes.append(contentsOf: request.body)
        return bytes
    }

    /// Appends the UTF-8 of `text` if every byte passes `isAllowed`, in one copy from the string's own storage
    /// (the request's fields are checked and copied on every mint); false if a byte does not.
    @inline(__always)
    private static func append(_ text: String, to bytes: inout [UInt8], where isAllowed: (UInt8) -> Bool) -> Bool {
        var text = text
        return text.withUTF8 { utf8 in
            guard utf8.allSatisfy(isAllowed) else { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
    }

    /// A length in decimal, most significant digit first, without a string in between.
    private static func appendDecimal(_ value: Int, to bytes: inout [UInt8]) {
        var divisor = 1
        while divisor <= value / 10 { divisor *= 10 }
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
            divisor /= 10
        } while divisor > 0
    }

    /// Bytes the connection read while this call is on it.
    func received(_ bytes: UnsafeRawBufferPointer) {
        let answer: UpstreamResponseParser.Answer?
        do {
            answer = try parser.consume(bytes)
        } catch {
            let kind: UpstreamTransportError
            let detail: String
            switch error {
            case .tooLarge:
                kind = .responseTooLarge
                detail = "upstream response exceeded the size limit"
            case .malformed(let reason):
                kind = .malformedResponse("invalid HTTP response: \(reason)")
                detail = "upstream sent an invalid HTTP response: \(reason)"
            }
            pool.callEnded(self, result: .failure(failure(kind, detail: detail)))
            return
        }
        if let answer {
            pool.callEnded(self, result: .success(answer))
        }
    }

    /// The connection closed (or failed to open) while this call was on it: complete only if the close ends the body.
    func connectionClosed() {
        if let answer = parser.finishAtClose() {
            pool.callEnded(self, result: .success(answer))
            return
        }
        let detail = connection.tlsFailure?.description ?? (connection.maySendHaveReachedUpstream
            ? "connection closed before the response was complete"
            : "could not connect (DNS failure, connection refused or reset before the TLS handshake finished)")
        pool.callEnded(self, result: .failure(failure(.unavailable(detail), detail: detail)))
    }

    private func failure(_ kind: UpstreamTransportError, detail: String) -> Failure {
        let certificateRejected = if case .certificateRejected = connection.tlsFailure { true } else { false }
        return Failure(
            upstreamFailure: kind, detail: detail, nothingSent: !connection.maySendHaveReachedUpstream,
            certificateRejected: certificateRejected
        )
    }
}
