/// How long and how many first answers are kept for `Idempotency-Key` replays (`idempotency.*`).
public struct IdempotencySettings: Sendable, Equatable {
    /// Seconds an answer is replayed for (`idempotency.ttl_seconds`, `IDEMPOTENCY_TTL_SECONDS`).
    public var ttlSeconds: Int
    /// Records kept at most, running and answered (`idempotency.max_entries`, `IDEMPOTENCY_MAX_ENTRIES`).
    public var maxEntries: Int

    public static let defaultTTLSeconds = 600
    public static let ttlSecondsRange = 1...86_400
    public static let defaultMaxEntries = 10_000
    public static let maxEntriesRange = 1...1_000_000

    public init(ttlSeconds: Int = IdempotencySettings.defaultTTLSeconds, maxEntries: Int = IdempotencySettings.defaultMaxEntries) {
        self.ttlSeconds = ttlSeconds
        self.maxEntries = maxEntries
    }
}

extension IdempotencySettings {
    /// Validates the idempotency settings, recording a problem for each bad value.
    init?(validating raw: RawSettings, problems: inout [ConfigurationProblem]) {
        let ttl = raw.wholeNumber(.idempotencyTTLSeconds, in: Self.ttlSecondsRange, default: Self.defaultTTLSeconds,
                                  expecting: "a number of seconds", problems: &problems)
        let entries = raw.wholeNumber(.idempotencyMaxEntries, in: Self.maxEntriesRange, default: Self.defaultMaxEntries,
                                      expecting: "a number of records", problems: &problems)
        guard let ttl, let entries else { return nil }
        self.init(ttlSeconds: ttl, maxEntries: entries)
    }
}
