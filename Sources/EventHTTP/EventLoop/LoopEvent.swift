import CEventShim

/// An event on one event loop whose firing runs a Swift closure on that loop's thread.
///
/// The C event holds an unretained pointer back to this object; the object frees the event in `deinit`, so the
/// pointer never outlives it.
public final class LoopEvent {
    private var handle: OpaquePointer?
    private let action: () -> Void
    /// Held so that the base cannot be freed before its events, whatever order their owners go in.
    private let base: EventBase

    private init(base: EventBase, action: @escaping () -> Void) {
        self.base = base
        self.action = action
    }

    /// An event fired on demand, from any thread through `waker`, or later through `schedule(after:)`.
    static func user(on base: EventBase, action: @escaping () -> Void) throws(EventLoopError) -> LoopEvent {
        let event = LoopEvent(base: base, action: action)
        event.handle = cevent_event_new_user(base.pointer, LoopEvent.trampoline, event.context)
        guard event.handle != nil else { throw .eventCreationFailed("user event") }
        return event
    }

    /// An event on `loop` fired on demand, from any thread through ``waker``, or later through
    /// ``schedule(after:)``; `action` runs on the loop's thread. Free it (drop it) on that thread.
    public static func user(on loop: EventLoopContext, action: @escaping () -> Void) throws(EventLoopError) -> LoopEvent {
        try user(on: loop.base, action: action)
    }

    /// A persistent event fired on this loop each time the process receives `signal`.
    static func signal(_ signal: Int32, on base: EventBase, action: @escaping () -> Void) throws(EventLoopError) -> LoopEvent {
        let event = LoopEvent(base: base, action: action)
        event.handle = cevent_event_new_signal(base.pointer, signal, LoopEvent.trampoline, event.context)
        guard event.handle != nil else { throw .eventCreationFailed("signal \(signal)") }
        return event
    }

    /// Fires the event once, `seconds` from now.
    public func schedule(after seconds: Double) {
        _ = cevent_event_schedule(handle, max(0, seconds))
    }

    /// Takes back a schedule that has not fired yet; the event can be scheduled again.
    public func cancel() {
        cevent_event_cancel(handle)
    }

    /// Fires the event on its loop's next turn.
    public func activate() {
        cevent_event_activate(handle)
    }

    /// A handle other threads may use to fire this event; valid while this object lives.
    public var waker: LoopWaker {
        LoopWaker(handle: handle)
    }

    deinit {
        cevent_event_free(handle)
    }

    private var context: UnsafeMutableRawPointer {
        Unmanaged.passUnretained(self).toOpaque()
    }

    private static let trampoline: cevent_callback = { context in
        guard let context else { return }
        Unmanaged<LoopEvent>.fromOpaque(context).takeUnretainedValue().action()
    }
}

/// Fires a `LoopEvent` from another thread: libevent's `event_active` is thread-safe once pthread locking is on.
public struct LoopWaker: @unchecked Sendable {
    fileprivate let handle: OpaquePointer?

    /// Fires the event on its loop's next turn.
    public func wake() {
        cevent_event_activate(handle)
    }
}
