public import EventHTTP
import Logging
import W3CTraceContext

/// W3C trace context for each request: the caller's `traceparent`/`tracestate` when they parse (swift-w3c-trace-context),
/// a new trace otherwise. The request gets a span of its own, whose ids go into every log line about it
/// (`trace_id`, `span_id`); the ClientLoop call gets a child span, sent as `traceparent`.
///
/// A malformed or repeated `traceparent` is ignored, as the specification asks, and never echoed or logged.
/// One per event loop: the ids come from a fast generator seeded once from the system's, on the loop's thread.
public final class RequestTrace {
    private var random: SplitMix64

    /// The log metadata keys of the request's trace and span ids.
    static let traceIDMetadataKey = "trace_id"
    static let spanIDMetadataKey = "span_id"

    public init() {
        var system = SystemRandomNumberGenerator()
        random = SplitMix64(seed: system.next())
    }

    /// Sets the request's log metadata and the headers its upstream call propagates.
    public func prepare(_ context: inout RequestContext, for request: HTTPRequest) {
        let incoming = Self.incoming(request.headers)
        let traceID = incoming?.traceID ?? TraceID.random(using: &random)
        let requestSpan = SpanID.random(using: &random)
        // A new trace is sampled, so that ClientLoop's side keeps what it records of this call.
        let upstream = TraceContext(traceID: traceID, spanID: SpanID.random(using: &random),
                                    flags: incoming?.flags ?? .sampled, state: incoming?.state ?? TraceState())
        // The ids themselves, not their text: it is written only if a line about the request is logged.
        context.logger[metadataKey: Self.traceIDMetadataKey] = .stringConvertible(traceID)
        context.logger[metadataKey: Self.spanIDMetadataKey] = .stringConvertible(requestSpan)
        context.propagatedHeaders.replaceOrAdd(name: "traceparent", value: Self.traceParent(upstream))
        if let state = upstream.traceStateHeaderValue, !state.isEmpty {
            context.propagatedHeaders.replaceOrAdd(name: "tracestate", value: state)
        }
    }

    /// `traceParentHeaderValue`'s text (`00-`, trace id, `-`, span id, `-`, flags, in lower-case hex), written
    /// straight into the string's storage: the library interpolates it from three strings, for every request.
    static func traceParent(_ context: TraceContext) -> String {
        String(unsafeUninitializedCapacity: 55) { text in
            var count = 0
            func put(_ byte: UInt8) {
                text[count] = byte
                count += 1
            }
            func putHex(_ byte: UInt8) {
                put(LowercaseHex.digit(byte >> 4))
                put(LowercaseHex.digit(byte & 0x0F))
            }
            put(UInt8(ascii: "0"))
            put(UInt8(ascii: "0"))
            put(UInt8(ascii: "-"))
            withUnsafeBytes(of: context.traceID.bytes) { $0.forEach(putHex) }
            put(UInt8(ascii: "-"))
            withUnsafeBytes(of: context.spanID.bytes) { $0.forEach(putHex) }
            put(UInt8(ascii: "-"))
            putHex(context.flags.rawValue)
            return count
        }
    }

    /// The caller's trace context, when it sent exactly one `traceparent` that parses.
    static func incoming(_ headers: HTTPHeaders) -> TraceContext? {
        let parents = headers.values(named: "traceparent")
        guard parents.count == 1 else { return nil }
        let states = headers.values(named: "tracestate")
        // Several tracestate fields are one list (W3C §3.3.1.1).
        let state = states.isEmpty ? nil : states.joined(separator: ",")
        if let context = try? TraceContext(traceParentHeaderValue: parents[0], traceStateHeaderValue: state) {
            return context
        }
        // A tracestate that does not parse is dropped; the traceparent still counts.
        return try? TraceContext(traceParentHeaderValue: parents[0])
    }
}

/// SplitMix64 (Steele, Lea and Flood): a small, fast generator for ids that must be unique, not secret.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
