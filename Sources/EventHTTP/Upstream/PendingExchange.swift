/// An exchange between `send` and its completion: possibly queued, possibly tried twice, finished once.
final class PendingExchange {
    let request: UpstreamRequest
    /// When the exchange times out if it has not finished.
    let deadline: ContinuousClock.Instant
    private var completion: ((Result<UpstreamResponse, UpstreamTransportError>) -> Void)?
    var attempts = 0

    /// The neighbours on the pool's ``ExchangeDeadlines`` list, while on it.
    fileprivate var later: PendingExchange?
    fileprivate unowned var earlier: PendingExchange?

    init(request: UpstreamRequest, deadline: ContinuousClock.Instant, completion: @escaping (Result<UpstreamResponse, UpstreamTransportError>) -> Void) {
        self.request = request
        self.deadline = deadline
        self.completion = completion
    }

    var isFinished: Bool { completion == nil }

    /// Delivers the result unless one was already delivered (a timeout may come first).
    func finish(_ result: Result<UpstreamResponse, UpstreamTransportError>) {
        guard let completion else { return }
        self.completion = nil
        completion(result)
    }
}

/// A pool's unfinished exchanges in deadline order, as a list linked through the exchanges themselves.
///
/// Every exchange of a pool has the same timeout, so the order they are sent in is the order their deadlines pass:
/// one timer, set for the first, serves them all, where a libevent timer each would cost an event and its
/// allocations per request. Appending and removing are O(1).
struct ExchangeDeadlines {
    /// The exchange whose deadline comes first.
    private(set) var first: PendingExchange?
    private unowned var last: PendingExchange?

    /// Adds an exchange whose deadline is no earlier than any listed one's.
    mutating func append(_ exchange: PendingExchange) {
        precondition(!contains(exchange), "an exchange is listed once")
        exchange.earlier = last
        if let last {
            last.later = exchange
        } else {
            first = exchange
        }
        last = exchange
    }

    /// Takes an exchange off the list; nothing happens if it is not on it.
    mutating func remove(_ exchange: PendingExchange) {
        guard contains(exchange) else { return }
        if let earlier = exchange.earlier {
            earlier.later = exchange.later
        } else {
            first = exchange.later
        }
        if let later = exchange.later {
            later.earlier = exchange.earlier
        } else {
            last = exchange.earlier
        }
        exchange.earlier = nil
        exchange.later = nil
    }

    /// Whether the exchange is on the list: every listed exchange but the first has an earlier one.
    private func contains(_ exchange: PendingExchange) -> Bool {
        exchange.earlier != nil || first === exchange
    }
}
