import Synchronization
import Testing
@testable import EventHTTP
@testable import IDVBFF

/// A clock that stands still until a test moves it; shared by the rate-limit tests.
final class ManualMonotonicClock: Sendable {
    private let current: Mutex<Duration>

    init(at start: Duration = .zero) {
        current = Mutex(start)
    }

    var clock: MonotonicClock {
        MonotonicClock { [self] in current.withLock { $0 } }
    }

    func advance(by duration: Duration) {
        current.withLock { $0 += duration }
    }
}

@Suite("Rate-limit clock")
struct MonotonicClockTests {
    @Test func continuousClockStartsNearZeroAndNeverGoesBack() {
        let clock = MonotonicClock.continuous
        var previous = clock.now()
        #expect(previous >= .zero)
        #expect(previous < .seconds(1))
        for _ in 0..<1000 {
            let next = clock.now()
            #expect(next >= previous)
            previous = next
        }
    }

    @Test func manualClockReadsWhatTheTestSets() {
        let manual = ManualMonotonicClock(at: .seconds(5))
        #expect(manual.clock.now() == .seconds(5))
        manual.advance(by: .milliseconds(250))
        #expect(manual.clock.now() == .milliseconds(5250))
    }

    @Test func durationsBecomeWholeNanosecondsRoundedDown() {
        #expect(Duration.seconds(2).wholeNanoseconds == 2_000_000_000)
        #expect((Duration.nanoseconds(7) + .init(secondsComponent: 0, attosecondsComponent: 999_999_999)).wholeNanoseconds == 7)
    }

    @Test func hugeDurationsClampInsteadOfOverflowing() {
        #expect(Duration.seconds(Int64.max).wholeNanoseconds == .max)
    }
}
