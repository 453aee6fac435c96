/// Reads one HTTP/1.1 response from the bytes an upstream connection delivers, strictly: an answer that could be
/// framed two ways, or that is not HTTP at all, is refused rather than guessed at, since what is read here decides
/// whether a mint succeeded and whether the connection may carry the next one.
///
/// The rules (RFC 9112): a status line `HTTP/1.x NNN reason`; header lines of a token, a colon and a value, each
/// ended by CRLF (no bare CR or LF, no obsolete line folding, no space before the colon); the head at most
/// ``maxHeadBytes``. The body is framed by `Transfer-Encoding: chunked` or by `Content-Length` (identical values
/// only); a response with both, or with another transfer coding, is refused. With neither, the body runs until the
/// connection closes. Interim (1xx) responses are skipped; 204 and 304 have no body. The connection is reusable
/// only after an HTTP/1.1 response without `Connection: close`, framed by length, and with nothing after it.
struct UpstreamResponseParser {
    /// The largest response head accepted.
    static let maxHeadBytes = 64 * 1024
    /// The longest chunk-size line accepted (the size and any extensions).
    static let maxChunkLineBytes = 1024

    /// Why the bytes are not an acceptable response.
    enum Failure: Error, Equatable {
        /// Not HTTP, or ambiguous: the reason, for the log.
        case malformed(String)
        /// The head or the body is over its limit.
        case tooLarge
    }

    /// A complete response, and whether its connection may carry another request.
    struct Answer {
        var response: UpstreamResponse
        var reusable: Bool
    }

    private enum Framing {
        case none
        case length(Int)
        case chunked
        case untilClose
    }

    private struct Head {
        var status: Int
        var headers: HTTPHeaders
        var framing: Framing
        var keepAlive: Bool
    }

    private let maxBodyBytes: Int
    /// The bytes received and not yet consumed: the head until it is parsed, then the body's undecoded rest.
    private var buffer: [UInt8] = []
    /// Where to look for the end of the head next, so that a head arriving in pieces is scanned once.
    private var headScanStart = 0
    private var head: Head?
    /// The decoded body of a chunked response so far.
    private var chunkedBody: [UInt8] = []
    /// Whether the chunked body's last chunk has been read (its trailer section follows).
    private var inTrailers = false

    init(maxBodyBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
    }

    /// Takes the next bytes from the connection; returns the answer once it is complete, nil while more is needed.
    mutating func consume(_ bytes: UnsafeRawBufferPointer) throws(Failure) -> Answer? {
        buffer.append(contentsOf: bytes)
        while head == nil {
            guard let headLength = try headEnd() else { return nil }
            // Parsed in the buffer's storage: array slices would check and retain on every byte of the head.
            let parsed = try buffer.withUnsafeBufferPointer { bytes in
                Result { () throws(Failure) in try Self.parseHead(bytes[..<headLength], maxBodyBytes: maxBodyBytes) }
            }.get()
            buffer.removeSubrange(..<headLength)
            headScanStart = 0
            if let parsed { head = parsed }  // nil: an interim response, skipped
        }
        return try bodyIfComplete()
    }

    /// The connection closed: the answer, if a close is what completes it (a body framed by the close); nil when the
    /// response was cut short.
    mutating func finishAtClose() -> Answer? {
        guard let head, case .untilClose = head.framing else { return nil }
        return Answer(response: UpstreamResponse(status: head.status, headers: head.headers, body: buffer), reusable: false)
    }

    // MARK: The head

    /// The length of the head with its empty line, once it has all arrived.
    private mutating func headEnd() throws(Failure) -> Int? {
        let end = try buffer.withUnsafeBufferPointer { bytes in
            Result { () throws(Failure) -> Int? in
                var index = max(0, headScanStart - 3)
                while index + 4 <= bytes.count {
                    // Refused as soon as seen: a head of bare LFs would otherwise be waited on until the close.
                    guard bytes[index] != 10 || (index > 0 && bytes[index - 1] == 13) else { throw .malformed("a bare LF in the head") }
                    if bytes[index] == 13, bytes[index + 1] == 10, bytes[index + 2] == 13, bytes[index + 3] == 10 {
                        guard index + 4 <= Self.maxHeadBytes else { throw .tooLarge }
                        return index + 4
                    }
                    index += 1
                }
                return nil
            }
        }.get()
        if let end { return end }
        headScanStart = buffer.count
        guard buffer.count <= Self.maxHeadBytes else { throw .tooLarge }
        return nil
    }

    /// The parsed head, or nil for an interim (1xx) response. Read line by line in place: the only allocations are
    /// the header strings and their list.
    private static func parseHead(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, maxBodyBytes: Int) throws(Failure) -> Head? {
        // Without the final CRLF CRLF; every line must end in CRLF. A bare LF was refused as it arrived (`headEnd`);
        // a CR must be followed by LF.
        let text = bytes.dropLast(4)
        var headers = HTTPHeaders()
        headers.reserveCapacity(8)  // a typical answer's fields, without growing the list three times
        var status = 0, minorVersion = 0
        var lineStart = text.startIndex
        var index = text.startIndex
        while index <= text.endIndex {
            if index < text.endIndex {
                guard text[index] == 13 else {
                    index += 1
                    continue
                }
                guard index + 1 < text.endIndex, text[index + 1] == 10 else { throw .malformed("a bare CR in the head") }
            }
            let line = text[lineStart..<index]
            if lineStart == text.startIndex {
                (status, minorVersion) = try parseStatusLine(line)
                if (100...199).contains(status) {
                    guard status != 101 else { throw .malformed("an unrequested protocol switch") }
                    return nil
                }
            } else {
                let field = try parseField(line)
                headers.add(name: field.name, value: field.value)
            }
            index += 2
            lineStart = index
        }
        let (framing, closes) = try framing(status: status, headers: headers, maxBodyBytes: maxBodyBytes)
        return Head(status: status, headers: headers, framing: framing, keepAlive: minorVersion == 1 && !closes)
    }

    /// `HTTP/1.0` or `HTTP/1.1`, a space, three digits, then the end or a space and a reason phrase.
    private static func parseStatusLine(_ line: Slice<UnsafeBufferPointer<UInt8>>) throws(Failure) -> (status: Int, minorVersion: Int) {
        let start = line.startIndex
        guard line.count >= 12, line[start..<(start + 7)].elementsEqual("HTTP/1.".utf8),
            line[start + 7] == 0x30 || line[start + 7] == 0x31, line[start + 8] == 0x20,
            line[(start + 9)..<(start + 12)].allSatisfy({ (0x30...0x39).contains($0) }),
            line.count == 12 || line[start + 12] == 0x20
        else { throw .malformed("not an HTTP/1.x status line") }
        guard line.dropFirst(13).allSatisfy(isFieldValueByte) else { throw .malformed("a control character in the reason phrase") }
        let status = line[(start + 9)..<(start + 12)].reduce(0) { $0 * 10 + Int($1 - 0x30) }
        guard status >= 100 else { throw .malformed("status \(status) is out of range") }
        return (status, Int(line[start + 7] - 0x30))
    }

    /// Generic for the head (read in place) and for trailers (read from the array).
    private static func parseField<Line: BidirectionalCollection<UInt8>>(_ line: Line) throws(Failure) -> (name: String, value: String)
    where Line.Index == Int, Line.SubSequence == Line {
        guard let first = line.first, !isSpaceOrTab(first) else { throw .malformed("obsolete line folding in the head") }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { throw .malformed("a header line without a colon") }
        let name = line[..<colon]
        guard !name.isEmpty, name.allSatisfy(RequestFraming.isTokenCharacter) else { throw .malformed("an invalid header name") }
        var value = line[(colon + 1)...]
        while let byte = value.first, isSpaceOrTab(byte) { value.removeFirst() }
        while let byte = value.last, isSpaceOrTab(byte) { value.removeLast() }
        guard value.allSatisfy(isFieldValueByte) else { throw .malformed("a control character in a header value") }
        return (String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
    }

    /// How the body is framed, and whether `Connection` lists `close`: one pass over the fields, list members read in
    /// place.
    private static func framing(status: Int, headers: HTTPHeaders, maxBodyBytes: Int) throws(Failure) -> (Framing, closes: Bool) {
        var codingFields = 0, codings = 0, chunked = false
        var lengthFields = 0, length: Substring?
        var closes = false
        for field in headers {
            let name = field.name.utf8
            if name.elementsEqualIgnoringASCIICase("Transfer-Encoding".utf8) {
                codingFields += 1
                HTTPFieldList.forEachMember(of: field.value) { member in
                    codings += 1
                    chunked = member.utf8.elementsEqualIgnoringASCIICase("chunked".utf8)
                }
            } else if name.elementsEqualIgnoringASCIICase("Content-Length".utf8) {
                lengthFields += 1
                var conflicting = false
                HTTPFieldList.forEachMember(of: field.value) { member in
                    if let length, length != member { conflicting = true }
                    length = member
                }
                guard !conflicting else { throw .malformed("conflicting Content-Length values") }
            } else if name.elementsEqualIgnoringASCIICase("Connection".utf8) {
                HTTPFieldList.forEachMember(of: field.value) { member in
                    if member.utf8.elementsEqualIgnoringASCIICase("close".utf8) { closes = true }
                }
            }
        }
        if status == 204 || status == 304 {
            return (.none, closes)
        }
        // A field present but empty frames nothing: not the same as no field at all.
        guard (codings == 0) == (codingFields == 0), (length == nil) == (lengthFields == 0) else {
            throw .malformed("an empty Transfer-Encoding or Content-Length")
        }
        if codings > 0 {
            guard length == nil else { throw .malformed("both Transfer-Encoding and Content-Length") }
            guard codings == 1, chunked else { throw .malformed("an unsupported transfer coding") }
            return (.chunked, closes)
        }
        guard let length else { return (.untilClose, closes) }
        guard length.utf8.count <= 18, length.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let value = Int(length) else {
            throw .malformed("an invalid Content-Length")
        }
        guard value <= maxBodyBytes else { throw .tooLarge }
        return (.length(value), closes)
    }

    // MARK: The body

    private mutating func bodyIfComplete() throws(Failure) -> Answer? {
        guard let head else { return nil }
        switch head.framing {
        case .none:
            return answer(head, body: [], rest: buffer.count)
        case .length(let length):
            guard buffer.count >= length else { return nil }
            return answer(head, body: Array(buffer[..<length]), rest: buffer.count - length)
        case .untilClose:
            guard buffer.count <= maxBodyBytes else { throw .tooLarge }
            return nil
        case .chunked:
            guard let rest = try decodeChunks() else { return nil }
            return answer(head, body: chunkedBody, rest: rest)
        }
    }

    /// Reusable only when nothing follows the response: bytes nobody asked for mean the peer is confused.
    private func answer(_ head: Head, body: [UInt8], rest: Int) -> Answer {
        Answer(response: UpstreamResponse(status: head.status, headers: head.headers, body: body), reusable: head.keepAlive && rest == 0)
    }

    /// Decodes the chunks buffered so far into `chunkedBody`; once the last chunk and the trailer section are in,
    /// returns how many bytes follow them.
    private mutating func decodeChunks() throws(Failure) -> Int? {
        var position = 0
        defer { buffer.removeSubrange(..<position) }
        while true {
            guard let lineEnd = Self.lineEnd(in: buffer, from: position) else {
                guard buffer.count - position <= (inTrailers ? Self.maxHeadBytes : Self.maxChunkLineBytes) else { throw .tooLarge }
                return nil
            }
            let line = buffer[position..<lineEnd]
            if inTrailers {
                position = lineEnd + 2
                if line.isEmpty { return buffer.count - position }
                _ = try Self.parseField(line)  // trailer fields are checked and dropped
                continue
            }
            let size = try Self.chunkSize(line)
            guard size <= maxBodyBytes - chunkedBody.count else { throw .tooLarge }
            if size == 0 {
                inTrailers = true
                position = lineEnd + 2
                continue
            }
            let dataStart = lineEnd + 2
            guard buffer.count >= dataStart + size + 2 else { return nil }
            guard buffer[dataStart + size] == 13, buffer[dataStart + size + 1] == 10 else {
                throw .malformed("a chunk not ended by CRLF")
            }
            chunkedBody.append(contentsOf: buffer[dataStart..<(dataStart + size)])
            position = dataStart + size + 2
        }
    }

    /// A chunk-size line: hexadecimal digits, then optionally `;` and extensions, which are ignored.
    private static func chunkSize(_ line: ArraySlice<UInt8>) throws(Failure) -> Int {
        let digits = line.prefix { $0 != UInt8(ascii: ";") }
        let rest = line[digits.endIndex...]
        guard !digits.isEmpty, digits.count <= 15, rest.allSatisfy(isFieldValueByte) else { throw .malformed("an invalid chunk size") }
        var size = 0
        for byte in digits {
            guard let digit = hexValue(byte) else { throw .malformed("an invalid chunk size") }
            size = size * 16 + digit
        }
        return size
    }

    /// The index of the CR of the next CRLF at or after `start` (a stray LF before it is refused by the line's own
    /// check).
    private static func lineEnd(in bytes: [UInt8], from start: Int) -> Int? {
        var index = start
        while index + 1 < bytes.count {
            if bytes[index] == 13, bytes[index + 1] == 10 { return index }
            index += 1
        }
        return nil
    }
}

/// Visible characters, space, tab and obs-text: no other control character (what a field value may hold, in a
/// response read or a request written).
func isFieldValueByte(_ byte: UInt8) -> Bool {
    byte == 0x09 || (byte >= 0x20 && byte != 0x7F)
}

private func hexValue(_ byte: UInt8) -> Int? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a")) + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A")) + 10
    default: nil
    }
}
