/// How a loop's upstream pool connects and how much it holds.
public struct UpstreamPoolOptions: Sendable {
    /// Where requests go.
    public var url: UpstreamURL
    /// Connections per event loop, each carrying one request at a time.
    public var poolSize: Int
    /// Requests allowed to wait for a connection per loop; beyond it they fail at once as busy.
    public var queueLimit: Int
    /// Deadline for a whole exchange: queueing, DNS, connect, TLS handshake, request and response.
    public var timeoutSeconds: Double
    /// Largest response body accepted.
    public var maxResponseBytes: Int
    /// TLS handshakes in progress at once per loop; a request that would open another waits in the queue for the
    /// first connection to be free. A handshake holds its full-size TLS buffers and the certificate chain being
    /// verified (about 50 KiB), so a burst of hundreds at once costs tens of megabytes that the allocator keeps;
    /// and on one loop thread they only take turns on the same CPU.
    public var maxConcurrentHandshakes: Int

    public init(
        url: UpstreamURL, poolSize: Int = 16, queueLimit: Int = 1024, timeoutSeconds: Double = 10,
        maxResponseBytes: Int = 1 << 20, maxConcurrentHandshakes: Int = 32
    ) {
        self.url = url
        self.poolSize = poolSize
        self.queueLimit = queueLimit
        self.timeoutSeconds = timeoutSeconds
        self.maxResponseBytes = maxResponseBytes
        self.maxConcurrentHandshakes = maxConcurrentHandshakes
    }
}
