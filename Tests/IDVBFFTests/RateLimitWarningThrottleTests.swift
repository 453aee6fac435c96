import Testing
@testable import IDVBFF

@Suite("Warning throttle")
struct RateLimitWarningThrottleTests {
    @Test func letsTheFirstWarningThrough() {
        let throttle = WarningThrottle(interval: .seconds(60), clock: ManualRateLimitClock().clock)
        #expect(throttle.shouldWarn())
    }

    @Test func holdsBackWarningsWithinTheInterval() {
        let time = ManualRateLimitClock()
        let throttle = WarningThrottle(interval: .seconds(60), clock: time.clock)
        #expect(throttle.shouldWarn())
        time.advance(by: .seconds(59))
        #expect(!throttle.shouldWarn())
        #expect(!throttle.shouldWarn())
    }

    @Test func letsTheNextWarningThroughOnceTheIntervalHasPassed() {
        let time = ManualRateLimitClock()
        let throttle = WarningThrottle(interval: .seconds(60), clock: time.clock)
        #expect(throttle.shouldWarn())
        time.advance(by: .seconds(60))
        #expect(throttle.shouldWarn())
        time.advance(by: .seconds(30))
        #expect(!throttle.shouldWarn())
    }

    @Test func letsExactlyOneOfManyConcurrentCallersThrough() async {
        let throttle = WarningThrottle(interval: .seconds(60), clock: ManualRateLimitClock().clock)
        let passed = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask { (0..<500).reduce(0) { count, _ in count + (throttle.shouldWarn() ? 1 : 0) } }
            }
            return await group.reduce(0, +)
        }
        #expect(passed == 1)
    }
}
