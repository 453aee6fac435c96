import CEventShim
import CLibevent
// For the shim's own copy of a libevent request into Swift values.
@testable import EventHTTP
import IDVBFF

#if canImport(Glibc)
import Glibc
#endif

/// libFuzzer's entry: one input through every parser that reads what clients or the upstream send (scripts/fuzz.sh
/// builds this with libFuzzer's coverage and AddressSanitizer). The first byte picks the parser, the rest is its
/// input; a crash, a sanitizer report or a broken invariant (checked with `precondition`) is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size > 0 else { return 0 }
    FuzzTargets.run(selector: data[0], input: Array(UnsafeBufferPointer(start: data + 1, count: size - 1)))
    return 0
}

enum FuzzTargets {
    static let cors = CORSPolicy(CORSOptions(allowedOrigins: .origins([CORSOrigin(scheme: .https, host: "app.example")])))
    static let addresses = ClientAddressResolver(trustedProxies: TrustedProxies.parse(entries: ["127.0.0.1/32", "::1/128"]).trustedProxies)

    static func run(selector: UInt8, input: [UInt8]) {
        let text = String(decoding: input, as: UTF8.self)
        switch selector % 8 {
        case 0:
            // The body of POST /idv-session, as JSON with and without a media type.
            _ = try? IDVSessionRequest.parse(contentType: "application/json", body: input)
            _ = try? IDVSessionRequest.parse(contentType: nil, body: input)
        case 1:
            // Strict JSON: whatever it accepts must be a document it can be asked about.
            if let value = try? StrictJSON.parse(input, maxDepth: 64) {
                _ = value["contactId"]?.stringValue
            }
        case 2:
            // An Origin header, alone and through the policy (preflight and actual request).
            _ = try? CORSOrigin(validating: text)
            _ = cors.decide(method: .post, headers: ["Host": "api.example", "Origin": text])
            _ = cors.decide(method: .options, headers: ["Origin": text, "Access-Control-Request-Method": "POST",
                                                       "Access-Control-Request-Headers": text])
        case 3:
            // X-Forwarded-For from a trusted proxy, and the peer address itself.
            _ = addresses.resolve(HTTPRequest(method: .post, path: "/", headers: ["X-Forwarded-For": text], peerAddress: "127.0.0.1"))
            _ = addresses.resolve(HTTPRequest(method: .post, path: "/", peerAddress: text))
        case 4:
            // Header fields as evhttp hands them over (name and value split at the first colon), through the
            // framing rules.
            var headers = HTTPHeaders()
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                let parts = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                headers.add(name: String(parts[0]), value: parts.count > 1 ? String(parts[1].trimmingSpacesAndTabs()) : "")
            }
            _ = RequestFraming.violation(headers: headers, version: .http11, method: .post)
            _ = RequestFraming.violation(headers: headers, version: HTTPVersion(major: 1, minor: 0), method: .head)
        case 5:
            // Request ids, and a rendered error quoting client text: always valid strict JSON.
            var generator = RequestIDGenerator(seed: 1)
            let id = RequestID.resolve(text, generator: &generator)
            let body = APIError.invalidRequest(field: text, reason: "is not a known field").response(requestID: id).body
            precondition((try? StrictJSON.parse(body)) != nil, "an error body is not strict JSON")
        case 6:
            // A request head through evhttp's server-side parser, the shim's copy of it into Swift values, and the
            // framing rules: the path every request takes before routing.
            let request = input.withUnsafeBufferPointer { cevent_request_parse_head($0.baseAddress, $0.count) }
            guard let request else { return }
            defer { evhttp_request_free(request) }
            if let parsed = HTTPRequest(libevent: request, connection: nil) {
                _ = RequestFraming.violation(headers: parsed.headers, version: parsed.version, method: parsed.method)
            }
        default:
            // An upstream response, whole and in two pieces split where its first byte says: the same outcome (but
            // for reuse: bytes after the answer in the same piece make it unreusable, in a later one the connection's
            // idle check does).
            guard let split = input.first.map({ Int($0) % input.count }) else { return }
            let response = Array(input.dropFirst())
            let whole = upstreamOutcome([response[...]])
            let pieces = upstreamOutcome([response[..<min(split, response.count)], response[min(split, response.count)...]])
            precondition(whole == pieces, "the response parser's outcome depends on how the bytes arrive")
        }
    }

    /// What the upstream response parser makes of `pieces` fed in turn and then a close, as text to compare.
    private static func upstreamOutcome(_ pieces: [ArraySlice<UInt8>]) -> String {
        var parser = UpstreamResponseParser(maxBodyBytes: 512)
        do {
            for piece in pieces {
                if let answer = try Array(piece).withUnsafeBytes({ try parser.consume($0) }) {
                    return "answer \(answer.response.status) \(answer.response.headers) \(answer.response.body)"
                }
            }
        } catch {
            return "failure \(error)"
        }
        guard let answer = parser.finishAtClose() else { return "incomplete" }
        precondition(!answer.reusable, "a body framed by the close left the connection reusable")
        return "at close \(answer.response.status) \(answer.response.body)"
    }
}

/// With `-DFUZZING` (and libFuzzer linked in), hands the command line to libFuzzer's driver; otherwise replays the
/// inputs named on the command line (a corpus, or a finding to reproduce).
@main
enum FuzzMain {
    static func main() {
        #if FUZZING
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput))
        #else
        for path in CommandLine.arguments.dropFirst() {
            guard let file = fopen(path, "rb") else { continue }
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            while case let count = fread(&chunk, 1, chunk.count, file), count > 0 {
                bytes += chunk[0..<count]
            }
            fclose(file)
            _ = bytes.withUnsafeBufferPointer { fuzzOneInput($0.baseAddress, $0.count) }
        }
        #endif
    }
}

#if FUZZING
/// libFuzzer's driver, for programs that keep their own `main`.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
#endif
