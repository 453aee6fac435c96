public import EventHTTP

/// The real `ClientLoopClient`: sends `contactCreateIdvSession` to the configured graph URL through one event
/// loop's upstream pool, with the API key as bearer credentials.
public final class ClientLoopGraphClient: ClientLoopClient {
    private let transport: any UpstreamTransport
    private let orgId: String
    private let fixedHeaders: HTTPHeaders

    public init(settings: ClientLoopSettings, transport: any UpstreamTransport) {
        self.transport = transport
        orgId = settings.orgId
        fixedHeaders = [
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Authorization": "Bearer \(settings.apiKey.value)",
            "User-Agent": "idv-bff/\(IDVBFFVersion.current)",
        ]
    }

    public func createIdvSession(contactId: String?, requestID: String, completion: @escaping (Result<IDVSession, UpstreamFailure>) -> Void) {
        var headers = fixedHeaders
        headers.add(name: RequestID.headerName, value: requestID)
        let request = UpstreamRequest(headers: headers, body: ContactCreateIdvSession.requestBody(orgId: orgId, contactId: contactId))
        transport.send(request) { result in
            completion(result.mapError(UpstreamFailure.init).flatMap { response in
                ContactCreateIdvSession.decodeResponse(status: response.status, headers: response.headers, body: response.body)
            })
        }
    }
}
