import CEventShim
import CLibevent
import Logging

/// One event loop serving HTTP: its own thread, `event_base`, `evhttp` and listener on the shared port.
///
/// Everything here runs on the loop's thread, so per-loop state (counters, the request-id generator, handlers)
/// needs no lock. The object is built and bound on the starting thread and handed to its loop thread before that
/// thread starts; afterwards other threads only call `requestStop()`, which fires a libevent event (thread-safe).
final class HTTPServerLoop: @unchecked Sendable {
    let index: Int
    /// The port this loop's listener is bound to.
    let port: Int

    private let base: EventBase
    private let loopContext: EventLoopContext
    private var http: OpaquePointer?
    /// One per address the host resolves to.
    private var boundSockets: [OpaquePointer] = []
    private var responder: (any HTTPResponder)?
    private let lifecycle: Lifecycle
    private let options: HTTPServerOptions
    private let logger: Logger
    private var requestIDs = RequestIDGenerator()
    private var date = HTTPDate()

    /// Requests handed to a handler that have not been answered yet.
    private var awaitingResponse = 0
    /// Open client connections by their evhttp connection.
    private var connections: [OpaquePointer: ServedConnection] = [:]
    /// Connections accepted in this loop turn, which evhttp has not finished setting up yet.
    private var acceptedConnections: [ServedConnection] = []
    private let admission: ConnectionAdmission
    private var isStopping = false
    private var isFinished = false

    private var stopEvent: LoopEvent!
    private var finishEvent: LoopEvent!
    private var graceTimer: LoopEvent!
    private var setUpEvent: LoopEvent!
    /// Connections to close once the raw bytes written on them have left (``HTTPResponse/Delivery``).
    private var rawWrites: [OpaquePointer] = []
    private var rawWriteCheck: LoopEvent!
    /// The request deadlines of the connections awaiting a request, on one timer.
    private var requestDeadlines: DeadlineTimer<ServedConnection>!

    /// Creates the loop, its responder (`makeResponder` may attach per-loop services to the loop) and binds its
    /// listener.
    init(
        index: Int, options: HTTPServerOptions, port: Int, admission: ConnectionAdmission, lifecycle: Lifecycle, logger: Logger,
        makeResponder: (EventLoopContext) throws -> any HTTPResponder
    ) throws {
        self.index = index
        self.options = options
        self.lifecycle = lifecycle
        self.admission = admission
        self.logger = logger
        base = try EventBase()
        loopContext = EventLoopContext(index: index, base: base)
        responder = try makeResponder(loopContext)

        guard let http = evhttp_new(base.pointer) else { throw EventLoopError.httpCreationFailed }
        self.http = http
        var errorText = [CChar](repeating: 0, count: 256)
        var listeners = [OpaquePointer?](repeating: nil, count: 16)
        let count = Int(cevent_listeners_bind(
            base.pointer, options.host, Int32(port), Int32(options.backlog), &listeners, Int32(listeners.count), &errorText, errorText.count))
        guard count > 0, let first = listeners[0] else {
            evhttp_free(http)
            self.http = nil
            throw EventLoopError.bindFailed(String(nulTerminated: errorText))
        }
        self.port = Int(cevent_listener_port(first))
        boundSockets = listeners[..<count].compactMap { $0.flatMap { evhttp_bind_listener(http, $0) } }
        configure(http)

        stopEvent = try LoopEvent.user(on: base) { [unowned self] in beginStopping() }
        finishEvent = try LoopEvent.user(on: base) { [unowned self] in finish() }
        graceTimer = try LoopEvent.user(on: base) { [unowned self] in graceExpired() }
        setUpEvent = try LoopEvent.user(on: base) { [unowned self] in setUpAcceptedConnections() }
        rawWriteCheck = try LoopEvent.user(on: base) { [unowned self] in closeFinishedRawWrites() }
        requestDeadlines = try DeadlineTimer(base: base, timeout: .seconds(options.requestTimeoutSeconds)) { connection in
            connection.abort()
        }
    }

    private func configure(_ http: OpaquePointer) {
        evhttp_set_max_body_size(http, options.bodyCeilingBytes)
        evhttp_set_max_headers_size(http, options.maxHeaderBytes)
        evhttp_set_timeout(http, Int32(max(1, options.ioTimeoutSeconds.rounded(.up))))
        // Without lingering close, a client still sending an oversized body sees a reset instead of the 413.
        _ = evhttp_set_flags(http, EVHTTP_SERVER_LINGERING_CLOSE)
        // Accept every method libevent knows so that the responder, not libevent, answers 405 with an Allow header.
        let allMethods = EVHTTP_REQ_GET.rawValue | EVHTTP_REQ_POST.rawValue | EVHTTP_REQ_HEAD.rawValue
            | EVHTTP_REQ_PUT.rawValue | EVHTTP_REQ_DELETE.rawValue | EVHTTP_REQ_OPTIONS.rawValue
            | EVHTTP_REQ_TRACE.rawValue | EVHTTP_REQ_CONNECT.rawValue | EVHTTP_REQ_PATCH.rawValue
        evhttp_set_allowed_methods(http, UInt16(allMethods))
        evhttp_set_default_content_type(http, "application/json")
        evhttp_set_bevcb(http, { base, context in
            guard let base, let context else { return nil }
            return Unmanaged<HTTPServerLoop>.fromOpaque(context).takeUnretainedValue().connectionOpened(base: base)
        }, context)
        evhttp_set_gencb(http, { request, context in
            guard let request, let context else { return }
            Unmanaged<HTTPServerLoop>.fromOpaque(context).takeUnretainedValue().receive(request)
        }, context)
    }

    private var context: UnsafeMutableRawPointer {
        Unmanaged.passUnretained(self).toOpaque()
    }

    /// Runs the loop on the calling thread until the loop has stopped.
    func run() {
        base.dispatch()
    }

    /// Asks the loop, from any thread, to close its listener and finish once its requests are answered.
    func requestStop() {
        stopEvent.waker.wake()
    }

    // MARK: Connections

    /// evhttp accepted a socket and asks for the bufferevent to serve it with.
    private func connectionOpened(base: OpaquePointer) -> OpaquePointer? {
        let bufferevent: OpaquePointer?
        if let tls = options.tls {
            tls.connectionAccepted()
            bufferevent = cevent_tls_server_bufferevent_new(base, tls.pointer, { context in
                guard let context else { return }
                Unmanaged<TLSServerContext>.fromOpaque(context).takeUnretainedValue().sessionResumed()
            }, Unmanaged.passUnretained(tls).toOpaque())
        } else {
            bufferevent = bufferevent_socket_new(base, -1, Int32(BEV_OPT_CLOSE_ON_FREE.rawValue))
        }
        guard let bufferevent else { return nil }  // out of memory: evhttp falls back to a bufferevent of its own
        let permit = admission.limit.tryAcquirePermit()
        // evhttp frees the bufferevent if its own set-up of the connection fails (out of memory): a reference of
        // ours keeps the object readable until the set-up below has looked at it.
        bufferevent_incref(bufferevent)
        acceptedConnections.append(ServedConnection(
            bufferevent: bufferevent, permit: permit, overCapacity: permit == nil, deadlines: requestDeadlines))
        // evhttp creates the connection only after this returns. An activated event runs later in this same loop
        // turn, after the accept callback and before any read on the new socket.
        setUpEvent.activate()
        return bufferevent
    }

    private func setUpAcceptedConnections() {
        let accepted = acceptedConnections
        acceptedConnections.removeAll()
        for connection in accepted {
            defer { bufferevent_decref(connection.bufferevent) }
            // No connection when evhttp's set-up failed and it freed the bufferevent (which cleared its callbacks).
            guard let evhttpConnection = cevent_served_connection(connection.bufferevent) else {
                connection.closed()
                continue
            }
            register(connection, as: evhttpConnection)
            if connection.isOverCapacity {
                refuse(connection)
            } else {
                connection.awaitRequest()
            }
        }
    }

    private func refuse(_ connection: ServedConnection) {
        if admission.refusalWarnings.shouldWarn() {
            logger.warning("refusing connections: http.max_connections (HTTP_MAX_CONNECTIONS) reached", metadata: [
                "max_connections": .stringConvertible(admission.limit.maximum),
            ])
        }
        connection.abort()
    }

    private func register(_ connection: ServedConnection, as evhttpConnection: OpaquePointer) {
        connections[evhttpConnection] = connection
        // evhttp reports the close before freeing the connection, so nothing outlives it here.
        evhttp_connection_set_closecb(evhttpConnection, { connection, context in
            guard let connection, let context else { return }
            Unmanaged<HTTPServerLoop>.fromOpaque(context).takeUnretainedValue().connectionClosed(connection)
        }, context)
    }

    /// The request's connection; one evhttp made without asking for a bufferevent (when making ours failed) is
    /// adopted uncounted, so that its writes are still waited for at shutdown.
    private func servedConnection(of request: OpaquePointer) -> ServedConnection? {
        guard let evhttpConnection = evhttp_request_get_connection(request) else { return nil }  // the client left
        if let connection = connections[evhttpConnection] {
            return connection
        }
        guard let bufferevent = evhttp_connection_get_bufferevent(evhttpConnection) else { return nil }
        let adopted = ServedConnection(
            bufferevent: bufferevent, permit: nil, overCapacity: false, deadlines: requestDeadlines)
        register(adopted, as: evhttpConnection)
        return adopted
    }

    /// Forgets every connection before evhttp frees them, so that nothing calls back into a finished loop.
    private func forgetConnections() {
        for connection in connections.values {
            connection.closed()
        }
        connections.removeAll()
        for connection in acceptedConnections {
            connection.closed()
            bufferevent_decref(connection.bufferevent)
        }
        acceptedConnections.removeAll()
        rawWrites.removeAll()  // evhttp_free closes them
    }

    // MARK: Requests

    private func receive(_ request: OpaquePointer) {
        let connection = servedConnection(of: request)
        connection?.requestReceived()
        let started = ContinuousClock.now
        guard let parsed = HTTPRequest(libevent: request, connection: connection) else {
            // Unreachable while the allowed methods are exactly those HTTPMethod names; never guess another.
            evhttp_send_error(request, 501, nil)
            return
        }
        let requestID = RequestID.resolve(parsed.headers[RequestID.headerName], generator: &requestIDs)
        var requestLogger = logger
        requestLogger[metadataKey: RequestID.logMetadataKey] = .string(requestID)
        var prepared = RequestContext(requestID: requestID, logger: requestLogger)
        responder?.prepare(&prepared, for: parsed)
        let context = prepared
        awaitingResponse += 1

        let reply = ReplyOnce { [unowned self] response in
            send(response, to: request, request: parsed, context: context, started: started)
        }
        guard let responder else { return reply(HTTPResponse(status: 503)) }  // torn down; not reached while serving
        if let violation = RequestFraming.violation(headers: parsed.headers, version: parsed.version, method: parsed.method) {
            context.logger.notice("refusing a request with ambiguous framing", metadata: ["violation": .string(violation.rawValue)])
            var answer = responder.answer(.ambiguousFraming(violation), to: parsed, context: context)
            // Whatever else is buffered on the connection must not be read as a request.
            answer.headers.replaceOrAdd(name: "Connection", value: "close")
            reply(answer)
        } else if parsed.body.count > options.maxBodyBytes {
            reply(responder.answer(.bodyTooLarge, to: parsed, context: context))
        } else {
            responder.respond(to: parsed, context: context, respond: reply.callAsFunction)
        }
    }

    private func send(_ response: HTTPResponse, to request: OpaquePointer, request parsed: HTTPRequest, context: RequestContext, started: ContinuousClock.Instant) {
        awaitingResponse -= 1
        guard !isFinished else { return }  // the grace period ran out: libevent already dropped the request

        let headers = evhttp_request_get_output_headers(request)
        response.headers.add(to: headers)
        HTTPHeaders.add(name: RequestID.headerName, value: context.requestID, to: headers)
        if !response.headers.contains("Date") {
            HTTPHeaders.add(name: "Date", value: date.now(), to: headers)
        }
        if lifecycle.phase != .serving, !response.headers.contains("Connection") {
            // From the stop signal on, pooling clients and proxies must move to another instance: this connection
            // ends with this answer, so no request can reach it once the listeners have closed.
            evhttp_add_header(headers, "Connection", "close")
        }
        switch response.delivery {
        case .complete:
            if parsed.method == .head {
                // RFC 9110 §9.3.2: the fields a GET would get, no body. evhttp sends its output buffer for HEAD too.
                HTTPHeaders.add(name: "Content-Length", value: String(response.body.count), to: headers)
            } else {
                response.body.append(to: evhttp_request_get_output_buffer(request))
            }
            let connection = trackWrite(of: request)
            response.reasonPhrase.withCString { evhttp_send_reply(request, Int32(response.status), $0, nil) }
            if options.tls == nil, let connection {
                // evhttp would wait for the socket to be reported writable, which it nearly always is: writing now
                // saves a loop turn and two epoll calls. (TLS connections, whose bytes go through OpenSSL, keep
                // libevent's way.)
                cevent_socket_write_now(connection.bufferevent)
            }
        case .rawThenClose(let bytes):
            writeRawThenClose(bytes, for: request)
        }

        let elapsed = ContinuousClock.now - started
        context.logger.info("request", metadata: [
            "method": .string(parsed.method.rawValue),
            "path": .string(parsed.path),
            "status": .stringConvertible(response.status),
            "duration_ms": .stringConvertible(elapsed.milliseconds),
            "peer": .string(parsed.peerAddress ?? "-"),
        ])
        finishIfDrained()
    }

    /// Writes `bytes` on the request's connection instead of a response, then closes it once they have left: a
    /// broken server, for the fake upstream's fault injection. evhttp's own reply is never sent; freeing the
    /// connection frees the request with it.
    private func writeRawThenClose(_ bytes: [UInt8], for request: OpaquePointer) {
        guard let evhttpConnection = evhttp_request_get_connection(request),
              let bufferevent = evhttp_connection_get_bufferevent(evhttpConnection)
        else { return }  // the client left: nothing to write to
        bytes.withUnsafeBytes { _ = bufferevent_write(bufferevent, $0.baseAddress, $0.count) }
        _ = bufferevent_enable(bufferevent, Int16(EV_WRITE))
        rawWrites.append(evhttpConnection)
        rawWriteCheck.activate()  // on a later turn: never free a connection inside evhttp's callbacks
    }

    /// Closes the connections whose raw bytes have left; looks again shortly for the others.
    private func closeFinishedRawWrites() {
        var stillWriting: [OpaquePointer] = []
        for evhttpConnection in rawWrites {
            let output = evhttp_connection_get_bufferevent(evhttpConnection).flatMap(bufferevent_get_output)
            if let output, evbuffer_get_length(output) > 0 {
                stillWriting.append(evhttpConnection)
            } else {
                connections.removeValue(forKey: evhttpConnection)?.closed()
                evhttp_connection_free(evhttpConnection)
            }
        }
        rawWrites = stillWriting
        if !rawWrites.isEmpty {
            rawWriteCheck.schedule(after: 0.001)
        }
    }

    /// Remembers that a response is being written until libevent reports it done or the connection closes: the
    /// loop must not close such a connection when it stops. Returns the connection, unless the client already left.
    private func trackWrite(of request: OpaquePointer) -> ServedConnection? {
        guard let connection = servedConnection(of: request) else { return nil }
        connection.responseStarted()
        evhttp_request_set_on_complete_cb(request, { request, context in
            guard let request, let context else { return }
            Unmanaged<HTTPServerLoop>.fromOpaque(context).takeUnretainedValue().responseWritten(for: request)
        }, context)
        return connection
    }

    private func responseWritten(for request: OpaquePointer) {
        servedConnection(of: request)?.responseWritten()
        finishIfDrained()
    }

    private func connectionClosed(_ evhttpConnection: OpaquePointer) {
        rawWrites.removeAll { $0 == evhttpConnection }
        connections.removeValue(forKey: evhttpConnection)?.closed()
        finishIfDrained()
    }

    // MARK: Stopping

    private func beginStopping() {
        guard !isStopping else { return }
        isStopping = true
        if let http {
            for socket in boundSockets {
                evhttp_del_accept_socket(http, socket)  // frees the listener and closes its socket
            }
            boundSockets.removeAll()
        }
        // An idle kept-alive connection would bring its next request here after the listeners closed: closed now,
        // its client reconnects to another instance at once. Connections with a request in hand, or just opened
        // (their first request is most likely on its way), are served, their answers ending them.
        for connection in connections.values where connection.isIdleKeepAlive {
            connection.abort()
        }
        graceTimer.schedule(after: options.shutdownGraceSeconds)
        finishIfDrained()
    }

    private func finishIfDrained() {
        if isStopping, !isFinished, awaitingResponse == 0, !connections.values.contains(where: \.isWriting) {
            // Deferred: this may run inside a libevent callback that still uses the connection.
            finishEvent.activate()
        }
    }

    private func graceExpired() {
        logger.warning("shutdown grace period ended with requests still in flight", metadata: [
            "loop": .stringConvertible(index),
            "awaiting_response": .stringConvertible(awaitingResponse),
            "writing": .stringConvertible(connections.values.filter(\.isWriting).count),
        ])
        finish()
    }

    private func finish() {
        guard !isFinished else { return }
        isFinished = true
        forgetConnections()
        if let http {
            evhttp_free(http)  // closes idle keep-alive connections
            self.http = nil
        }
        base.exit()
    }

    deinit {
        // Free order matters: events, handlers (and their upstream connections) and the HTTP server go before
        // the base they live on.
        stopEvent = nil
        finishEvent = nil
        graceTimer = nil
        setUpEvent = nil
        rawWriteCheck = nil
        forgetConnections()
        requestDeadlines = nil
        loopContext.detachAll()
        responder = nil
        if let http {
            evhttp_free(http)
        }
    }
}

/// Guarantees a handler's response reaches libevent exactly once, whatever the handler does.
private final class ReplyOnce {
    private var deliver: ((HTTPResponse) -> Void)?

    init(_ deliver: @escaping (HTTPResponse) -> Void) {
        self.deliver = deliver
    }

    func callAsFunction(_ response: HTTPResponse) {
        guard let deliver else {
            assertionFailure("a handler responded twice")
            return
        }
        self.deliver = nil
        deliver(response)
    }
}

extension Duration {
    /// The duration in milliseconds, to three decimals, for logs.
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        let milliseconds = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        return (milliseconds * 1000).rounded() / 1000
    }
}
