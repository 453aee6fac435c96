#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import Logging

/// A swift-log handler that writes one JSON object per line to standard error.
///
/// Each line is built whole and written with a single `write(2)`, so lines from different event-loop threads never
/// interleave. Fields: `timestamp` (UTC, milliseconds), `level`, `message`, `label`, then the metadata.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let sink: @Sendable (String) -> Void

    /// A handler writing to standard error.
    public init(label: String, level: Logger.Level) {
        self.init(label: label, level: level) { line in
            var line = line
            line.withUTF8 { bytes in
                var offset = 0
                while offset < bytes.count {
                    let written = write(2, bytes.baseAddress! + offset, bytes.count - offset)
                    if written <= 0 { break }
                    offset += written
                }
            }
        }
    }

    /// A handler handing each finished line (newline included) to `sink`, for tests.
    public init(label: String, level: Logger.Level, sink: @escaping @Sendable (String) -> Void) {
        self.label = label
        self.logLevel = level
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = "{\"timestamp\":\""
        line += UTCTimestamp.now()
        line += "\",\"level\":\""
        line += event.level.rawValue
        line += "\",\"message\":"
        JSONText.appendString("\(event.message)", to: &line)
        line += ",\"label\":"
        JSONText.appendString(label, to: &line)
        var merged = metadata
        if let extra = event.metadata {
            merged.merge(extra) { _, new in new }
        }
        for key in merged.keys.sorted() where !JSONLogHandler.reservedKeys.contains(key) {
            line += ","
            JSONText.appendString(key, to: &line)
            line += ":"
            JSONText.appendValue(merged[key]!, to: &line)
        }
        line += "}\n"
        sink(line)
    }

    private static let reservedKeys: Set<String> = ["timestamp", "level", "message", "label"]
}

extension JSONText {
    /// Appends a metadata value: numbers and booleans stay JSON numbers and booleans, the rest become strings.
    static func appendValue(_ value: Logger.Metadata.Value, to output: inout String) {
        switch value {
        case .string(let string):
            appendString(string, to: &output)
        case .stringConvertible(let convertible):
            switch convertible {
            case let number as Int: output += String(number)
            case let number as Double where number.isFinite: output += String(number)
            case let flag as Bool: output += flag ? "true" : "false"
            default: appendString(convertible.description, to: &output)
            }
        case .array(let values):
            output += "["
            for (position, element) in values.enumerated() {
                if position > 0 { output += "," }
                appendValue(element, to: &output)
            }
            output += "]"
        case .dictionary(let dictionary):
            output += "{"
            for (position, key) in dictionary.keys.sorted().enumerated() {
                if position > 0 { output += "," }
                appendString(key, to: &output)
                output += ":"
                appendValue(dictionary[key]!, to: &output)
            }
            output += "}"
        }
    }
}
