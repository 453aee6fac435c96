/// What the HTTP server needs to know, independent of where the values came from.
public struct HTTPServerOptions: Sendable {
    /// Address to bind (`0.0.0.0`, `::`, `127.0.0.1`, a host name).
    public var host: String
    /// Port to bind; 0 lets the system choose one, which every loop then shares.
    public var port: Int
    /// Number of event loops, each on its own thread with its own listener on the shared port.
    public var threads: Int
    /// Largest request body handed to a route; a larger one gets the JSON `413 payload_too_large`.
    public var maxBodyBytes: Int
    /// Largest request head (request line plus headers) accepted.
    public var maxHeaderBytes: Int
    /// Per-connection read/write inactivity timeout: silent clients are cut off after it (trickling ones by
    /// ``requestTimeoutSeconds``).
    public var ioTimeoutSeconds: Double
    /// Time a client has to send a whole request, head and body, counted from the connection opening or the
    /// previous response: clients trickling bytes are cut off at it.
    public var requestTimeoutSeconds: Double
    /// Open client connections allowed across all loops; connections beyond it are closed unread.
    public var maxConnections: Int
    /// Listen backlog for each loop's socket.
    public var backlog: Int
    /// How long readiness fails before listeners close, so load balancers stop routing here first.
    public var shutdownDelaySeconds: Double
    /// How long in-flight requests may take to finish once listeners are closed.
    public var shutdownGraceSeconds: Double
    /// Serve HTTPS with this certificate instead of plain HTTP.
    public var tls: TLSServerContext?
    /// Whether this server owns SIGTERM/SIGINT handling (only one server in a process can).
    public var handlesSignals: Bool

    /// The hard ceiling libevent enforces itself, without reading the rest of the body: its own HTML 413, with no
    /// request id and no CORS headers. Bodies between ``maxBodyBytes`` and this are read whole, so that the
    /// answer can be the JSON error a page can read; the ceiling bounds what a connection can make the server hold.
    public var bodyCeilingBytes: Int {
        max(maxBodyBytes * 8, 64 * 1024)
    }

    public init(
        host: String = "0.0.0.0",
        port: Int = 8080,
        threads: Int = 1,
        maxBodyBytes: Int = 8192,
        maxHeaderBytes: Int = 16384,
        ioTimeoutSeconds: Double = 15,
        requestTimeoutSeconds: Double = 30,
        maxConnections: Int = 4096,
        backlog: Int = 1024,
        shutdownDelaySeconds: Double = 0,
        shutdownGraceSeconds: Double = 10,
        tls: TLSServerContext? = nil,
        handlesSignals: Bool = true
    ) {
        self.host = host
        self.port = port
        self.threads = threads
        self.maxBodyBytes = maxBodyBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.ioTimeoutSeconds = ioTimeoutSeconds
        self.requestTimeoutSeconds = requestTimeoutSeconds
        self.maxConnections = maxConnections
        self.backlog = backlog
        self.shutdownDelaySeconds = shutdownDelaySeconds
        self.shutdownGraceSeconds = shutdownGraceSeconds
        self.tls = tls
        self.handlesSignals = handlesSignals
    }
}
