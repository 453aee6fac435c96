import IDVBFF

extension FakeJSON {
    /// Parses a request body with the strict parser idv-bff itself uses (duplicate keys, invalid UTF-8 and trailing
    /// content refused), so that a malformed body from idv-bff cannot pass unseen; `nil` when it is not such JSON.
    static func parse(_ bytes: [UInt8]) -> FakeJSON? {
        (try? StrictJSON.parse(bytes)).map(FakeJSON.init(strict:))
    }

    /// The same document; numbers as doubles, which is all the fake's checks need.
    init(strict value: JSONValue) {
        switch value {
        // Sorted, so that values echoed in error messages read the same whatever order the client wrote.
        case .object(let members):
            self = .object(members.sorted { $0.key < $1.key }.map { Member(key: $0.key, value: FakeJSON(strict: $0.value)) })
        case .array(let elements): self = .array(elements.map(FakeJSON.init(strict:)))
        case .string(let string): self = .string(string)
        case .number(let text): self = Double(text).map(FakeJSON.number) ?? .null
        case .bool(let flag): self = .bool(flag)
        case .null: self = .null
        }
    }
}
