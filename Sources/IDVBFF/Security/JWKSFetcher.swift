/// Fetches the identity provider's JWKS document (`jwt.jwks_url`) through an upstream transport: the same verified
/// HTTPS client that talks to ClientLoop, with its trust store, deadline and response size cap.
struct JWKSFetcher {
    let transport: any UpstreamTransport

    /// Why a fetch brought no document.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Fetches once; `completion` runs exactly once, on the transport's loop.
    func fetch(completion: @escaping (Result<[UInt8], Failure>) -> Void) {
        var headers = HTTPHeaders()
        headers.add(name: "Accept", value: "application/jwk-set+json, application/json")
        transport.send(UpstreamRequest(method: .get, headers: headers)) { result in
            switch result {
            case .success(let response) where response.status == 200:
                completion(.success(response.body))
            case .success(let response):
                completion(.failure(Failure(description: "the JWKS URL answered HTTP \(response.status)")))
            case .failure(let failure):
                completion(.failure(Failure(description: failure.logDescription)))
            }
        }
    }
}
