import Testing
@testable import EventHTTP

@Suite("Request framing rules")
struct RequestFramingRuleTests {
    private static func violation(
        _ fields: [(String, String)], version: HTTPVersion = .http11, method: HTTPMethod = .post
    ) -> RequestFraming.Violation? {
        var headers = HTTPHeaders()
        for (name, value) in fields {
            headers.add(name: name, value: value)
        }
        return RequestFraming.violation(headers: headers, version: version, method: method)
    }

    @Test func aBodyOnHEADOrTRACEIsRefusedSinceItWouldBeReadAsTheNextRequest() {
        for method in [HTTPMethod.head, .trace] {
            #expect(Self.violation([("Host", "a"), ("Content-Length", "41")], method: method) == .bodyOnBodilessMethod)
            #expect(Self.violation([("Host", "a"), ("Content-Length", "0")], method: method) == nil)
            #expect(Self.violation([("Host", "a"), ("Content-Length", "00")], method: method) == nil)
            #expect(Self.violation([("Host", "a")], method: method) == nil)
            #expect(Self.violation([("Host", "a"), ("Transfer-Encoding", "chunked")], method: method) == .chunkedBody)
        }
        // Every other method's body is read (and framed by Content-Length).
        for method in HTTPMethod.allCases where method != .head && method != .trace {
            #expect(Self.violation([("Host", "a"), ("Content-Length", "41")], method: method) == nil)
        }
    }

    /// The character classes are switches for speed; every byte is checked against the grammar's lists.
    @Test func tokenAndAuthorityCharactersAreExactlyTheGrammars() {
        let alphanumeric = Set((UInt8(ascii: "0")...UInt8(ascii: "9")).map { $0 } + (UInt8(ascii: "a")...UInt8(ascii: "z")).map { $0 }
            + (UInt8(ascii: "A")...UInt8(ascii: "Z")).map { $0 })
        let tchar = alphanumeric.union("!#$%&'*+-.^_`|~".utf8)
        let authority = alphanumeric.union("-._~%!$&'()*+,;=:[]".utf8)
        for byte in UInt8.min...UInt8.max {
            #expect(RequestFraming.isTokenCharacter(byte) == tchar.contains(byte), "tchar \(byte)")
            #expect(RequestFraming.isAuthorityCharacter(byte) == authority.contains(byte), "authority \(byte)")
        }
    }

    @Test func unambiguousRequestsPass() {
        #expect(Self.violation([("Host", "a"), ("Content-Length", "12")]) == nil)
        #expect(Self.violation([("host", "a")]) == nil)
        #expect(Self.violation([("Host", "[::1]:8080")]) == nil)
        #expect(Self.violation([("Host", "")]) == nil)
        #expect(Self.violation([], version: HTTPVersion(major: 1, minor: 0)) == nil)
    }

    @Test(arguments: [
        ([("Host", "a"), ("Content-Length", "1"), ("content-length", "1")], RequestFraming.Violation.repeatedContentLength),
        ([("Host", "a"), ("Content-Length", "+1")], .invalidContentLength),
        ([("Host", "a"), ("Content-Length", "")], .invalidContentLength),
        ([("Host", "a"), ("Content-Length", "1"), ("Transfer-Encoding", "chunked")], .contentLengthWithTransferEncoding),
        ([("Host", "a"), ("Transfer-Encoding", "gzip, chunked")], .unsupportedTransferEncoding),
        ([("Host", "a"), ("Transfer-Encoding", "chunked"), ("Transfer-Encoding", "chunked")], .unsupportedTransferEncoding),
        ([("Content-Length", "1")], .missingHost),
        ([("Host", "a"), ("Host", "b")], .repeatedHost),
        ([("Host", "a, b")], .invalidHost),
        ([("Host", "a/b")], .invalidHost),
        ([("Host", "a@b")], .invalidHost),
        ([("Host", "a"), ("Transfer-Encoding", "Chunked")], .chunkedBody),
        ([("Host", "a"), ("Content-Length ", "1")], .invalidFieldName),
        ([("Host", "a"), ("X\u{1}", "1")], .invalidFieldName),
    ])
    func ambiguousRequestsAreNamed(fields: [(String, String)], expected: RequestFraming.Violation) {
        #expect(Self.violation(fields) == expected)
    }

    @Test func transferEncodingIsRefusedInHTTP10() {
        #expect(Self.violation([("Transfer-Encoding", "chunked")], version: HTTPVersion(major: 1, minor: 0)) == .transferEncodingInHTTP10)
    }
}
