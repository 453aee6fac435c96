import EventHTTP
/// The HTTP-level checks a GraphQL-over-HTTP server makes before it reads the body: method, credentials and
/// media types, for every client; with ``FakeClientLoopOptions/expectsIDVBFFHeaders``, also the headers idv-bff
/// promises to send (`Accept`, `User-Agent: idv-bff/<version>`, `X-Request-Id`), so that its tests prove it sends them.
enum FakeTransportChecks {
    /// The rejection for `request`, or `nil` when it may go on to the GraphQL layer.
    static func rejection(of request: HTTPRequest, options: FakeClientLoopOptions) -> HTTPResponse? {
        let apiKeys = options.apiKeys
        guard request.method == .post else {
            let error = FakeGraphQLError(message: "GraphQL requests must use POST, not \(request.method.rawValue).")
            return error.response(status: 405, headers: ["Allow": "POST"])
        }
        if !apiKeys.isEmpty, keyIndex(of: request, apiKeys: apiKeys) == nil {
            return FakeGraphQLError.unauthorized.response(status: 401, headers: ["WWW-Authenticate": "Bearer"])
        }
        guard let contentType = request.headers["Content-Type"], mediaType(contentType[...]) == "application/json" else {
            return FakeGraphQLError(message: "Content-Type must be application/json.").response(status: 415)
        }
        // No Accept at all counts as application/json, as GraphQL over HTTP asks of servers; idv-bff always sends one.
        let accept = request.headers["Accept"] ?? (options.expectsIDVBFFHeaders ? "" : "application/json")
        guard acceptsJSON(accept) else {
            return FakeGraphQLError(message: "Accept must include application/json.").response(status: 406)
        }
        return options.expectsIDVBFFHeaders ? idvBFFHeaderRejection(of: request) : nil
    }

    /// The rejection for a request without idv-bff's `User-Agent` or `X-Request-Id`, or `nil`.
    private static func idvBFFHeaderRejection(of request: HTTPRequest) -> HTTPResponse? {
        guard let userAgent = request.headers["User-Agent"], isIDVBFFUserAgent(userAgent) else {
            let error = FakeGraphQLError(message: #"User-Agent must be "idv-bff/<version>"."#)
            return error.response(status: 400)
        }
        guard let requestID = request.headers[RequestID.headerName], !requestID.isEmpty else {
            return FakeGraphQLError(message: "X-Request-Id is required.").response(status: 400)
        }
        return nil
    }

    /// Which of `apiKeys` the request's bearer credentials are, if any.
    static func keyIndex(of request: HTTPRequest, apiKeys: [String]) -> Int? {
        apiKeys.firstIndex { request.headers["Authorization"] == "Bearer \($0)" }
    }

    /// `application/json; charset=utf-8` → `application/json`.
    private static func mediaType(_ value: Substring) -> String {
        let withoutParameters = value.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return withoutParameters.trimmingSpacesAndTabs().lowercased()
    }

    private static func acceptsJSON(_ accept: String) -> Bool {
        accept.split(separator: ",").contains { ["application/json", "application/*", "*/*"].contains(mediaType($0)) }
    }

    // A version must follow the slash: a bare "idv-bff/" would mean the client lost its version.
    private static func isIDVBFFUserAgent(_ userAgent: String) -> Bool {
        let prefix = "idv-bff/"
        return userAgent.hasPrefix(prefix) && userAgent.count > prefix.count
    }
}
