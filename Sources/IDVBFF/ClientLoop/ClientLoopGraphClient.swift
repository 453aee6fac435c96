import CoreMetrics
public import EventHTTP

/// The real `ClientLoopClient`: sends `contactCreateIdvSession` to the configured graph URL through one event
/// loop's upstream pool, with the API key as bearer credentials.
///
/// One per loop, used on its thread only. The fixed headers are rebuilt when the shared key is replaced.
public final class ClientLoopGraphClient: ClientLoopClient {
    private let transport: any UpstreamTransport
    private let requestBody: ContactCreateIdvSession.RequestBody
    private let apiKey: APIKeyHolder
    private var keyGeneration: Int
    private var fixedHeaders: HTTPHeaders
    private let metrics: ServiceMetrics
    private let clock = MonotonicClock.continuous

    public init(settings: ClientLoopSettings, apiKey: APIKeyHolder, transport: any UpstreamTransport, metrics: ServiceMetrics = .disabled) {
        self.transport = transport
        self.metrics = metrics
        self.apiKey = apiKey
        requestBody = ContactCreateIdvSession.RequestBody(orgId: settings.orgId)
        keyGeneration = apiKey.generation
        fixedHeaders = Self.fixedHeaders(key: apiKey.current)
    }

    private static func fixedHeaders(key: Secret) -> HTTPHeaders {
        [
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Authorization": "Bearer \(key.value)",
            "User-Agent": "idv-bff/\(IDVBFFVersion.current)",
        ]
    }

    public func createIdvSession(
        contactId: String?, requestID: String, propagating propagated: HTTPHeaders,
        completion: @escaping (Result<IDVSession, UpstreamFailure>) -> Void
    ) {
        let generation = apiKey.generation
        if generation != keyGeneration {
            // Read after the generation: the key is at least as new as the number says.
            fixedHeaders = Self.fixedHeaders(key: apiKey.current)
            keyGeneration = generation
        }
        var headers = fixedHeaders
        headers.add(name: RequestID.headerName, value: requestID)
        for field in propagated {
            headers.add(name: field.name, value: field.value)
        }
        let request = UpstreamRequest(headers: headers, body: requestBody.bytes(contactId: contactId))
        let started = clock.now()
        let clock = clock
        let upstreamDuration = metrics.upstreamDuration
        transport.send(request) { result in
            upstreamDuration.recordNanoseconds((clock.now() - started).wholeNanoseconds)
            completion(result.mapError(UpstreamFailure.init).flatMap { response in
                ContactCreateIdvSession.decodeResponse(status: response.status, headers: response.headers, body: response.body)
            })
        }
    }
}
