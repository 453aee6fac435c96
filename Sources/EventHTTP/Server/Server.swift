#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import Logging
import Synchronization

/// The HTTP server: a set of event loops sharing one port, and the shutdown sequence that stops them.
///
/// `start()` binds every loop's listener (so a busy port fails start-up at once) and starts their threads;
/// `run()` then blocks the calling thread in a control loop that turns SIGTERM/SIGINT into a graceful stop:
/// readiness fails at once, listeners close after `shutdownDelaySeconds`, in-flight requests get up to
/// `shutdownGraceSeconds`, and `run()` returns 0. A second signal exits immediately.
public final class Server {
    private let options: HTTPServerOptions
    private let lifecycle: Lifecycle
    private let logger: Logger
    private let makeResponder: (EventLoopContext) throws -> any HTTPResponder

    private let controlBase: EventBase
    private var loops: [HTTPServerLoop] = []
    private var portClaim: PortClaim?
    private var threads: [LoopThread] = []
    private let loopsEnded = LoopCounter()
    private var exitStatus: Int32 = 0

    private var signalEvents: [LoopEvent] = []
    private var controlSignals: [Int32] = []
    private var controlTimers: [LoopEvent] = []
    private var delayTimer: LoopEvent!
    private var loopEndedEvent: LoopEvent!

    /// The port the server listens on, known after `start()`.
    public private(set) var port = 0

    /// - Parameter makeResponder: builds one loop's responder; called once per loop with that loop, so it may keep
    ///   loop-local state such as upstream connections.
    public init(options: HTTPServerOptions, lifecycle: Lifecycle, logger: Logger, makeResponder: @escaping (EventLoopContext) throws -> any HTTPResponder) throws(EventLoopError) {
        self.options = options
        self.lifecycle = lifecycle
        self.logger = logger
        self.makeResponder = makeResponder
        controlBase = try EventBase()
    }

    /// Runs `action` on the control thread each time `signal` arrives (SIGHUP for a reload, say); call before
    /// ``start()``. The loops never see the signal.
    public func onSignal(_ signal: Int32, _ action: @escaping () -> Void) throws(EventLoopError) {
        signalEvents.append(try LoopEvent.signal(signal, on: controlBase, action: action))
        controlSignals.append(signal)
    }

    /// Runs `action` on the control thread every `seconds` while the server runs; call before ``start()``.
    public func every(seconds: Double, _ action: @escaping () -> Void) throws(EventLoopError) {
        let index = controlTimers.count
        let timer = try LoopEvent.user(on: controlBase) { [unowned self] in
            action()
            controlTimers[index].schedule(after: seconds)
        }
        controlTimers.append(timer)
        timer.schedule(after: seconds)
    }

    /// Binds every loop's listener and starts the loop threads.
    public func start() throws {
        // Signals are watched before any loop runs, so an early SIGTERM is still graceful.
        let stopSignals = options.handlesSignals ? [SIGTERM, SIGINT] : []
        for signal in stopSignals {
            signalEvents.append(try LoopEvent.signal(signal, on: controlBase) { [unowned self] in received(signal) })
        }
        // A parent may have started the process with these blocked (a thread pool's mask is inherited through
        // fork and exec): unblocked here, before the loop threads inherit this thread's mask.
        Self.unblock(stopSignals + controlSignals)
        delayTimer = try LoopEvent.user(on: controlBase) { [unowned self] in closeListeners() }
        loopEndedEvent = try LoopEvent.user(on: controlBase) { [unowned self] in loopEnded() }

        var port = options.port
        // A fixed port is claimed before any listener joins it; an ephemeral one as soon as the first bind chose it.
        if port != 0 {
            portClaim = try PortClaim(port: port, host: options.host)
        }
        let admission = ConnectionAdmission(maximumConnections: options.maxConnections)
        for index in 0..<options.threads {
            let loop = try HTTPServerLoop(
                index: index, options: options, port: port, admission: admission, lifecycle: lifecycle, logger: logger,
                makeResponder: makeResponder)
            port = loop.port  // an ephemeral port chosen by the first bind is shared by the others
            loops.append(loop)
            if portClaim == nil {
                portClaim = try PortClaim(port: port, host: options.host)
            }
        }
        self.port = port

        let ended = loopsEnded
        let wakeControl = loopEndedEvent.waker
        for loop in loops {
            threads.append(try LoopThread {
                loop.run()
                ended.increment()
                wakeControl.wake()
            })
        }
        logger.info("listening", metadata: [
            "host": .string(options.host),
            "port": .stringConvertible(port),
            "threads": .stringConvertible(options.threads),
        ])
    }

    /// Blocks until the server has shut down; returns the process exit status.
    public func run() -> Int32 {
        controlBase.dispatch()
        for thread in threads {
            thread.join()
        }
        logger.info("stopped", metadata: ["exit_status": .stringConvertible(Int(exitStatus))])
        return exitStatus
    }

    private static func unblock(_ signals: [Int32]) {
        guard !signals.isEmpty else { return }
        var set = sigset_t()
        sigemptyset(&set)
        for signal in signals {
            sigaddset(&set, signal)
        }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    private func received(_ signal: Int32) {
        let name = signal == SIGTERM ? "SIGTERM" : signal == SIGINT ? "SIGINT" : "signal \(signal)"
        guard lifecycle.advance(to: .draining) else {
            logger.warning("second stop signal: exiting at once", metadata: ["signal": .string(name)])
            LoopBatchedOutput.flush()
            _exit(128 + signal)
        }
        logger.info("stop signal received: readiness now fails; draining", metadata: [
            "signal": .string(name),
            "delay_seconds": .stringConvertible(options.shutdownDelaySeconds),
            "grace_seconds": .stringConvertible(options.shutdownGraceSeconds),
        ])
        delayTimer.schedule(after: options.shutdownDelaySeconds)
    }

    private func closeListeners() {
        guard lifecycle.advance(to: .stopping) else { return }
        logger.info("closing listeners; waiting for in-flight requests")
        for loop in loops {
            loop.requestStop()
        }
    }

    private func loopEnded() {
        if lifecycle.phase != .stopping {
            logger.critical("an event loop stopped unexpectedly; shutting down")
            exitStatus = 1
            closeListeners()
        }
        if loopsEnded.value == loops.count {
            controlBase.exit()
        }
    }
}

/// Counts loops whose thread has finished; written by loop threads, read by the control loop.
private final class LoopCounter: Sendable {
    private let count = Atomic<Int>(0)

    func increment() {
        count.add(1, ordering: .releasing)
    }

    var value: Int {
        count.load(ordering: .acquiring)
    }
}
