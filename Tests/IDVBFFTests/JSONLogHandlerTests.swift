import Foundation
import Logging
import Synchronization
import Testing
@testable import EventHTTP
@testable import IDVBFF

@Suite("JSON log handler")
struct JSONLogHandlerTests {
    private final class Lines: Sendable {
        let captured = Mutex<[String]>([])
        var all: [String] { captured.withLock { $0 } }
    }

    private func logger(level: Logger.Level = .trace) -> (Logger, Lines) {
        let lines = Lines()
        let handler = JSONLogHandler(label: "test", level: level) { line in lines.captured.withLock { $0.append(line) } }
        return (Logger(label: "test", factory: { _ in handler }), lines)
    }

    @Test func writesOneJSONObjectPerLine() throws {
        let (logger, lines) = logger()
        logger.info("hello \"world\"\nsecond line", metadata: ["status": .stringConvertible(200), "path": "/x", "ok": .stringConvertible(true)])
        let line = try #require(lines.all.first)
        #expect(line.hasSuffix("}\n"))
        #expect(line.dropLast().contains("\n") == false)
        let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["message"] as? String == "hello \"world\"\nsecond line")
        #expect(object["level"] as? String == "info")
        #expect(object["status"] as? Int == 200)
        #expect(object["ok"] as? Bool == true)
        #expect(object["path"] as? String == "/x")
        #expect((object["timestamp"] as? String)?.hasSuffix("Z") == true)
    }

    @Test func requestFieldsAreWrittenInKeyOrderAndTheEventsMetadataWins() throws {
        var (logger, lines) = logger()
        logger[metadataKey: "span_id"] = "s1"
        logger[metadataKey: "requestId"] = "r1"
        logger[metadataKey: "zone"] = "z"
        logger[metadataKey: "trace_id"] = "t1"
        logger[metadataKey: "alpha"] = "a"
        #expect(logger[metadataKey: "trace_id"] == "t1" && logger[metadataKey: "alpha"] == "a")
        logger.info("x", metadata: ["span_id": "event", "beta": "b"])
        let line = try #require(lines.all.first)
        #expect(line.hasSuffix(#""alpha":"a","beta":"b","requestId":"r1","span_id":"event","trace_id":"t1","zone":"z"}\#n"#))
        // Removed, a request field is gone from the line as any other key is.
        logger[metadataKey: "trace_id"] = nil
        logger.info("y")
        #expect(lines.all[1].hasSuffix(#""alpha":"a","requestId":"r1","span_id":"s1","zone":"z"}\#n"#))
    }

    @Test func theMetadataPropertyHoldsTheRequestFieldsToo() {
        var handler = JSONLogHandler(label: "test", level: .info) { _ in }
        handler[metadataKey: "requestId"] = "r1"
        handler[metadataKey: "other"] = "o"
        #expect(handler.metadata == ["requestId": "r1", "other": "o"])
        handler.metadata = ["trace_id": "t2", "k": "v"]
        #expect(handler[metadataKey: "trace_id"] == "t2" && handler[metadataKey: "requestId"] == nil)
        #expect(handler.metadata == ["trace_id": "t2", "k": "v"])
    }

    @Test func onlyIntsFiniteDoublesAndBoolsBecomeJSONNumbersAndBooleans() throws {
        struct Identifier: CustomStringConvertible, Sendable { var description: String { "id-1" } }
        let (logger, lines) = logger()
        logger.info("x", metadata: [
            "a": .stringConvertible(42), "b": .stringConvertible(1.5), "c": .stringConvertible(Double.infinity),
            "d": .stringConvertible(false), "e": .stringConvertible(Int8(5)), "f": .stringConvertible(Identifier()),
        ])
        let line = try #require(lines.all.first)
        #expect(line.hasSuffix(#""a":42,"b":1.5,"c":"inf","d":false,"e":"5","f":"id-1"}\#n"#))
    }

    @Test func respectsTheLevel() {
        let (logger, lines) = logger(level: .warning)
        logger.info("quiet")
        logger.warning("loud")
        #expect(lines.all.count == 1)
    }

    @Test func metadataCannotOverwriteReservedFields() throws {
        let (logger, lines) = logger()
        logger.info("real", metadata: ["message": "forged", "level": "forged"])
        let object = try #require(JSONSerialization.jsonObject(with: Data(lines.all[0].utf8)) as? [String: Any])
        #expect(object["message"] as? String == "real")
        #expect(object["level"] as? String == "info")
    }

    @Test func escapesControlCharactersAndNestedValues() throws {
        let (logger, lines) = logger()
        logger.error("x", metadata: ["nested": ["a": ["\u{1}", "\u{2028}"]]])
        let object = try #require(JSONSerialization.jsonObject(with: Data(lines.all[0].utf8)) as? [String: Any])
        let nested = try #require(object["nested"] as? [String: Any])
        #expect(nested["a"] as? [String] == ["\u{1}", "\u{2028}"])
    }

    @Test func formatsUTCTimestampsWithMilliseconds() {
        #expect(UTCTimestamp.format(seconds: 0, milliseconds: 7) == "1970-01-01T00:00:00.007Z")
        #expect(UTCTimestamp.format(seconds: 1_795_778_410, milliseconds: 123) == "2026-11-27T11:20:10.123Z")
    }
}

@Suite("UTC timestamps")
struct UTCTimestampTests {
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (Int64(951_782_400), "2000-02-29T00:00:00.000Z"),
        (Int64(1_709_251_199), "2024-02-29T23:59:59.000Z"),
        (Int64(4_102_444_800), "2100-01-01T00:00:00.000Z"),
        (Int64(-86_400), "1969-12-31T00:00:00.000Z"),
        (Int64(-1), "1969-12-31T23:59:59.000Z"),
    ])
    func formatsCivilDatesAcrossLeapYears(seconds: Int64, expected: String) {
        #expect(UTCTimestamp.format(seconds: seconds, milliseconds: 0) == expected)
    }

    @Test func nowLooksLikeATimestamp() {
        let now = UTCTimestamp.now()
        #expect(now.count == 24)
        #expect(now.hasSuffix("Z"))
    }
}
