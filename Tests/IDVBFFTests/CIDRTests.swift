import Testing
@testable import EventHTTP
@testable import IDVBFF

@Suite("CIDR blocks")
struct CIDRTests {
    private func address(_ text: String) throws -> IPAddress {
        try #require(IPAddress(text))
    }

    @Test func matchesIPv4Blocks() throws {
        let block = try #require(CIDR("10.0.0.0/8"))
        #expect(block.contains(try address("10.0.0.0")))
        #expect(block.contains(try address("10.255.255.255")))
        #expect(!block.contains(try address("11.0.0.0")))
        #expect(!block.contains(try address("9.255.255.255")))
    }

    @Test func matchesIPv6Blocks() throws {
        let block = try #require(CIDR("fd00::/8"))
        #expect(block.contains(try address("fd12:3456::1")))
        #expect(block.contains(try address("fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")))
        #expect(!block.contains(try address("fe00::1")))
    }

    @Test func matchesIPv4MappedClientsAgainstIPv4Blocks() throws {
        let block = try #require(CIDR("192.168.0.0/16"))
        #expect(block.contains(try address("::ffff:192.168.4.2")))
        #expect(!block.contains(try address("::ffff:192.169.0.1")))
    }

    @Test func acceptsIPv4MappedBlocksWithIPv6PrefixLengths() throws {
        let block = try #require(CIDR("::ffff:10.0.0.0/104"))
        #expect(block == CIDR("10.0.0.0/8"))
        #expect(block.isIPv4)
        #expect(block.description == "10.0.0.0/8")
        #expect(block.contains(try address("10.1.2.3")))
    }

    @Test func neverMatchesIPv6ClientsAgainstIPv4Blocks() throws {
        let everyIPv4 = try #require(CIDR("0.0.0.0/0"))
        #expect(everyIPv4.contains(try address("203.0.113.1")))
        #expect(!everyIPv4.contains(try address("2001:db8::1")))
        #expect(!everyIPv4.contains(try address("::")))
    }

    @Test func matchesEverythingWithTheIPv6DefaultRoute() throws {
        let everything = try #require(CIDR("::/0"))
        #expect(everything.contains(try address("2001:db8::1")))
        #expect(everything.contains(try address("203.0.113.1")))
    }

    @Test(arguments: [("127.0.0.1", "127.0.0.1/32"), ("::1", "::1/128"), ("::ffff:127.0.0.1", "127.0.0.1/32")])
    func readsABareAddressAsABlockOfOne(text: String, canonical: String) throws {
        let block = try #require(CIDR(text))
        #expect(block.description == canonical)
        #expect(block.contains(try address(text)))
        #expect(!block.contains(try address(text == "::1" ? "::2" : "127.0.0.2")))
    }

    @Test(arguments: [("10.0.0.0/8", 8, true), ("fd00::/8", 8, false), ("0.0.0.0/0", 0, true), ("2001:db8::/32", 32, false)])
    func reportsThePrefixLengthInItsOwnFamily(text: String, length: Int, isIPv4: Bool) throws {
        let block = try #require(CIDR(text))
        #expect(block.prefixLength == length)
        #expect(block.isIPv4 == isIPv4)
        #expect(block.description == text)
    }

    @Test(arguments: [
        ("10.0.0.0/33", CIDRParseError.Reason.invalidPrefixLength(maximum: 32)),
        ("fd00::/129", .invalidPrefixLength(maximum: 128)),
        ("10.0.0.0/", .invalidPrefixLength(maximum: 32)),
        ("10.0.0.0/-1", .invalidPrefixLength(maximum: 32)),
        ("10.0.0.0/+8", .invalidPrefixLength(maximum: 32)),
        ("10.0.0.0/8/8", .invalidPrefixLength(maximum: 32)),
        ("10.0.0.0/ 8", .invalidPrefixLength(maximum: 32)),
        ("10.0.0.0/0008", .invalidPrefixLength(maximum: 32)),
        ("/8", .notAnAddress),
        ("10.0.0/8", .notAnAddress),
        ("fe80::%eth0/64", .notAnAddress),
        ("[fd00::]/8", .notAnAddress),
        ("localhost", .notAnAddress),
        (" 10.0.0.0/8", .notAnAddress),
    ])
    func rejectsMalformedBlocksSayingWhy(text: String, reason: CIDRParseError.Reason) {
        #expect(throws: CIDRParseError(text: text, reason: reason)) {
            try CIDR(parsing: text)
        }
    }

    @Test func rejectsHostBitsAndSuggestsTheBlock() throws {
        let error = try #require(throws: CIDRParseError.self) { try CIDR(parsing: "10.1.2.3/8") }
        #expect(error.reason == .hostBitsSet(block: try #require(CIDR("10.0.0.0/8"))))
        #expect(error.description == #""10.1.2.3/8" has bits set after its prefix length; write the block as 10.0.0.0/8"#)
    }

    @Test func buildsBlocksFromAnAddressAndALength() throws {
        #expect(CIDR(network: try address("10.9.8.7"), prefixLength: 8) == CIDR("10.0.0.0/8"))
        #expect(CIDR(network: try address("10.0.0.0"), prefixLength: 33) == nil)
        #expect(CIDR(network: try address("fd00::"), prefixLength: 129) == nil)
        #expect(CIDR(host: try address("::1")) == CIDR("::1/128"))
    }

    // MARK: Trusted proxies

    @Test func parsesACommaSeparatedListOfTrustedProxies() throws {
        let (proxies, problems) = TrustedProxies.parse(commaSeparated: " 10.0.0.0/8,fd00::/8 , 127.0.0.1,,::1 ")
        #expect(problems.isEmpty)
        #expect(proxies.blocks.map(\.description) == ["10.0.0.0/8", "fd00::/8", "127.0.0.1/32", "::1/128"])
        #expect(proxies.contains(try address("10.20.30.40")))
        #expect(proxies.contains(try address("::1")))
        #expect(!proxies.contains(try address("192.0.2.1")))
    }

    @Test func reportsEveryBadTrustedProxyEntryAndKeepsTheGoodOnes() {
        let (proxies, problems) = TrustedProxies.parse(commaSeparated: "10.0.0.0/8, lb.internal, 172.16.0.1/12, fd00::/200")
        #expect(proxies.blocks.map(\.description) == ["10.0.0.0/8"])
        #expect(problems.map(\.text) == ["lb.internal", "172.16.0.1/12", "fd00::/200"])
        #expect(problems.map(\.description) == [
            #""lb.internal" is not an IP address or CIDR block such as 10.0.0.0/8 or fd00::/8"#,
            #""172.16.0.1/12" has bits set after its prefix length; write the block as 172.16.0.0/12"#,
            #""fd00::/200" has a prefix length that is not a whole number from 0 to 128"#,
        ])
    }

    @Test func parsesTrustedProxiesFromAListOfEntries() {
        let (proxies, problems) = TrustedProxies.parse(entries: ["10.0.0.0/8", "  ", "fd00::/8"])
        #expect(problems.isEmpty)
        #expect(proxies.blocks.count == 2)
    }

    @Test func trustsNoOneWhenTheListIsEmpty() throws {
        let (proxies, problems) = TrustedProxies.parse(commaSeparated: "")
        #expect(problems.isEmpty)
        #expect(proxies == .empty)
        #expect(proxies.isEmpty)
        #expect(!proxies.contains(try address("127.0.0.1")))
    }

    @Test func quotesOnlyTheStartOfVeryLongBadEntries() {
        let (_, problems) = TrustedProxies.parse(commaSeparated: String(repeating: "x", count: 500))
        #expect(problems.first?.description.hasPrefix("\"" + String(repeating: "x", count: 64) + "…\" is not") == true)
    }
}
