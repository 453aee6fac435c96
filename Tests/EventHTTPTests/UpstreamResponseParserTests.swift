import Testing
@testable import EventHTTP

@Suite("Upstream response parser")
struct UpstreamResponseParserTests {
    private typealias Failure = UpstreamResponseParser.Failure

    /// Feeds `pieces` in order; the answer if one completed (at the last piece, or at the close when `close`).
    private static func parse(_ pieces: [String], limit: Int = 1 << 20, close: Bool = false) throws -> UpstreamResponseParser.Answer? {
        var parser = UpstreamResponseParser(maxBodyBytes: limit)
        for (index, piece) in pieces.enumerated() {
            let bytes = Array(piece.utf8)
            let answer = try bytes.withUnsafeBytes { try parser.consume($0) }
            if let answer {
                #expect(index == pieces.count - 1, "completed before its last piece")
                return answer
            }
        }
        return close ? parser.finishAtClose() : nil
    }

    private static func failure(_ pieces: [String], limit: Int = 1 << 20) -> Failure? {
        do {
            _ = try parse(pieces, limit: limit)
            return nil
        } catch let error as Failure {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    private static func isMalformed(_ pieces: [String]) -> Bool {
        if case .malformed = failure(pieces) { true } else { false }
    }

    @Test func aContentLengthResponseCompletesExactlyAtItsLastByteAndKeepsTheConnection() throws {
        let answer = try #require(try Self.parse(["HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}"]))
        #expect(answer.response.status == 200)
        #expect(answer.response.headers["content-type"] == "application/json")
        #expect(answer.response.body == Array(#"{"a":1}"#.utf8))
        #expect(answer.reusable)
        #expect(try Self.parse(["HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n{\"a\":"]) == nil)
    }

    @Test func aResponseArrivingByteByByteIsTheSameResponse() throws {
        let text = "HTTP/1.1 201 Created\r\nX-A: b\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\nX-T: 1\r\n\r\n"
        let answer = try #require(try Self.parse(text.map { String($0) }))
        #expect(answer.response.status == 201)
        #expect(answer.response.body == Array("abcde".utf8))
        #expect(answer.reusable)
    }

    @Test func aChunkedBodyIsDecodedAndTheTrailersDropped() throws {
        let answer = try #require(try Self.parse(["HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n"]))
        #expect(answer.response.body == Array("0123456789".utf8))
        #expect(try Self.parse(["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n"]) == nil)
        #expect(Self.isMalformed(["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n"]))
        #expect(Self.isMalformed(["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"]))
        #expect(Self.isMalformed(["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\n"]))
    }

    @Test func aBodyFramedByTheCloseCompletesOnlyAtTheCloseAndIsNeverReused() throws {
        #expect(try Self.parse(["HTTP/1.1 200 OK\r\n\r\nhello"]) == nil)
        let answer = try #require(try Self.parse(["HTTP/1.1 200 OK\r\n\r\n", "hello"], close: true))
        #expect(answer.response.body == Array("hello".utf8))
        #expect(!answer.reusable)
    }

    @Test func aCloseBeforeTheFramedEndIsNoAnswer() throws {
        #expect(try Self.parse(["HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"], close: true) == nil)
        #expect(try Self.parse(["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab"], close: true) == nil)
        #expect(try Self.parse(["HTTP/1.1 200 OK\r\nContent-Le"], close: true) == nil)
    }

    @Test func interimResponsesAreSkippedAndASwitchIsRefused() throws {
        let answer = try #require(try Self.parse(["HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"]))
        #expect(answer.response.status == 200)
        #expect(answer.response.body == Array("ok".utf8))
        #expect(Self.isMalformed(["HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n"]))
    }

    @Test func noContentAndNotModifiedHaveNoBodyWhateverTheyClaim() throws {
        for status in ["204 No Content", "304 Not Modified"] {
            let answer = try #require(try Self.parse(["HTTP/1.1 \(status)\r\nContent-Length: 5\r\n\r\n"]))
            #expect(answer.response.body.isEmpty)
            #expect(answer.reusable)
        }
    }

    @Test func ambiguousFramingIsRefused() {
        #expect(Self.isMalformed(["HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"]))
        #expect(Self.isMalformed(["HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n"]))
        #expect(Self.isMalformed(["HTTP/1.1 200 OK\r\nContent-Length: 3, 4\r\n\r\n"]))
        #expect(Self.isMalformed(["HTTP/1.1 200 OK\r\nContent-Length: +3\r\n\r\n"]))
        #expect(Self.isMalformed(["HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n"]))
        #expect(Self.isMalformed(["HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n"]))
        #expect(Self.isMalformed(["HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"]))
        #expect(Self.isMalformed(["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"]))
        #expect(Self.isMalformed(["HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\n\r\n"]))
        #expect(Self.isMalformed(["HTTP/1.1 200 OK\r\nTransfer-Encoding: ,\r\n\r\n"]))
    }

    @Test func identicalContentLengthsAreOneLength() throws {
        let answer = try #require(try Self.parse(["HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok"]))
        #expect(answer.response.body == Array("ok".utf8))
    }

    @Test func aHeadThatIsNotStrictHTTPIsRefused() {
        let heads = [
            "HTTP/2 200 OK\r\n\r\n",
            "HTTP/1.1 20 OK\r\n\r\n",
            "HTTP/1.1 2000 OK\r\n\r\n",
            "HTTP/1.1 099 Low\r\n\r\n",
            "HTTP/1.1  200 OK\r\n\r\n",
            "http/1.1 200 OK\r\n\r\n",
            "ICY 200 OK\r\n\r\n",
            "HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n",
            "HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n",
            "HTTP/1.1 200 OK\r\nX: a\r\n b\r\n\r\n",
            "HTTP/1.1 200 OK\r\nX : a\r\n\r\n",
            "HTTP/1.1 200 OK\r\nNo colon\r\n\r\n",
            "HTTP/1.1 200 OK\r\n: empty name\r\n\r\n",
            "HTTP/1.1 200 OK\r\nX: a\u{0}b\r\n\r\n",
            "HTTP/1.1 200 O\u{7}K\r\n\r\n",
        ]
        for head in heads {
            #expect(Self.isMalformed([head]), "\(head.debugDescription)")
        }
    }

    @Test func aHeadOfBareLFsIsRefusedBeforeItEnds() {
        #expect(Self.isMalformed(["HTTP/1.1 200 OK\nContent-Type: application/json\n", "Content-Length: 2\n"]))
    }

    @Test func aStatusLineWithoutReasonIsAccepted() throws {
        let answer = try #require(try Self.parse(["HTTP/1.1 502\r\nContent-Length: 0\r\n\r\n"]))
        #expect(answer.response.status == 502)
    }

    @Test func valuesAreTrimmedAndRepeatedFieldsKept() throws {
        let answer = try #require(try Self.parse(["HTTP/1.1 200 OK\r\nVary: a \t\r\nVary:\tb\r\nContent-Length: 0\r\n\r\n"]))
        #expect(answer.response.headers.values(named: "vary") == ["a", "b"])
    }

    @Test func theConnectionIsReusedOnlyWhenNothingSaysOtherwise() throws {
        let close = try #require(try Self.parse(["HTTP/1.1 200 OK\r\nConnection: keep-alive, Close\r\nContent-Length: 0\r\n\r\n"]))
        #expect(!close.reusable)
        let old = try #require(try Self.parse(["HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n"]))
        #expect(!old.reusable)
        let extra = try #require(try Self.parse(["HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n"]))
        #expect(extra.response.body == Array("ok".utf8))
        #expect(!extra.reusable)
    }

    @Test func limitsAreEnforcedBeforeTheBytesArrive() {
        #expect(Self.failure(["HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n"], limit: 10) == .tooLarge)
        #expect(Self.failure(["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n5\r\n"], limit: 10) == .tooLarge)
        #expect(Self.failure(["HTTP/1.1 200 OK\r\n\r\n", String(repeating: "x", count: 11)], limit: 10) == .tooLarge)
        let longHead = "HTTP/1.1 200 OK\r\nX: " + String(repeating: "a", count: UpstreamResponseParser.maxHeadBytes)
        #expect(Self.failure([longHead]) == .tooLarge)
        #expect(Self.failure(["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + String(repeating: "0", count: 2_000)]) == .tooLarge)
        #expect(Self.isMalformed(["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + String(repeating: "f", count: 16) + "\r\n"]))
    }

    @Test func aRequestIsOneHeadWithItsLengthAndRefusesFieldsThatCouldSplitIt() throws {
        let targetAndHost = UpstreamCall.targetAndHost(for: UpstreamURL(scheme: .https, host: "graph.example", port: 8443, path: "/graphql"))
        let request = UpstreamRequest(headers: ["Authorization": "Bearer k", "Content-Type": "application/json"], body: Array("{}".utf8))
        let bytes = try #require(UpstreamCall.serialize(request, targetAndHost: targetAndHost))
        #expect(String(decoding: bytes, as: UTF8.self)
            == "POST /graphql HTTP/1.1\r\nHost: graph.example:8443\r\nAuthorization: Bearer k\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
        let get = try #require(UpstreamCall.serialize(UpstreamRequest(method: .get, headers: [:]), targetAndHost: targetAndHost))
        #expect(String(decoding: get, as: UTF8.self) == "GET /graphql HTTP/1.1\r\nHost: graph.example:8443\r\n\r\n")
        // The length in decimal, whatever its digits (a bodiless POST says 0).
        for length in [0, 9, 10, 100, 12_345] {
            let post = try #require(UpstreamCall.serialize(UpstreamRequest(headers: [:], body: Array(repeating: 0x61, count: length)),
                                                           targetAndHost: targetAndHost))
            #expect(String(decoding: post, as: UTF8.self)
                == "POST /graphql HTTP/1.1\r\nHost: graph.example:8443\r\nContent-Length: \(length)\r\n\r\n" + String(repeating: "a", count: length))
        }
        for headers: HTTPHeaders in [["X": "a\r\nInjected: 1"], ["X\r\nY": "a"], ["Bad Name": "a"], ["Content-Length": "5"], ["host": "evil"],
                                     ["": "a"], ["X": "a\u{7F}"], ["X": "a\nb"]] {
            #expect(UpstreamCall.serialize(UpstreamRequest(headers: headers), targetAndHost: targetAndHost) == nil, "\(headers)")
        }
    }
}
