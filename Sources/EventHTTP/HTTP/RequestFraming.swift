/// The framing rules a request must meet before anything acts on it (RFC 9112 §3.2, §5.1, §6.1–6.3).
///
/// evhttp frames a body by the first `Content-Length` (parsed leniently), ignores a `Transfer-Encoding` other than
/// `chunked`, keeps whitespace before a field's colon as part of its name, and does not insist on `Host`. A proxy in
/// front may read the same bytes differently, which is how requests are smuggled. So every request whose framing is
/// ambiguous is refused with `400` and `Connection: close`, which makes evhttp drop whatever else is buffered on the
/// connection: a request pipelined behind a refused one is never processed.
///
/// Chunked request bodies are refused too (`411`): libevent reads chunk sizes leniently (`0x2`, a missing CRLF after
/// a chunk), so a proxy could frame the same bytes differently, and browsers' `fetch` always sends `Content-Length`.
///
/// Bare LF line endings are accepted, as evhttp (and nginx) read them: RFC 9112 §2.2 lets a recipient recognise a
/// single LF as a line terminator. A proxy in front must therefore not treat a bare LF as anything but a line end.
public enum RequestFraming {
    /// What is wrong with a request's framing, in a fixed phrase safe to answer with.
    public enum Violation: String, Sendable, Equatable, CaseIterable {
        case repeatedContentLength = "more than one Content-Length field"
        case invalidContentLength = "a Content-Length that is not a decimal number"
        case contentLengthWithTransferEncoding = "both Content-Length and Transfer-Encoding"
        case unsupportedTransferEncoding = "a Transfer-Encoding other than chunked"
        case chunkedBody = "a chunked body; send Content-Length"
        case transferEncodingInHTTP10 = "Transfer-Encoding in an HTTP/1.0 request"
        case missingHost = "no Host field"
        case repeatedHost = "more than one Host field"
        case invalidHost = "a Host that is not a host and port"
        case invalidFieldName = "a field name that is not a token (whitespace before the colon, say)"
        case bodyOnBodilessMethod = "a body on a HEAD or TRACE request, which is never read"
    }

    /// The methods whose body evhttp never reads: their body bytes would be parsed as the next request.
    static let methodsWithoutBody: Set<HTTPMethod> = [.head, .trace]

    /// The first rule the request breaks, or `nil` when its framing is unambiguous.
    /// - Parameters:
    ///   - headers: The request's fields as evhttp parsed them, names as sent.
    ///   - version: The request's HTTP version.
    ///   - method: The request's method: evhttp reads no body for `HEAD` and `TRACE`, so one announced there is
    ///     refused rather than left in the buffer to be read as another request.
    public static func violation(headers: HTTPHeaders, version: HTTPVersion, method: HTTPMethod) -> Violation? {
        // Counts and first values rather than lists: repeated fields are refused, so only Transfer-Encoding (rare)
        // needs every value.
        var contentLengthCount = 0
        var contentLength: String?
        var transferEncodings: [String] = []
        var hostCount = 0
        var host: String?
        for field in headers {
            guard isToken(field.name) else { return .invalidFieldName }
            if field.name.utf8.elementsEqualIgnoringASCIICase("content-length".utf8) {
                contentLengthCount += 1
                contentLength = contentLength ?? field.value
            } else if field.name.utf8.elementsEqualIgnoringASCIICase("transfer-encoding".utf8) {
                transferEncodings.append(field.value)
            } else if field.name.utf8.elementsEqualIgnoringASCIICase("host".utf8) {
                hostCount += 1
                host = host ?? field.value
            }
        }
        if contentLengthCount > 1 { return .repeatedContentLength }
        if let length = contentLength, length.isEmpty || !length.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            return .invalidContentLength
        }
        if !transferEncodings.isEmpty {
            if contentLength != nil { return .contentLengthWithTransferEncoding }
            if version < HTTPVersion(major: 1, minor: 1) { return .transferEncodingInHTTP10 }
            let codings = HTTPFieldList.members(of: transferEncodings)
            guard codings.count == 1, codings[0].utf8.elementsEqualIgnoringASCIICase("chunked".utf8) else {
                return .unsupportedTransferEncoding
            }
            return .chunkedBody
        }
        // (A Transfer-Encoding was refused above, whatever the method.)
        if methodsWithoutBody.contains(method), let length = contentLength, length.contains(where: { $0 != "0" }) {
            return .bodyOnBodilessMethod
        }
        if hostCount > 1 { return .repeatedHost }
        if host == nil, version >= HTTPVersion(major: 1, minor: 1) { return .missingHost }
        if let host, !host.utf8.allSatisfy(isAuthorityCharacter) { return .invalidHost }
        return nil
    }

    /// RFC 3986 §3.2: what a host (name, IPv4, or bracketed IPv6 literal) and port are written with. An empty Host
    /// is allowed (RFC 9112 §3.2).
    static func isAuthorityCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
            true
        // `-._~%!$&'()*+,;=:[]`; `$` to `.` is the run `$%&'()*+,-.`.
        case UInt8(ascii: "!"), UInt8(ascii: "$")...UInt8(ascii: "."), UInt8(ascii: ":"), UInt8(ascii: ";"),
            UInt8(ascii: "="), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// RFC 9110 §5.6.2: `token = 1*tchar`.
    static func isToken(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy(isTokenCharacter)
    }

    /// `tchar`: also what the upstream response parser accepts in header names.
    static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
            true
        // The punctuation `!#$%&'*+-.^_`|~`, as cases rather than a search of a string: every byte of every field
        // name the server reads and sends is tested.
        case UInt8(ascii: "!"), UInt8(ascii: "#")...UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"),
            UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }
}
