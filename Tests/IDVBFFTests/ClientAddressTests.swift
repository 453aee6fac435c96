import Testing
@testable import EventHTTP
@testable import IDVBFF

@Suite("Client address")
struct ClientAddressTests {
    /// Load balancers in 10.0.0.0/8 and fd00::/8, plus the local host.
    private let resolver = ClientAddressResolver(
        trustedProxies: TrustedProxies.parse(commaSeparated: "10.0.0.0/8, fd00::/8, 127.0.0.1").trustedProxies)

    private func resolve(peer: String?, forwardedFor values: [String] = []) -> ClientAddress {
        var headers: HTTPHeaders = [:]
        for value in values {
            headers.add(name: "X-Forwarded-For", value: value)
        }
        return resolver.resolve(HTTPRequest(method: .post, path: "/idv-session", headers: headers, peerAddress: peer))
    }

    private func address(_ text: String) -> IPAddress? {
        IPAddress(text)
    }

    // MARK: Without a trusted proxy

    @Test func usesThePeerWhenThereIsNoForwardedFor() {
        let client = resolve(peer: "203.0.113.9")
        #expect(client == ClientAddress(address: address("203.0.113.9"), source: .peer, ignoredForwardedFor: false))
    }

    @Test func ignoresForwardedForFromAnUntrustedPeerAndFlagsIt() {
        let client = resolve(peer: "203.0.113.9", forwardedFor: ["198.51.100.1"])
        #expect(client.address == address("203.0.113.9"))
        #expect(client.source == .peer)
        #expect(client.ignoredForwardedFor)
    }

    @Test func flagsEvenAnEmptyForwardedForFromAnUntrustedPeer() {
        #expect(resolve(peer: "203.0.113.9", forwardedFor: [""]).ignoredForwardedFor)
    }

    @Test func ignoresForwardedForWhenNoProxyIsTrusted() {
        let client = ClientAddressResolver().resolve(
            peer: address("10.0.0.5"), headers: ["X-Forwarded-For": "198.51.100.1"])
        #expect(client.address == address("10.0.0.5"))
        #expect(client.ignoredForwardedFor)
    }

    @Test func leavesTheAddressUnknownWithoutAPeer() {
        let client = resolve(peer: nil, forwardedFor: ["198.51.100.1"])
        #expect(client.address == nil)
        #expect(client.ignoredForwardedFor)
    }

    @Test func treatsAPeerThatIsNotAnIPAddressAsUnknownAndUntrusted() {
        let client = resolve(peer: "unix:/run/idv.sock", forwardedFor: ["198.51.100.1"])
        #expect(client == ClientAddress(address: nil, source: .peer, ignoredForwardedFor: true))
    }

    @Test func dropsTheZoneOfALinkLocalPeer() {
        #expect(resolve(peer: "fe80::1%eth0").address == address("fe80::1"))
    }

    @Test func readsAnIPv4MappedPeerAsIPv4() {
        let client = resolve(peer: "::ffff:127.0.0.1", forwardedFor: ["198.51.100.1"])
        #expect(client.address == address("198.51.100.1"))
        #expect(client.source == .forwardedFor)
    }

    // MARK: Behind trusted proxies

    @Test func usesTheRightMostEntryBehindATrustedProxy() {
        let client = resolve(peer: "10.0.0.2", forwardedFor: ["198.51.100.1"])
        #expect(client == ClientAddress(address: address("198.51.100.1"), source: .forwardedFor))
    }

    @Test func skipsTrustedProxiesFromTheRight() {
        let client = resolve(peer: "10.0.0.2", forwardedFor: ["192.0.2.66, 198.51.100.1, 10.1.1.1, 10.2.2.2"])
        #expect(client.address == address("198.51.100.1"))
    }

    @Test func neverBelievesWhatTheClientWroteLeftOfItsOwnAddress() {
        // The client forged "10.9.9.9, 192.0.2.66"; its real address is what the proxy appended.
        let client = resolve(peer: "10.0.0.2", forwardedFor: ["10.9.9.9, 192.0.2.66, 203.0.113.5"])
        #expect(client.address == address("203.0.113.5"))
    }

    @Test func usesTheLeftMostEntryWhenTheWholeChainIsTrusted() {
        let client = resolve(peer: "10.0.0.2", forwardedFor: ["10.3.3.3, 10.4.4.4"])
        #expect(client == ClientAddress(address: address("10.3.3.3"), source: .forwardedFor))
    }

    @Test func usesThePeerBehindATrustedProxyWithoutForwardedFor() {
        let client = resolve(peer: "10.0.0.2")
        #expect(client == ClientAddress(address: address("10.0.0.2"), source: .peer, ignoredForwardedFor: false))
    }

    @Test func joinsSeveralForwardedForFieldsInOrder() {
        let client = resolve(peer: "10.0.0.2", forwardedFor: ["192.0.2.66", "198.51.100.1, 10.1.1.1", "10.2.2.2"])
        #expect(client.address == address("198.51.100.1"))
        let chainEndingInFirstField = resolve(peer: "10.0.0.2", forwardedFor: ["192.0.2.66", "10.1.1.1", "10.2.2.2"])
        #expect(chainEndingInFirstField.address == address("192.0.2.66"))
    }

    @Test func matchesTheHeaderNameWithoutRegardToCase() {
        let client = resolver.resolve(peer: IPAddress("10.0.0.2"), headers: ["x-forwarded-for": "198.51.100.1"])
        #expect(client.address == address("198.51.100.1"))
    }

    @Test func toleratesSpacesTabsAndEmptyEntries() {
        let client = resolve(peer: "10.0.0.2", forwardedFor: ["  198.51.100.1\t,, 10.1.1.1 ,"])
        #expect(client.address == address("198.51.100.1"))
    }

    @Test func readsIPv6Entries() {
        let client = resolve(peer: "fd00::2", forwardedFor: ["2001:db8::1, fd00::7"])
        #expect(client.address == address("2001:db8::1"))
    }

    @Test(arguments: [
        ("[2001:db8::1]:4711", "2001:db8::1"),
        ("[2001:db8::1]", "2001:db8::1"),
        ("198.51.100.1:5678", "198.51.100.1"),
        ("::ffff:198.51.100.1", "198.51.100.1"),
        ("[::ffff:198.51.100.1]:443", "198.51.100.1"),
    ])
    func acceptsPortsAndBrackets(entry: String, expected: String) {
        let client = resolve(peer: "10.0.0.2", forwardedFor: [entry])
        #expect(client.address == address(expected))
        #expect(client.source == .forwardedFor)
    }

    @Test(arguments: [
        "unknown", "client.example", "198.51.100.1:", "198.51.100.1:65536", "198.51.100.1:80:80", "[2001:db8::1",
        "[2001:db8::1]x", "[2001:db8::1]:", "fe80::1%eth0", "\"198.51.100.1\"", "_hidden", "198.51.100.1 extra",
    ])
    func stopsAtGarbageAndKeepsThePeerWhenNothingBetterWasSeen(entry: String) {
        let client = resolve(peer: "10.0.0.2", forwardedFor: [entry])
        #expect(client == ClientAddress(address: address("10.0.0.2"), source: .peer))
    }

    @Test func stopsAtGarbageAndKeepsTheLastTrustedCandidate() {
        // Nothing left of the garbage is believed, not even a plausible address.
        let client = resolve(peer: "10.0.0.2", forwardedFor: ["198.51.100.1, garbage, 10.7.7.7"])
        #expect(client == ClientAddress(address: address("10.7.7.7"), source: .forwardedFor))
    }

    @Test func ignoresEntriesLeftOfTheClientEvenWhenTheyAreGarbage() {
        let client = resolve(peer: "10.0.0.2", forwardedFor: ["garbage, 198.51.100.1"])
        #expect(client.address == address("198.51.100.1"))
    }

    @Test func warnsInTheWordsOperatorsNeed() {
        let warning = ClientAddressResolver.untrustedForwardedForWarning
        #expect(warning.contains("proxy.trusted_cidrs"))
        #expect(warning.contains("PROXY_TRUSTED_CIDRS"))
    }
}
