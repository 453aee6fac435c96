@testable import EventHTTP
import Testing

@Suite("Exchange deadlines")
struct ExchangeDeadlinesTests {
    private let start = ContinuousClock.now

    private func exchange(_ offset: Int) -> PendingExchange {
        PendingExchange(request: UpstreamRequest(headers: HTTPHeaders()), deadline: start + .seconds(offset)) { _ in }
    }

    /// The listed exchanges, first to last, by their deadline's offset in seconds; consumes the list.
    private func drain(_ deadlines: inout ExchangeDeadlines) -> [Int64] {
        var offsets: [Int64] = []
        while let first = deadlines.first {
            offsets.append(start.duration(to: first.deadline).components.seconds)
            deadlines.remove(first)
        }
        return offsets
    }

    @Test func keepsTheOrderExchangesWereAppendedIn() {
        var deadlines = ExchangeDeadlines()
        let exchanges = (1...5).map(exchange)
        exchanges.forEach { deadlines.append($0) }
        #expect(deadlines.first === exchanges[0])
        #expect(drain(&deadlines) == [1, 2, 3, 4, 5])
        #expect(deadlines.first == nil)
    }

    @Test(arguments: [0, 2, 4])
    func removesFromAnyPlace(index: Int) {
        var deadlines = ExchangeDeadlines()
        let exchanges = (1...5).map(exchange)
        exchanges.forEach { deadlines.append($0) }
        deadlines.remove(exchanges[index])
        var expected: [Int64] = [1, 2, 3, 4, 5]
        expected.remove(at: index)
        #expect(drain(&deadlines) == expected)
    }

    @Test func removingTwiceOrWhatWasNeverListedChangesNothing() {
        var deadlines = ExchangeDeadlines()
        let listed = (1...3).map(exchange)
        listed.forEach { deadlines.append($0) }
        deadlines.remove(listed[1])
        deadlines.remove(listed[1])
        deadlines.remove(exchange(9))
        #expect(drain(&deadlines) == [1, 3])
    }

    @Test func appendsAfterTheListEmptied() {
        var deadlines = ExchangeDeadlines()
        let first = exchange(1)
        deadlines.append(first)
        deadlines.remove(first)
        #expect(deadlines.first == nil)
        let second = exchange(2)
        deadlines.append(second)
        deadlines.append(exchange(3))
        #expect(drain(&deadlines) == [2, 3])
    }

    @Test func anExchangeRemovedCanBeListedAgain() {
        var deadlines = ExchangeDeadlines()
        let (a, b) = (exchange(1), exchange(2))
        deadlines.append(a)
        deadlines.append(b)
        deadlines.remove(a)
        deadlines.append(a)
        #expect(drain(&deadlines) == [2, 1])
    }
}
