import Synchronization
import Testing
@testable import EventHTTP

@Suite("Warning throttle")
struct WarningThrottleTests {
    /// Time that stands still until the test moves it.
    private final class Time: Sendable {
        let now = Mutex<Duration>(.zero)
        var clock: MonotonicClock { MonotonicClock { [self] in now.withLock { $0 } } }
        func advance(by duration: Duration) { now.withLock { $0 += duration } }
    }

    @Test func letsTheFirstWarningThrough() {
        let throttle = WarningThrottle(interval: .seconds(60), clock: Time().clock)
        #expect(throttle.shouldWarn())
    }

    @Test func holdsBackWarningsWithinTheInterval() {
        let time = Time()
        let throttle = WarningThrottle(interval: .seconds(60), clock: time.clock)
        #expect(throttle.shouldWarn())
        time.advance(by: .seconds(59))
        #expect(!throttle.shouldWarn())
        #expect(!throttle.shouldWarn())
    }

    @Test func letsTheNextWarningThroughOnceTheIntervalHasPassed() {
        let time = Time()
        let throttle = WarningThrottle(interval: .seconds(60), clock: time.clock)
        #expect(throttle.shouldWarn())
        time.advance(by: .seconds(60))
        #expect(throttle.shouldWarn())
        time.advance(by: .seconds(30))
        #expect(!throttle.shouldWarn())
    }

    @Test func letsExactlyOneOfManyConcurrentCallersThrough() async {
        let throttle = WarningThrottle(interval: .seconds(60), clock: Time().clock)
        let passed = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask { (0..<500).reduce(0) { count, _ in count + (throttle.shouldWarn() ? 1 : 0) } }
            }
            return await group.reduce(0, +)
        }
        #expect(passed == 1)
    }
}
