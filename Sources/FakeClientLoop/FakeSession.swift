import Foundation

/// The identity-verification session the fake mints: a sandbox token and its expiry (resolved by name as the
/// schema's `ContactIdvSession`), and the deliberately broken bodies some triggers answer instead.
struct FakeSession: Sendable, Equatable {
    /// How long a minted session lives, like the real API's.
    static let lifetimeSeconds: TimeInterval = 4 * 60 * 60

    /// What every fake token starts with, followed by a lower-case UUID.
    static let tokenPrefix = "link-sandbox-"

    /// The session token, `link-sandbox-<uuid>`.
    var token: String
    /// The expiry as ISO 8601 in UTC without fractional seconds, e.g. `2026-11-27T15:20:10Z`.
    var expiresAt: String

    /// A session minted at `now`, identified by `uuid`.
    init(uuid: UUID, now: Date) {
        token = Self.tokenPrefix + uuid.uuidString.lowercased()
        expiresAt = Self.timestamp(now.addingTimeInterval(Self.lifetimeSeconds))
    }

    /// `{"data":{"contactCreateIdvSession":{"token":null,"expiresAt":…}}}`: the shape of the canonical document's
    /// answer, whatever the selection was, with a null token the client must treat as a failure.
    var missingTokenBody: [UInt8] {
        Self.document(payload: ["token": .null, "expiresAt": .string(expiresAt)]).bytes
    }

    /// A success document in the canonical shape grown past `minimumBytes` by a `padding` field, to prove the client caps bodies.
    func oversizedBody(minimumBytes: Int) -> [UInt8] {
        let padding = String(repeating: "x", count: minimumBytes)
        return Self.document(payload: [
            "token": .string(token), "expiresAt": .string(expiresAt), "padding": .string(padding),
        ]).bytes
    }

    private static func document(payload: FakeJSON) -> FakeJSON {
        ["data": ["contactCreateIdvSession": payload]]
    }

    // Whole seconds: the real API's expiries have no fraction, and truncating keeps the text predictable.
    private static func timestamp(_ date: Date) -> String {
        let wholeSeconds = Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
        return wholeSeconds.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
    }
}
