import Testing
@testable import EventHTTP

@Suite("IP addresses")
struct IPAddressTests {
    @Test(arguments: ["192.0.2.1", "0.0.0.0", "255.255.255.255", "10.0.0.1"])
    func parsesIPv4DottedQuads(text: String) throws {
        let address = try #require(IPAddress(text))
        #expect(address.isIPv4)
        #expect(address.description == text)
    }

    @Test(arguments: [
        ("2001:db8::1", "2001:db8::1"),
        ("::1", "::1"),
        ("::", "::"),
        ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
        ("fe80::1:2:3:4", "fe80::1:2:3:4"),
        ("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
    ])
    func parsesIPv6AndWritesItCanonically(text: String, canonical: String) throws {
        let address = try #require(IPAddress(text))
        #expect(!address.isIPv4)
        #expect(address.description == canonical)
    }

    @Test func treatsIPv4MappedIPv6AsTheIPv4Address() throws {
        let mapped = try #require(IPAddress("::ffff:192.0.2.1"))
        #expect(mapped.isIPv4)
        #expect(mapped == IPAddress("192.0.2.1"))
        #expect(mapped.description == "192.0.2.1")
        #expect(IPAddress("::FFFF:c000:0201") == IPAddress("192.0.2.1"))
    }

    @Test func keepsIPv4CompatibleIPv6AsIPv6() throws {
        let compatible = try #require(IPAddress("::192.0.2.1"))
        #expect(!compatible.isIPv4)
        #expect(compatible != IPAddress("192.0.2.1"))
    }

    @Test(arguments: [
        "", " 192.0.2.1", "192.0.2.1 ", "192.0.2", "192.0.2.1.5", "192.0.2.256", "010.0.0.1", "1.2.3.4:80",
        "[2001:db8::1]", "fe80::1%eth0", "fe80::1%1", "2001:db8:::1", "2001:db8::g", "1:2:3:4:5:6:7:8:9", "unknown",
        "localhost", "192.0.2.1\u{0}", "１.２.３.４", "2001:0db8:0000:0000:0000:0000:0000:0000:1",
    ])
    func rejectsAnythingButPlainAddresses(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func parsesSubstringsWithoutCopyingTheirSurroundings() {
        let text = "for=192.0.2.7;proto=https"
        let slice = text.dropFirst(4).prefix(9)
        #expect(IPAddress(slice) == IPAddress("192.0.2.7"))
    }

    @Test func buildsIPv4FromOctets() {
        #expect(IPAddress(ipv4: (198, 51, 100, 9)) == IPAddress("198.51.100.9"))
    }

    @Test func masksToAPrefix() throws {
        let address = try #require(IPAddress("2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff"))
        #expect(address.masked(toPrefixLength: 64) == IPAddress("2001:db8:aaaa:bbbb::"))
        #expect(address.masked(toPrefixLength: 0) == IPAddress("::"))
        #expect(address.masked(toPrefixLength: 128) == address)
        #expect(address.masked(toPrefixLength: 72) == IPAddress("2001:db8:aaaa:bbbb:cc00::"))
    }
}
