/// An exchange between `send` and its completion: possibly queued, possibly tried twice, finished once.
final class PendingExchange: DeadlineListed {
    let request: UpstreamRequest
    /// When the exchange times out if it has not finished.
    let deadline: ContinuousClock.Instant
    private var completion: ((Result<UpstreamResponse, UpstreamTransportError>) -> Void)?
    var attempts = 0

    var deadlineLinks = DeadlineLinks<PendingExchange>()

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
