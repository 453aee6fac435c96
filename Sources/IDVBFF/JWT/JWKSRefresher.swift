import EventHTTP
import Foundation
import Logging

/// Keeps a ``JWKSKeyStore`` current from `jwt.jwks_url`: fetches every `jwt.jwks_refresh_seconds`, and when a token
/// names a `kid` the store does not know (the store rate-limits those requests; they may come from any loop and
/// reach this one through a libevent event).
///
/// Lives on one event loop, which the loop keeps alive (``EventLoopContext/attach(_:)``). A document that fails to
/// fetch or holds no usable key leaves the current keys in place.
final class JWKSRefresher {
    private let fetcher: JWKSFetcher
    private let store: JWKSKeyStore
    private let refreshSeconds: Double
    private let logger: Logger
    private var requested: LoopEvent!
    private var scheduled: LoopEvent!
    private var requestSlot: WakerSlot?
    private var isFetching = false

    init(fetcher: JWKSFetcher, store: JWKSKeyStore, refreshSeconds: Double, loop: EventLoopContext, logger: Logger) throws(EventLoopError) {
        self.fetcher = fetcher
        self.store = store
        self.refreshSeconds = refreshSeconds
        self.logger = logger
        requested = try LoopEvent.user(on: loop) { [unowned self] in refresh(reason: "unknown kid") }
        scheduled = try LoopEvent.user(on: loop) { [unowned self] in
            refresh(reason: "scheduled")
            scheduleNext()
        }
    }

    /// Starts the schedule and takes over the store's refresh requests.
    func start() {
        let slot = WakerSlot(requested.waker)
        requestSlot = slot
        store.setRefreshHandler { slot.wake() }
        scheduleNext()
    }

    deinit {
        requestSlot?.clear()  // other loops may still ask for a refresh while this one is torn down
    }

    private func scheduleNext() {
        scheduled.schedule(after: refreshSeconds)
    }

    private func refresh(reason: String) {
        guard !isFetching else { return }  // one fetch at a time; its result serves both causes
        isFetching = true
        let logger = logger
        fetcher.fetch { [weak self] result in
            self?.isFetching = false
            switch result {
            case .success(let document):
                self?.store.replace(withJWKSJSON: document) { outcome in
                    switch outcome {
                    case .success(let keySet):
                        logger.info("JWKS refreshed", metadata: [
                            "reason": .string(reason), "kids": .string(keySet.keyIdentifiers.joined(separator: ",")),
                        ])
                    case .failure(let error):
                        logger.warning("JWKS refresh ignored; keeping the current keys", metadata: [
                            "reason": .string(reason), "error": .string(error.description),
                        ])
                    }
                }
            case .failure(let failure):
                logger.warning("JWKS fetch failed; keeping the current keys", metadata: [
                    "reason": .string(reason), "error": .string(failure.description),
                ])
            }
        }
    }
}

/// Fetches the identity provider's JWKS document (`jwt.jwks_url`) through an upstream transport: the same verified
/// HTTPS client that talks to ClientLoop, with its trust store, deadline and response size cap.
struct JWKSFetcher {
    let transport: any UpstreamTransport

    /// Why a fetch brought no document.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The request for the document.
    static var request: UpstreamRequest {
        UpstreamRequest(method: .get, headers: ["Accept": "application/jwk-set+json, application/json"])
    }

    /// Fetches once; `completion` runs exactly once, on the transport's loop.
    func fetch(completion: @escaping (Result<[UInt8], Failure>) -> Void) {
        transport.send(Self.request) { completion(Self.document(from: $0)) }
    }

    /// The document an exchange brought, or why it brought none.
    static func document(from outcome: Result<UpstreamResponse, UpstreamTransportError>) -> Result<[UInt8], Failure> {
        switch outcome {
        case .success(let response) where response.status == 200:
            .success(response.body)
        case .success(let response):
            .failure(Failure(description: "the JWKS URL answered HTTP \(response.status)"))
        case .failure(let failure):
            .failure(Failure(description: UpstreamFailure(failure).logDescription))
        }
    }
}

extension JWKSFetcher {
    /// Fetches the JWKS document once, on a private event loop run on the calling thread: at start-up, before any
    /// loop serves, the service needs keys to check tokens with.
    static func fetchAtStartup(url: UpstreamURL, tls: TLSClientContext?, timeoutSeconds: Double, logger: Logger) throws -> [UInt8] {
        let outcome = try UpstreamPool.exchangeOnce(
            request, options: UpstreamPoolOptions(url: url, poolSize: 1, timeoutSeconds: timeoutSeconds), tls: tls, logger: logger)
        return try document(from: outcome).get()
    }
}
