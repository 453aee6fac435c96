#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import EventHTTP

@Suite("Date field")
struct HTTPDateTests {
    @Test(arguments: [
        (784_111_777, "Sun, 06 Nov 1994 08:49:37 GMT"),  // RFC 9110's example
        (0, "Thu, 01 Jan 1970 00:00:00 GMT"),
        (951_782_400, "Tue, 29 Feb 2000 00:00:00 GMT"),
        (1_798_761_599, "Thu, 31 Dec 2026 23:59:59 GMT"),
    ])
    func isTheIMFFixdate(seconds: Int, text: String) {
        #expect(HTTPDate.format(seconds) == text)
    }

    @Test func aNewSecondIsFormattedAgainWhicheverWayTheClockMoved() {
        var date = HTTPDate()
        #expect(date.text(at: 784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(date.text(at: 784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(date.text(at: 784_111_778) == "Sun, 06 Nov 1994 08:49:38 GMT")
        #expect(date.text(at: 784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")  // a clock stepped back
    }

    @Test func nowIsTheClocksSecondEachTimeItIsAsked() {
        var date = HTTPDate()
        for _ in 0..<3 {
            let before = time(nil)
            let text = date.now()
            let after = time(nil)
            #expect(text == HTTPDate.format(before) || text == HTTPDate.format(after))
        }
    }
}
