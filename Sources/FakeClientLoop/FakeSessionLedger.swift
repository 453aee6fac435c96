import Synchronization

/// The sessions one request's execution minted: one per `contactCreateIdvSession` field resolved (a document may
/// select it twice under two aliases), in the order GraphQL resolved them.
///
/// Passed to the executor as its context; the responder reads it once execution is over.
final class FakeSessionLedger: Sendable {
    /// One minted session and the input it was minted for.
    struct Entry: Sendable, Equatable {
        var input: FakeSessionInput
        var session: FakeSession
    }

    private let makeSession: @Sendable () -> FakeSession
    private let minted = Mutex<[Entry]>([])

    /// A ledger whose sessions come from `makeSession`.
    init(makeSession: @escaping @Sendable () -> FakeSession) {
        self.makeSession = makeSession
    }

    /// Mints a session for `input` and records it.
    func mint(for input: FakeSessionInput) -> FakeSession {
        let session = makeSession()
        minted.withLock { $0.append(Entry(input: input, session: session)) }
        return session
    }

    /// Everything minted so far, in order.
    var entries: [Entry] {
        minted.withLock { $0 }
    }
}
