import EventHTTP
import Logging

extension JWKSFetcher {
    /// Fetches the JWKS document once, on a private event loop run on the calling thread: at start-up, before any
    /// loop serves, the service needs keys to check tokens with.
    static func fetchAtStartup(url: UpstreamURL, tls: TLSClientContext?, timeoutSeconds: Double, logger: Logger) throws -> [UInt8] {
        let outcome = try UpstreamPool.exchangeOnce(
            request, options: UpstreamPoolOptions(url: url, poolSize: 1, timeoutSeconds: timeoutSeconds), tls: tls, logger: logger)
        return try document(from: outcome).get()
    }
}
