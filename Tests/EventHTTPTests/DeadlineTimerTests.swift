@testable import EventHTTP
import Testing

/// Something with a deadline, as a pool's exchange or a served connection is.
private final class Timed: DeadlineListed {
    let name: Int
    var deadline: ContinuousClock.Instant
    var deadlineLinks = DeadlineLinks<Timed>()

    init(_ name: Int, deadline: ContinuousClock.Instant) {
        self.name = name
        self.deadline = deadline
    }
}

@Suite("Deadline list")
struct DeadlineListTests {
    private let start = ContinuousClock.now

    private func timed(_ name: Int) -> Timed {
        Timed(name, deadline: start + .seconds(name))
    }

    /// The listed names, first to last; consumes the list.
    private func drain(_ list: inout DeadlineList<Timed>) -> [Int] {
        var names: [Int] = []
        while let first = list.first {
            names.append(first.name)
            list.remove(first)
        }
        return names
    }

    @Test func keepsTheOrderObjectsWereAppendedIn() {
        var list = DeadlineList<Timed>()
        let objects = (1...5).map(timed)
        objects.forEach { list.append($0) }
        #expect(list.first === objects[0])
        #expect(drain(&list) == [1, 2, 3, 4, 5])
        #expect(list.first == nil)
    }

    @Test(arguments: [0, 2, 4])
    func removesFromAnyPlace(index: Int) {
        var list = DeadlineList<Timed>()
        let objects = (1...5).map(timed)
        objects.forEach { list.append($0) }
        list.remove(objects[index])
        #expect(!list.contains(objects[index]))
        var expected = [1, 2, 3, 4, 5]
        expected.remove(at: index)
        #expect(drain(&list) == expected)
    }

    @Test func removingTwiceOrWhatWasNeverListedChangesNothing() {
        var list = DeadlineList<Timed>()
        let listed = (1...3).map(timed)
        listed.forEach { list.append($0) }
        list.remove(listed[1])
        list.remove(listed[1])
        list.remove(timed(9))
        #expect(drain(&list) == [1, 3])
    }

    @Test func appendsAfterTheListEmptied() {
        var list = DeadlineList<Timed>()
        let first = timed(1)
        list.append(first)
        list.remove(first)
        #expect(list.first == nil)
        list.append(timed(2))
        list.append(timed(3))
        #expect(drain(&list) == [2, 3])
    }

    @Test func anObjectRemovedCanBeListedAgain() {
        var list = DeadlineList<Timed>()
        let (a, b) = (timed(1), timed(2))
        list.append(a)
        list.append(b)
        list.remove(a)
        list.append(a)
        #expect(drain(&list) == [2, 1])
    }

    @Test func theListKeepsWhatItHolds() {
        var list = DeadlineList<Timed>()
        weak var dropped: Timed?
        do {
            let objects = (1...3).map(timed)
            dropped = objects[1]
            objects.forEach { list.append($0) }
        }
        #expect(dropped != nil)
        #expect(drain(&list) == [1, 2, 3])
        #expect(dropped == nil)
    }
}

/// The timer on a real libevent loop, run on the test's thread until nothing is pending.
@Suite("Deadline timer")
struct DeadlineTimerTests {
    /// Expiry order, and when each expired against its deadline.
    private final class Record {
        var expired: [Int] = []
        var early: [Int] = []
    }

    @Test func expiresEachAtOrAfterItsDeadlineInOrder() throws {
        let base = try EventBase()
        let record = Record()
        let timer = try DeadlineTimer<Timed>(base: base, timeout: .milliseconds(10)) { timed in
            record.expired.append(timed.name)
            if ContinuousClock.now < timed.deadline { record.early.append(timed.name) }
        }
        let now = ContinuousClock.now
        let objects = (1...4).map { Timed($0, deadline: now + .milliseconds(10 * $0)) }
        objects.forEach { timer.start($0, now: now) }
        timer.stop(objects[1])
        base.dispatch()  // returns once no event is pending: the timer is not set again after the last expiry
        #expect(record.expired == [1, 3, 4])
        #expect(record.early.isEmpty)
    }

    @Test func stoppingEveryObjectLeavesNoTimerSet() throws {
        let base = try EventBase()
        let record = Record()
        let timer = try DeadlineTimer<Timed>(base: base, timeout: .milliseconds(10)) { record.expired.append($0.name) }
        let now = ContinuousClock.now
        let objects = (1...3).map { Timed($0, deadline: now + .seconds(60)) }
        objects.forEach { timer.start($0, now: now) }
        objects.forEach { timer.stop($0) }
        let started = ContinuousClock.now
        base.dispatch()  // would wait a minute if the timer were still set
        #expect(record.expired.isEmpty)
        #expect(started.duration(to: .now) < .seconds(30))
    }

    @Test func anObjectStartedAgainExpiresAtItsNewDeadline() throws {
        let base = try EventBase()
        let record = Record()
        let timer = try DeadlineTimer<Timed>(base: base, timeout: .milliseconds(10)) { record.expired.append($0.name) }
        var now = ContinuousClock.now
        let (a, b) = (Timed(1, deadline: now + .milliseconds(10)), Timed(2, deadline: now + .milliseconds(20)))
        timer.start(a, now: now)
        timer.start(b, now: now)
        // As a served connection does when a response leaves: stopped, a new deadline, timed again.
        timer.stop(a)
        now = ContinuousClock.now
        a.deadline = now + .milliseconds(30)
        timer.start(a, now: now)
        base.dispatch()
        #expect(record.expired == [2, 1])
    }

    @Test func anExpiryMayStartAnotherObject() throws {
        let base = try EventBase()
        let record = Record()
        var timer: DeadlineTimer<Timed>!
        let follower = Timed(2, deadline: .now)
        timer = try DeadlineTimer<Timed>(base: base, timeout: .milliseconds(10)) { timed in
            record.expired.append(timed.name)
            if timed.name == 1 {
                let now = ContinuousClock.now
                follower.deadline = now + .milliseconds(5)
                timer.start(follower, now: now)
            }
        }
        let now = ContinuousClock.now
        timer.start(Timed(1, deadline: now + .milliseconds(5)), now: now)
        base.dispatch()
        #expect(record.expired == [1, 2])
        timer = nil  // the expiry closure holds the timer
    }
}
