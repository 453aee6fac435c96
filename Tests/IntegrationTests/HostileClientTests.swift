import Foundation
import IDVBFF
import Testing

/// Malformed and adversarial requests, kept as data in `Corpus/hostile-requests.jsonl` (written by
/// `scripts/make-hostile-corpus.py`): each must be refused, none may reach ClientLoop, and the server must stay healthy.
@Suite("Hostile clients")
struct HostileClientTests {
    struct Case: Decodable {
        let name: String
        let request: String
        let halfClose: Bool
    }

    static let corpus: [Case] = {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus/hostile-requests.jsonl")
        let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(Case.self, from: Data($0.utf8)) }
    }()

    /// How the server dealt with one case.
    enum Outcome: Equatable {
        /// An error status; `code` when the body was the service's JSON error.
        case refused(status: Int, code: String?)
        /// Closed without an answer.
        case closed
        /// Anything else: a success, or an answer that is not HTTP.
        case wrong(String)
    }

    @Test("every request of the corpus is refused or cut off, none reaches ClientLoop, and the server stays healthy")
    func corpusIsRefused() throws {
        #expect(Self.corpus.count >= 200)
        let fixture = try UpstreamFixture(environment: ["HTTP_REQUEST_TIMEOUT_SECONDS": "2"])
        var outcomes: [String: Int] = [:]
        for hostile in Self.corpus {
            let outcome = try Self.send(hostile, to: fixture.server.port)
            switch outcome {
            case .refused(let status, let code):
                outcomes["\(status) \(code ?? "(libevent)")", default: 0] += 1
            case .closed:
                outcomes["closed", default: 0] += 1
            case .wrong(let what):
                Issue.record("\(hostile.name): \(what)")
            }
            let health = try httpRequest(port: fixture.server.port, "GET", "/healthz")
            #expect(health.status == 200, "unhealthy after \(hostile.name)")
        }
        #expect(try fixture.fakeStats()["requests"] as? Int == 0)
        print("hostile corpus: \(Self.corpus.count) cases, \(outcomes.sorted { $0.key < $1.key })")
    }

    private static func send(_ hostile: Case, to port: Int) throws -> Outcome {
        guard let bytes = Data(base64Encoded: hostile.request) else { return .wrong("undecodable case") }
        let connection = try HTTPConnection(port: port)
        do {
            try connection.send(Array(bytes))
        } catch {
            // The server stopped reading (an over-limit head or body) and closed; its answer may still be there.
        }
        if hostile.halfClose {
            connection.halfClose()
        }
        let method = bytes.starts(with: Array("HEAD ".utf8)) ? "HEAD" : "POST"
        do {
            var response = try connection.readResponse(method: method)
            while (100..<200).contains(response.status) {
                response = try connection.readResponse(method: method)
            }
            guard response.status >= 400 else { return .wrong("answered \(response.status)") }
            if response.header("Content-Type") == "application/json", method != "HEAD" {
                guard let code = response.errorCode else { return .wrong("a JSON answer without an error code") }
                return .refused(status: response.status, code: code)
            }
            return .refused(status: response.status, code: nil)
        } catch HTTPClientError.closed, HTTPClientError.receive {
            return .closed
        } catch {
            return .wrong("\(error)")
        }
    }
}
