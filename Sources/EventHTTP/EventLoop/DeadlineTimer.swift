/// One libevent timer for many deadlines of the same length on one loop: an upstream pool's exchanges, a server
/// loop's client connections awaiting a request.
///
/// Deadlines that are all `now + the same timeout` pass in the order they were started, so a list in start order,
/// linked through the timed objects themselves, is already sorted: the timer is set for the first, and when it goes
/// off every passed deadline expires and the timer is set for the next. A libevent timer per object would cost an
/// event, its heap entry and its allocations per request. Starting and stopping are O(1). Used on its loop's thread.
final class DeadlineTimer<Element: DeadlineListed> {
    /// The length of every deadline on this timer: what keeps the list in deadline order.
    let timeout: Duration
    private var list = DeadlineList<Element>()
    private var event: LoopEvent!
    private var isSet = false
    private let expire: (Element) -> Void

    /// - Parameters:
    ///   - timeout: the length of every deadline; an element's deadline is `now + timeout` when it is started.
    ///   - expire: runs on the loop's thread for each element whose deadline passed, after it was stopped.
    init(base: EventBase, timeout: Duration, expire: @escaping (Element) -> Void) throws(EventLoopError) {
        self.timeout = timeout
        self.expire = expire
        event = try LoopEvent.user(on: base) { [unowned self] in deadlinesPassed() }
    }

    /// Starts timing `element`, whose deadline must be no earlier than any timed one's: `now + timeout`.
    func start(_ element: Element, now: ContinuousClock.Instant) {
        list.append(element)
        if !isSet {
            set(for: element, now: now)
        }
    }

    /// Stops timing `element`; nothing happens if it is not timed.
    func stop(_ element: Element) {
        list.remove(element)
        if list.first == nil, isSet {
            event.cancel()  // an idle loop keeps no timer
            isSet = false
        }
    }

    /// The timer went off: every element whose deadline has passed expires, and the timer is set for the next.
    /// (An element stopped in time was taken off the list, so the timer may find nothing due yet.)
    private func deadlinesPassed() {
        isSet = false
        let now = ContinuousClock.now
        while let first = list.first, first.deadline <= now {
            list.remove(first)
            expire(first)
        }
        if let first = list.first, !isSet {
            set(for: first, now: now)
        }
    }

    private func set(for element: Element, now: ContinuousClock.Instant) {
        let (seconds, attoseconds) = now.duration(to: element.deadline).components
        event.schedule(after: Double(seconds) + Double(attoseconds) * 1e-18)
        isSet = true
    }
}

/// An object a ``DeadlineTimer`` can time: it carries its deadline and its place on the timer's list.
protocol DeadlineListed: AnyObject {
    /// When it expires; not changed while it is timed.
    var deadline: ContinuousClock.Instant { get }
    /// Its neighbours on the list, kept by the list.
    var deadlineLinks: DeadlineLinks<Self> { get set }
}

/// The neighbours of a listed object: the later one held, the earlier one not (no cycle).
struct DeadlineLinks<Element: AnyObject> {
    fileprivate var later: Element?
    fileprivate unowned var earlier: Element?

    init() {}
}

/// Objects in deadline order, as a list linked through the objects themselves.
struct DeadlineList<Element: DeadlineListed> {
    /// The object whose deadline comes first.
    private(set) var first: Element?
    private unowned var last: Element?

    /// Adds an object whose deadline is no earlier than any listed one's.
    mutating func append(_ element: Element) {
        precondition(!contains(element), "an object is listed once")
        element.deadlineLinks.earlier = last
        if let last {
            last.deadlineLinks.later = element
        } else {
            first = element
        }
        last = element
    }

    /// Takes an object off the list; nothing happens if it is not on it.
    mutating func remove(_ element: Element) {
        guard contains(element) else { return }
        let links = element.deadlineLinks
        if let earlier = links.earlier {
            earlier.deadlineLinks.later = links.later
        } else {
            first = links.later
        }
        if let later = links.later {
            later.deadlineLinks.earlier = links.earlier
        } else {
            last = links.earlier
        }
        element.deadlineLinks = DeadlineLinks()
    }

    /// Whether the object is on the list: every listed object but the first has an earlier one.
    func contains(_ element: Element) -> Bool {
        element.deadlineLinks.earlier != nil || first === element
    }
}
