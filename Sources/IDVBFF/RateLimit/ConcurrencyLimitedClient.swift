public import EventHTTP

/// A ``ClientLoopClient`` that keeps the calls in flight across all event loops under a ``ConcurrencyLimit``.
///
/// Over the cap it fails at once with ``UpstreamFailure/busy`` (`503 upstream_busy`, `Retry-After: 1`) without
/// calling the wrapped client. The slot is given back exactly once, as soon as the wrapped client completes and
/// before the completion is passed on.
public struct ConcurrencyLimitedClient: ClientLoopClient {
    private let wrapped: any ClientLoopClient
    private let limit: ConcurrencyLimit

    /// Wraps `client`, one per event loop, all sharing `limit`.
    public init(wrapping client: any ClientLoopClient, limit: ConcurrencyLimit) {
        self.wrapped = client
        self.limit = limit
    }

    public func createIdvSession(
        contactId: String?,
        requestID: String,
        propagating headers: HTTPHeaders,
        completion: @escaping (Result<IDVSession, UpstreamFailure>) -> Void
    ) {
        guard let permit = limit.tryAcquirePermit() else {
            completion(.failure(.busy))
            return
        }
        wrapped.createIdvSession(contactId: contactId, requestID: requestID, propagating: headers) { result in
            permit.release()
            completion(result)
        }
    }
}
