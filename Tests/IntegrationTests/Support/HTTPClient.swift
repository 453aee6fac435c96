import Foundation
import IDVBFF

/// A deliberately small HTTP/1.1 client over a blocking loopback socket, so tests control every byte sent.
final class HTTPConnection {
    private let descriptor: Int32
    private var buffered: [UInt8] = []

    struct Response {
        var status: Int
        /// The status line's reason phrase.
        var reason = ""
        var headers: [(name: String, value: String)]
        var body: [UInt8]

        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        /// The body as a JSON object; `nil` unless it is strict JSON (no duplicate keys, valid UTF-8) and an object.
        var json: [String: Any]? {
            guard (try? StrictJSON.parse(body)) != nil else { return nil }
            return (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
        }

        var errorCode: String? {
            (json?["error"] as? [String: Any])?["code"] as? String
        }
    }

    init(port: Int, timeout: TimeInterval = 10) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw HTTPClientError.socket(errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var wait = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard status == 0 else {
            close(descriptor)
            throw HTTPClientError.connect(errno)
        }
    }

    deinit {
        close(descriptor)
    }

    /// Sends raw bytes as they are.
    func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Foundation.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { throw HTTPClientError.send(errno) }
            offset += written
        }
    }

    /// Sends a whole request.
    func send(method: String, path: String, headers: [(String, String)] = [], body: [UInt8] = []) throws {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (name, value) in headers {
            head += "\(name): \(value)\r\n"
        }
        if !body.isEmpty || method == "POST" {
            head += "Content-Length: \(body.count)\r\n"
        }
        head += "\r\n"
        try send(Array(head.utf8) + body)
    }

    /// Reads one response strictly (RFC 9112): `HTTP/1.1 ddd reason` (`HTTP/1.0` for such requests), fields as `token: value`, and a body framed
    /// by one `Content-Length`, by chunked coding, or by the close; none for `HEAD`, 1xx, 204 and 304. Anything
    /// else throws, so that a server sending stray bytes (a body after a HEAD answer, say) fails the next read.
    /// - Parameter method: the request's method, which decides whether a body follows.
    func readResponse(method: String = "GET") throws -> Response {
        let headBytes = try readUntil(Array("\r\n\r\n".utf8))
        guard let head = String(validating: headBytes.dropLast(4), as: UTF8.self) else { throw HTTPClientError.malformed("head is not UTF-8") }
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst()
        let status = try Self.status(of: statusLine)
        let reason = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false).dropFirst(2).first.map(String.init) ?? ""
        let headers = try lines.map { line -> (name: String, value: String) in
            guard let colon = line.firstIndex(of: ":") else { throw HTTPClientError.malformed("field without colon: \(line)") }
            let name = String(line[..<colon])
            guard !name.isEmpty, name.allSatisfy(Self.isTokenCharacter) else { throw HTTPClientError.malformed("bad field name: \(line)") }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
            guard !value.contains("\r"), !value.contains("\n") else { throw HTTPClientError.malformed("bad field value: \(line)") }
            return (name, value)
        }
        var response = Response(status: status, reason: reason, headers: headers, body: [])
        let lengths = headers.filter { $0.name.lowercased() == "content-length" }.map(\.value)
        let transferEncoding = response.header("Transfer-Encoding")
        guard lengths.count <= 1, !(lengths.count == 1 && transferEncoding != nil) else {
            throw HTTPClientError.malformed("ambiguous framing: \(head)")
        }
        if method == "HEAD" || (100..<200).contains(status) || status == 204 || status == 304 {
            return response
        }
        if let transferEncoding {
            guard transferEncoding.lowercased() == "chunked" else { throw HTTPClientError.malformed("coding \(transferEncoding)") }
            response.body = try readChunkedBody()
        } else if let length = lengths.first {
            guard !length.isEmpty, length.allSatisfy({ $0.isASCII && $0.isNumber }), let count = Int(length) else {
                throw HTTPClientError.malformed("Content-Length \(length)")
            }
            response.body = try readExactly(count)
        } else {
            response.body = try readToEnd()
        }
        return response
    }

    /// `HTTP/1.x ddd reason-phrase`, exactly.
    private static func status(of line: String) throws -> Int {
        let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0] == "HTTP/1.1" || parts[0] == "HTTP/1.0", parts[1].count == 3, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
              let status = Int(parts[1]), (100...599).contains(status),
              line.unicodeScalars.allSatisfy({ $0 == "\t" || ($0.value >= 0x20 && $0.value != 0x7F) })
        else { throw HTTPClientError.malformed("status line: \(line)") }
        return status
    }

    private static func isTokenCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || "!#$%&'*+-.^_`|~".contains(character))
    }

    private func readChunkedBody() throws -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let sizeLine = String(decoding: try readUntil(Array("\r\n".utf8)).dropLast(2), as: UTF8.self)
            guard let size = Int(sizeLine.split(separator: ";").first.map(String.init) ?? "", radix: 16) else {
                throw HTTPClientError.malformed("chunk size: \(sizeLine)")
            }
            if size == 0 {
                guard try readUntil(Array("\r\n".utf8)).count == 2 else { throw HTTPClientError.malformed("trailers") }
                return body
            }
            body += try readExactly(size)
            guard try readExactly(2) == Array("\r\n".utf8) else { throw HTTPClientError.malformed("chunk end") }
        }
    }

    private func readToEnd() throws -> [UInt8] {
        while true {
            do { try fill() } catch HTTPClientError.closed { break }
        }
        defer { buffered.removeAll() }
        return buffered
    }

    /// Sends a request and reads its response.
    func request(_ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8] = []) throws -> Response {
        try send(method: method, path: path, headers: headers, body: body)
        return try readResponse(method: method)
    }

    /// Closes the sending side: the server reads end-of-file after what was sent.
    func halfClose() {
        shutdown(descriptor, Int32(SHUT_WR))
    }

    /// Whether the server has closed the connection (reads end-of-file).
    func isClosedByPeer() -> Bool {
        var byte: UInt8 = 0
        return recv(descriptor, &byte, 1, 0) == 0
    }

    /// What the server has done by now, waiting up to `timeout` for it to act.
    enum PeerState: Equatable {
        /// Nothing yet: the connection is open and silent.
        case silent
        /// The server closed the connection (or reset it) without sending a byte.
        case closedUnanswered
        /// The server sent something.
        case answered
    }

    func peerState(within timeout: TimeInterval = 0) -> PeerState {
        var descriptorSet = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptorSet, 1, Int32(timeout * 1000)) > 0 else { return .silent }
        var byte: UInt8 = 0
        let count = recv(descriptor, &byte, 1, 0)
        return count > 0 ? .answered : .closedUnanswered
    }

    /// Whether the server closes the connection within `timeout` without sending anything first.
    func closedWithoutAnswer(within timeout: TimeInterval = 0) -> Bool {
        peerState(within: timeout) == .closedUnanswered
    }

    /// Sends `bytes` one at a time, `interval` apart, while the server stays silent. Returns how many were sent and
    /// what the server did: `.silent` means every byte went out and the server never acted.
    func trickle(_ bytes: [UInt8], interval: TimeInterval) -> (sent: Int, outcome: PeerState) {
        for (index, byte) in bytes.enumerated() {
            let state = peerState(within: interval)
            if state != .silent {
                return (index, state)
            }
            guard (try? send([byte])) != nil else { return (index, .closedUnanswered) }
        }
        return (bytes.count, .silent)
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 16384)
        let count = recv(descriptor, &chunk, chunk.count, 0)
        guard count > 0 else { throw count == 0 ? HTTPClientError.closed : HTTPClientError.receive(errno) }
        buffered += chunk[0..<count]
    }

    private func readUntil(_ terminator: [UInt8]) throws -> [UInt8] {
        while true {
            if let range = firstRange(of: terminator) {
                let head = Array(buffered[..<range.upperBound])
                buffered.removeFirst(range.upperBound)
                return head
            }
            try fill()
        }
    }

    private func readExactly(_ count: Int) throws -> [UInt8] {
        while buffered.count < count {
            try fill()
        }
        let body = Array(buffered[..<count])
        buffered.removeFirst(count)
        return body
    }

    private func firstRange(of pattern: [UInt8]) -> Range<Int>? {
        guard buffered.count >= pattern.count else { return nil }
        for start in 0...(buffered.count - pattern.count) where buffered[start..<(start + pattern.count)].elementsEqual(pattern) {
            return start..<(start + pattern.count)
        }
        return nil
    }
}

enum HTTPClientError: Error {
    case socket(Int32), connect(Int32), send(Int32), receive(Int32), closed, malformed(String)
}

/// One request on a fresh connection.
func httpRequest(port: Int, _ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8] = []) throws -> HTTPConnection.Response {
    try HTTPConnection(port: port).request(method, path, headers: headers, body: body)
}
