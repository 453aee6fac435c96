import EventHTTP

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
