import GraphQL
import IDVBFF

/// A JSON value for the fake ClientLoop's bodies.
///
/// Objects keep the order they were written in, so answers read the way GraphQL servers write them
/// (`errors` before `data`) and tests can compare whole bodies.
enum FakeJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([FakeJSON])
    case object([Member])

    /// One key and its value inside an object.
    struct Member: Sendable, Equatable {
        var key: String
        var value: FakeJSON
    }

    /// The value of `key` when this is an object that has it.
    subscript(key: String) -> FakeJSON? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The compact JSON text.
    var text: String {
        var output = ""
        append(to: &output)
        return output
    }

    /// The compact JSON text as UTF-8 bytes, ready to be a body.
    var bytes: [UInt8] {
        Array(text.utf8)
    }

    private func append(to output: inout String) {
        switch self {
        case .null:
            output += "null"
        case .bool(let flag):
            output += flag ? "true" : "false"
        case .number(let number):
            output += Self.render(number)
        case .string(let string):
            JSONText.appendString(string, to: &output)
        case .array(let elements):
            output += "["
            for (position, element) in elements.enumerated() {
                if position > 0 { output += "," }
                element.append(to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (position, member) in members.enumerated() {
                if position > 0 { output += "," }
                JSONText.appendString(member.key, to: &output)
                output += ":"
                member.value.append(to: &output)
            }
            output += "}"
        }
    }

    // Whole numbers print without a fraction, as counters and error locations are written.
    private static func render(_ number: Double) -> String {
        guard number.isFinite else { return "null" }
        if number == number.rounded(), abs(number) < 9_007_199_254_740_992 {
            return String(Int64(number))
        }
        return String(number)
    }
}

extension FakeJSON: ExpressibleByDictionaryLiteral {
    init(dictionaryLiteral elements: (String, FakeJSON)...) {
        self = .object(elements.map { Member(key: $0.0, value: $0.1) })
    }
}

extension FakeJSON: ExpressibleByArrayLiteral {
    init(arrayLiteral elements: FakeJSON...) {
        self = .array(elements)
    }
}

extension FakeJSON: ExpressibleByStringLiteral {
    init(stringLiteral value: String) {
        self = .string(value)
    }
}

extension FakeJSON: ExpressibleByIntegerLiteral {
    init(integerLiteral value: Int) {
        self = .number(Double(value))
    }
}

extension FakeJSON {
    /// A GraphQL value as JSON; object members keep their order (the order of the selection set), and undefined
    /// members are left out.
    init(_ value: Map) {
        switch value {
        case .undefined, .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .number(let number): self = .number(number.doubleValue)
        case .string(let string): self = .string(string)
        case .array(let elements): self = .array(elements.map(FakeJSON.init))
        case .dictionary(let members):
            self = .object(members.compactMap { $0.value == .undefined ? nil : Member(key: $0.key, value: FakeJSON($0.value)) })
        }
    }
}
