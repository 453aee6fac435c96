import EventHTTP
public import Logging

/// A swift-log handler that writes one JSON object per line to standard error.
///
/// Each line is built whole and written whole (several to a `write(2)` on a busy loop), so lines from different
/// threads never interleave. Fields: `timestamp` (UTC, milliseconds), `level`, `message`, `label`, then the metadata.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let label: String
    /// Where lines go: `nil` is standard error.
    private let sink: (@Sendable (String) -> Void)?

    /// A handler writing to standard error: on event-loop threads once per loop turn (``LoopBatchedOutput``),
    /// except errors, which go out at once in case the process is about to end.
    public init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
        self.sink = nil
        reserveRequestMetadata()
    }

    /// A handler handing each finished line (newline included) to `sink`, for tests.
    public init(label: String, level: Logger.Level, sink: @escaping @Sendable (String) -> Void) {
        self.label = label
        self.logLevel = level
        self.sink = sink
        reserveRequestMetadata()
    }

    /// Room for what every request's logger adds (`requestId`, `trace_id`, `span_id`): each request's copy of the
    /// metadata then starts at that size instead of growing twice.
    private mutating func reserveRequestMetadata() {
        metadata.reserveCapacity(4)
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        // Built as bytes: appending to a String piece by piece cost more than the rest of a request.
        var line: [UInt8] = []
        line.reserveCapacity(512)
        line += "{\"timestamp\":\"".utf8
        UTCTimestamp.appendNow(to: &line)
        line += "\",\"level\":\"".utf8
        line += event.level.rawValue.utf8
        line += "\",\"message\":".utf8
        JSONText.appendString("\(event.message)", to: &line)
        line += ",\"label\":".utf8
        JSONText.appendString(label, to: &line)
        // The handler's metadata and the event's, the event's winning, in key order: without merging dictionaries.
        let extra = event.metadata ?? [:]
        var keys: [String] = []
        keys.reserveCapacity(metadata.count + extra.count)
        keys.append(contentsOf: metadata.keys)
        keys.append(contentsOf: extra.keys.lazy.filter { metadata[$0] == nil })
        keys.sort()
        for key in keys where !JSONLogHandler.reservedKeys.contains(key) {
            line.append(UInt8(ascii: ","))
            JSONText.appendString(key, to: &line)
            line.append(UInt8(ascii: ":"))
            JSONText.appendValue(extra[key] ?? metadata[key]!, to: &line)
        }
        line += "}\n".utf8
        line.withUnsafeBufferPointer { line in
            if let sink {
                sink(String(decoding: line, as: UTF8.self))
            } else {
                LoopBatchedOutput.writeLine(line, now: event.level >= .error)
            }
        }
    }

    private static let reservedKeys: Set<String> = ["timestamp", "level", "message", "label"]
}

extension JSONText {
    /// Appends a metadata value: numbers and booleans stay JSON numbers and booleans, the rest become strings.
    static func appendValue(_ value: Logger.Metadata.Value, to output: inout [UInt8]) {
        switch value {
        case .string(let string):
            appendString(string, to: &output)
        case .stringConvertible(let convertible):
            switch convertible {
            case let number as Int: output += String(number).utf8
            case let number as Double where number.isFinite: output += String(number).utf8
            case let flag as Bool: output += (flag ? "true" : "false").utf8
            default: appendString(convertible.description, to: &output)
            }
        case .array(let values):
            output.append(UInt8(ascii: "["))
            for (position, element) in values.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                appendValue(element, to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .dictionary(let dictionary):
            output.append(UInt8(ascii: "{"))
            for (position, key) in dictionary.keys.sorted().enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                appendString(key, to: &output)
                output.append(UInt8(ascii: ":"))
                appendValue(dictionary[key]!, to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }
}
