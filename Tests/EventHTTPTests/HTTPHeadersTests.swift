@testable import EventHTTP
import Testing

@Suite("Header fields")
struct HTTPHeadersTests {
    private let headers: HTTPHeaders = [
        "Host": "api.example.com", "content-length": "12", "X-Forwarded-For": "203.0.113.7", "Vary": "Origin",
        "VARY": "Accept-Encoding", "X-Empty": "",
    ]

    @Test(arguments: ["host", "HOST", "Host", "hOsT"])
    func namesAreFoundWithoutRegardToCase(name: String) {
        #expect(headers[name] == "api.example.com")
    }

    @Test(arguments: ["hos", "hosts", "Host ", "", "X-Forwarded-Fo", "content-length2", "Content_Length"])
    func aNameIsNotFoundByItsPrefixOrAnExtension(name: String) {
        #expect(headers[name] == nil)
        #expect(!headers.contains(name))
    }

    @Test func theFirstOfRepeatedFieldsIsTheValueAndEveryOneIsListed() {
        #expect(headers["vary"] == "Origin")
        #expect(headers.values(named: "Vary") == ["Origin", "Accept-Encoding"])
    }

    @Test func anEmptyValueIsPresent() {
        #expect(headers["x-empty"] == "")
    }

    @Test func replaceOrAddReplacesEveryFieldOfTheNameWhateverItsCase() {
        var replaced = headers
        replaced.replaceOrAdd(name: "vary", value: "*")
        #expect(replaced.values(named: "VARY") == ["*"])
        #expect(replaced.count == headers.count - 1)
    }

    @Test func foldingIsOnlyForASCIILetters() {
        // "@" (0x40) and "`" (0x60) sit beside the letters; "[" (0x5B) and "{" (0x7B) just after them.
        #expect("@".utf8.elementsEqualIgnoringASCIICase("`".utf8) == false)
        #expect("[".utf8.elementsEqualIgnoringASCIICase("{".utf8) == false)
        #expect("Zz".utf8.elementsEqualIgnoringASCIICase("zZ".utf8))
        #expect("É".utf8.elementsEqualIgnoringASCIICase("é".utf8) == false)
        // Strings too long to be stored inline (compared in their own storage), and those against inline ones.
        #expect("Content-Security-Policy-Report-Only".utf8.elementsEqualIgnoringASCIICase("content-security-policy-report-only".utf8))
        #expect(!"Content-Security-Policy-Report-Only".utf8.elementsEqualIgnoringASCIICase("Content-Security-Policy-Report-Onlx".utf8))
        #expect(!"Content-Type".utf8.elementsEqualIgnoringASCIICase("Content-Security-Policy".utf8))
        // The same through the sequence form, which has no length to compare first.
        #expect(AnySequence("Host".utf8).elementsEqualIgnoringASCIICase(AnySequence("hosT".utf8)))
        #expect(!AnySequence("Host".utf8).elementsEqualIgnoringASCIICase(AnySequence("hosts".utf8)))
    }

    @Test func replaceOrAddAppendsWithoutTouchingOtherFields() {
        var added = headers
        added.replaceOrAdd(name: "RateLimit", value: "\"default\";r=9;t=6")
        #expect(Array(added.map(\.name).dropLast()) == headers.map(\.name))
        #expect(added["ratelimit"] == "\"default\";r=9;t=6")
    }

    @Test func optionalWhitespaceIsSpacesAndTabsOnly() {
        #expect(" \t application/json \t".trimmingSpacesAndTabs() == "application/json")
        #expect("\t \t".trimmingSpacesAndTabs() == "")
        #expect("".trimmingSpacesAndTabs() == "")
        #expect("a b".trimmingSpacesAndTabs() == "a b")
        // Other whitespace is not HTTP's optional whitespace; text around it is kept as it was.
        #expect("\u{A0}x\r\n".trimmingSpacesAndTabs() == "\u{A0}x\r\n")
        #expect(" é ".trimmingSpacesAndTabs() == "é")
        let field: Substring = "X: 1 , 2"[...].dropFirst(2)
        #expect(field.trimmingSpacesAndTabs() == "1 , 2")
    }
}

@Suite("Request peer")
struct HTTPRequestPeerTests {
    @Test func thePeerAddressIsParsedWithoutItsZoneAndFollowsChanges() {
        var request = HTTPRequest(method: .post, path: "/idv-session", peerAddress: "fe80::1%eth0")
        #expect(request.peerIPAddress == IPAddress("fe80::1"))
        request.peerAddress = "203.0.113.9"
        #expect(request.peerIPAddress == IPAddress("203.0.113.9"))
        request.peerAddress = "unix:/run/idv.sock"
        #expect(request.peerIPAddress == nil)
        request.peerAddress = nil
        #expect(request.peerIPAddress == nil)
    }
}
