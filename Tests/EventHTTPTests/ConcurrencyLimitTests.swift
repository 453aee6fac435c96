import Testing
@testable import EventHTTP

@Suite("Concurrency limit")
struct ConcurrencyLimitTests {
    @Test func acquiresUpToTheMaximumAndNoMore() {
        let limit = ConcurrencyLimit(maximum: 3)
        #expect(limit.tryAcquire())
        #expect(limit.tryAcquire())
        #expect(limit.tryAcquire())
        #expect(!limit.tryAcquire())
        #expect(limit.inFlight == 3)
    }

    @Test func releasingFreesASlot() {
        let limit = ConcurrencyLimit(maximum: 1)
        #expect(limit.tryAcquire())
        #expect(!limit.tryAcquire())
        limit.release()
        #expect(limit.inFlight == 0)
        #expect(limit.tryAcquire())
    }

    @Test func defaultsToSixtyFour() {
        #expect(ConcurrencyLimit().maximum == 64)
    }

    @Test func treatsAMaximumBelowOneAsOne() {
        let limit = ConcurrencyLimit(maximum: 0)
        #expect(limit.maximum == 1)
        #expect(limit.tryAcquire())
        #expect(!limit.tryAcquire())
    }

    @Test func permitsReleaseExactlyOnce() throws {
        let limit = ConcurrencyLimit(maximum: 2)
        let permit = try #require(limit.tryAcquirePermit())
        #expect(limit.inFlight == 1)
        #expect(permit.release())
        #expect(!permit.release())
        #expect(limit.inFlight == 0)
    }

    @Test func aDroppedPermitGivesItsSlotBack() {
        let limit = ConcurrencyLimit(maximum: 1)
        var permit = limit.tryAcquirePermit()
        withExtendedLifetime(permit) {
            #expect(permit != nil)
            #expect(limit.tryAcquirePermit() == nil)
        }
        permit = nil
        #expect(limit.inFlight == 0)
    }

    @Test func neverExceedsTheMaximumUnderConcurrentUse() async {
        let limit = ConcurrencyLimit(maximum: 5)
        let peaks = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var peak = 0
                    for _ in 0..<5_000 where limit.tryAcquire() {
                        peak = max(peak, limit.inFlight)
                        limit.release()
                    }
                    return peak
                }
            }
            return await group.reduce(0, max)
        }
        #expect(peaks <= 5)
        #expect(limit.inFlight == 0)
    }

    @Test func grantsExactlyTheMaximumToConcurrentCallersThatNeverRelease() async {
        let limit = ConcurrencyLimit(maximum: 64)
        let granted = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask { (0..<100).reduce(0) { count, _ in count + (limit.tryAcquire() ? 1 : 0) } }
            }
            return await group.reduce(0, +)
        }
        #expect(granted == 64)
        #expect(limit.inFlight == 64)
    }
}
