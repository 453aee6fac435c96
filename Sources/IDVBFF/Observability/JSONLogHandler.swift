import EventHTTP
public import Logging

/// A swift-log handler that writes one JSON object per line to standard error.
///
/// Each line is built whole and written whole (several to a `write(2)` on a busy loop), so lines from different
/// threads never interleave. Fields: `timestamp` (UTC, milliseconds), `level`, `message`, `label`, then the metadata.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level
    /// The metadata: the dictionary, with the request fields (``RequestField``) merged in.
    public var metadata: Logger.Metadata {
        get {
            var all = otherMetadata
            for field in RequestField.allCases {
                if let value = requestValues[field] { all[field.key] = value }
            }
            return all
        }
        set {
            otherMetadata = newValue
            for field in RequestField.allCases {
                requestValues[field] = otherMetadata.removeValue(forKey: field.key)
            }
        }
    }
    /// Every key but the request fields'.
    private var otherMetadata: Logger.Metadata = [:]
    /// The request fields' values.
    private var requestValues = RequestValues()
    private let label: String
    /// Where lines go: `nil` is standard error.
    private let sink: (@Sendable (String) -> Void)?

    /// The fields every request's logger is given (the request id by the server, the trace ids by ``RequestTrace``),
    /// kept apart from the dictionary: a request's copy of the handler sets them without copying and hashing into
    /// a dictionary shared with the loop's logger.
    enum RequestField: CaseIterable {
        case requestID, traceID, spanID

        var key: String {
            switch self {
            case .requestID: RequestID.logMetadataKey
            case .traceID: RequestTrace.traceIDMetadataKey
            case .spanID: RequestTrace.spanIDMetadataKey
            }
        }

        init?(key: String) {
            switch key {
            case RequestID.logMetadataKey: self = .requestID
            case RequestTrace.traceIDMetadataKey: self = .traceID
            case RequestTrace.spanIDMetadataKey: self = .spanID
            default: return nil
            }
        }
    }

    /// The request fields' values in place (a dictionary or an array would allocate per request).
    struct RequestValues {
        private var requestID, traceID, spanID: Logger.Metadata.Value?

        subscript(field: RequestField) -> Logger.Metadata.Value? {
            get {
                switch field {
                case .requestID: requestID
                case .traceID: traceID
                case .spanID: spanID
                }
            }
            set {
                switch field {
                case .requestID: requestID = newValue
                case .traceID: traceID = newValue
                case .spanID: spanID = newValue
                }
            }
        }
    }

    /// A handler writing to standard error: on event-loop threads once per loop turn (``LoopBatchedOutput``),
    /// except errors, which go out at once in case the process is about to end.
    public init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
        self.sink = nil
    }

    /// A handler handing each finished line (newline included) to `sink`, for tests.
    public init(label: String, level: Logger.Level, sink: @escaping @Sendable (String) -> Void) {
        self.label = label
        self.logLevel = level
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get {
            guard let field = RequestField(key: key) else { return otherMetadata[key] }
            return requestValues[field]
        }
        set {
            if let field = RequestField(key: key) {
                requestValues[field] = newValue
            } else {
                otherMetadata[key] = newValue
            }
        }
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
        // The handler's metadata and the event's, the event's winning, in key order: gathered as pairs, so that each
        // value is taken where it is rather than looked up again by its key.
        let extra = event.metadata ?? [:]
        var fields: [(key: String, value: Logger.Metadata.Value)] = []
        fields.reserveCapacity(otherMetadata.count + RequestField.allCases.count + extra.count)
        for (key, value) in extra {
            fields.append((key, value))
        }
        for field in RequestField.allCases {
            if let value = requestValues[field], extra.isEmpty || extra[field.key] == nil {
                fields.append((field.key, value))
            }
        }
        for (key, value) in otherMetadata where extra.isEmpty || extra[key] == nil {
            fields.append((key, value))
        }
        fields.sort { $0.key < $1.key }
        for field in fields where !Self.isReserved(field.key) {
            line.append(UInt8(ascii: ","))
            JSONText.appendString(field.key, to: &line)
            line.append(UInt8(ascii: ":"))
            JSONText.appendValue(field.value, to: &line)
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

    /// The line's own fields, which metadata cannot overwrite.
    private static func isReserved(_ key: String) -> Bool {
        switch key {
        case "timestamp", "level", "message", "label": true
        default: false
        }
    }
}

extension JSONText {
    /// Appends a metadata value: numbers and booleans stay JSON numbers and booleans, the rest become strings.
    static func appendValue(_ value: Logger.Metadata.Value, to output: inout [UInt8]) {
        switch value {
        case .string(let string):
            appendString(string, to: &output)
        case .stringConvertible(let convertible):
            // The value's type is compared first: a failed cast costs a runtime type check, and the ids in every
            // request's line would go through three.
            let type = ObjectIdentifier(Swift.type(of: convertible))
            if type == ObjectIdentifier(Int.self), let number = convertible as? Int {
                output += String(number).utf8
            } else if type == ObjectIdentifier(Double.self), let number = convertible as? Double, number.isFinite {
                output += String(number).utf8
            } else if type == ObjectIdentifier(Bool.self), let flag = convertible as? Bool {
                output += (flag ? "true" : "false").utf8
            } else {
                appendString(convertible.description, to: &output)
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
