import Logging
import Testing
import W3CTraceContext
@testable import EventHTTP
@testable import IDVBFF

@Suite("Request trace context")
struct RequestTraceTests {
    private static func prepared(_ headers: HTTPHeaders) -> RequestContext {
        var context = RequestContext(requestID: "r", logger: Logger(label: "test"))
        RequestTrace().prepare(&context, for: HTTPRequest(method: .post, path: "/idv-session", headers: headers))
        return context
    }

    @Test func theTraceparentTextIsTheLibrarysForEveryByteAndFlag() {
        var random = SplitMix64(seed: 42)
        for flags: UInt8 in [0, 1, 0x0F, 0x10, 0xFF] {
            for _ in 0..<200 {
                let context = TraceContext(traceID: .random(using: &random), spanID: .random(using: &random),
                                           flags: TraceFlags(rawValue: flags), state: TraceState())
                #expect(RequestTrace.traceParent(context) == context.traceParentHeaderValue)
            }
        }
    }

    @Test func anIncomingTraceIsContinuedWithANewSpanAndItsFlags() throws {
        let incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"
        let sent = try #require(Self.prepared(["traceparent": incoming]).propagatedHeaders["traceparent"])
        let parsed = try TraceContext(traceParentHeaderValue: sent)
        #expect(parsed.traceID.description == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(parsed.spanID.description != "00f067aa0ba902b7")
        #expect(parsed.flags.rawValue == 0)
    }

    @Test func aMalformedOrRepeatedTraceparentStartsANewSampledTrace() throws {
        let valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        var repeated = HTTPHeaders()
        repeated.add(name: "traceparent", value: valid)
        repeated.add(name: "traceparent", value: valid)
        for headers: HTTPHeaders in [["traceparent": "00-zz-00f067aa0ba902b7-01"], repeated, [:]] {
            let sent = try #require(Self.prepared(headers).propagatedHeaders["traceparent"])
            let parsed = try TraceContext(traceParentHeaderValue: sent)
            #expect(parsed.traceID.description != "4bf92f3577b34da6a3ce929d0e0e4736")
            #expect(parsed.flags.rawValue == 1)
        }
    }
}
