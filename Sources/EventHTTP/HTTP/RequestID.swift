/// Request ids tie an access-log line, upstream calls and the client's view of one request together.
public enum RequestID {
    /// The header that carries the id both ways.
    public static let headerName = "X-Request-Id"
    /// The log metadata key every line about the request carries it under.
    public static let logMetadataKey = "requestId"

    /// Longest id accepted from a client.
    public static let maximumLength = 128

    /// Whether a client-supplied id is sane enough to reuse: 1 to 128 visible ASCII characters, nothing else.
    public static func isAcceptable(_ candidate: String) -> Bool {
        let bytes = candidate.utf8
        return !bytes.isEmpty && bytes.count <= maximumLength && bytes.allSatisfy { $0 >= 0x21 && $0 <= 0x7E }
    }

    /// The id to use: the client's when acceptable, otherwise a fresh one.
    public static func resolve(_ supplied: String?, generator: inout RequestIDGenerator) -> String {
        if let supplied, isAcceptable(supplied) {
            return supplied
        }
        return generator.next()
    }
}

/// Generates 128-bit random ids as 32 lower-case hex digits without a system call per request.
///
/// Ids correlate logs; they are not secrets, so a fast generator seeded from the system's is enough.
/// Each event loop owns one, so no lock is needed.
public struct RequestIDGenerator: Sendable {
    private var state: UInt64

    /// Seeds from the system random source.
    public init() {
        var system = SystemRandomNumberGenerator()
        state = system.next()
    }

    /// A reproducible sequence, for tests.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next id, written straight into its one allocation.
    public mutating func next() -> String {
        let words = (nextWord(), nextWord())
        return String(unsafeUninitializedCapacity: 32) { buffer in
            for index in 0..<32 {
                let word = index < 16 ? words.0 : words.1
                let digit = UInt8(truncatingIfNeeded: word >> UInt64(60 - (index % 16) * 4)) & 0xF
                buffer[index] = LowercaseHex.digit(digit)
            }
            return 32
        }
    }

    // SplitMix64: small, fast and well distributed.
    private mutating func nextWord() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Lower-case hexadecimal, for what is written a byte at a time: request ids, trace ids, JSON escapes.
public enum LowercaseHex {
    /// The digit of `nibble` (0 to 15).
    @inlinable
    public static func digit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") - 10 + nibble
    }
}
