import CLibevent

/// The event loop a route handler lives on, for per-loop services: timers, and the base that upstream
/// connections and DNS attach to. Used only on that loop's thread.
public final class EventLoopContext {
    /// The loop's position among the server's loops, for logs.
    public let index: Int
    let base: EventBase
    private var timers: [ObjectIdentifier: LoopTimer] = [:]
    private var services: [AnyObject] = []

    init(index: Int, base: EventBase) {
        self.index = index
        self.base = base
    }

    /// Runs `action` once on this loop after `seconds`, unless the returned timer is cancelled first.
    /// - Throws: When libevent cannot create the timer; callers must not carry on as if a deadline were set.
    @discardableResult
    public func schedule(after seconds: Double, _ action: @escaping () -> Void) throws(EventLoopError) -> LoopTimer {
        let timer = LoopTimer(context: self, action: action)
        try timer.start(after: seconds)
        timers[ObjectIdentifier(timer)] = timer
        return timer
    }

    fileprivate func release(_ timer: LoopTimer) {
        timers[ObjectIdentifier(timer)] = nil
    }

    /// Keeps a per-loop service (one that is not a route handler) alive for as long as the loop.
    public func attach(_ service: AnyObject) {
        services.append(service)
    }

    /// Drops pending timers and attached services; the loop calls this before freeing its base.
    func detachAll() {
        timers.removeAll()
        services.removeAll()
    }
}

/// A one-shot timer on an event loop; the loop keeps it alive until it fires or is cancelled.
public final class LoopTimer {
    private weak var context: EventLoopContext?
    private var event: LoopEvent?
    private var action: (() -> Void)?

    fileprivate init(context: EventLoopContext, action: @escaping () -> Void) {
        self.context = context
        self.action = action
    }

    fileprivate func start(after seconds: Double) throws(EventLoopError) {
        guard let context else { return }
        let event = try LoopEvent.user(on: context.base) { [unowned self] in fire() }
        event.schedule(after: seconds)
        self.event = event
    }

    /// Stops the timer from firing; harmless after it fired.
    public func cancel() {
        action = nil
        context?.release(self)
    }

    private func fire() {
        let action = self.action
        self.action = nil
        context?.release(self)
        action?()
    }
}
