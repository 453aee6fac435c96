import Logging

extension JWKSFetcher {
    /// Fetches the JWKS document once on a private event loop run on the calling thread: at start-up, before any
    /// loop serves, the service needs keys to check tokens with.
    static func fetchAtStartup(url: UpstreamURL, tls: TLSClientContext?, timeoutSeconds: Double, logger: Logger) throws -> [UInt8] {
        let base = try EventBase()
        var result: Result<[UInt8], Failure>?
        // The pool and its events hold the base, so it is freed after them.
        let pool = try UpstreamPool(
            options: UpstreamPoolOptions(url: url, poolSize: 1, timeoutSeconds: timeoutSeconds),
            loop: EventLoopContext(index: 0, base: base), tls: tls, logger: logger)
        withExtendedLifetime(pool) {
            JWKSFetcher(transport: pool).fetch { fetched in
                result = fetched
                base.exit()
            }
            base.dispatch()
        }
        guard let result else { throw Failure(description: "the JWKS fetch did not finish") }
        return try result.get()
    }
}
