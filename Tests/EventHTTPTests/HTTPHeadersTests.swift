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
        // The same through the sequence form, which has no length to compare first.
        #expect(AnySequence("Host".utf8).elementsEqualIgnoringASCIICase(AnySequence("hosT".utf8)))
        #expect(!AnySequence("Host".utf8).elementsEqualIgnoringASCIICase(AnySequence("hosts".utf8)))
    }
}
