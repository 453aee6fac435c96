public import EventHTTP
/// Reading `X-Forwarded-For`, a comma-separated list of addresses that each proxy appends its peer to.
enum ClientAddressForwardedFor {
    /// The header's name.
    static let headerName = "X-Forwarded-For"

    /// The entries of every `X-Forwarded-For` field, right-most first, as if the fields were joined with commas in
    /// order. Empty entries (`a,,b`) are skipped, as HTTP list syntax asks; surrounding spaces and tabs are trimmed.
    static func entriesFromRight(_ headers: HTTPHeaders) -> [String] {
        HTTPFieldList.members(of: headers.values(named: headerName)).reversed()
    }

    /// Whether any `X-Forwarded-For` field is present, even an empty one.
    static func isPresent(in headers: HTTPHeaders) -> Bool {
        headers.contains(headerName)
    }

    /// The address in one entry: `192.0.2.1`, `192.0.2.1:5678`, `2001:db8::1`, `[2001:db8::1]` or
    /// `[2001:db8::1]:4711`. `nil` for anything else (`unknown`, host names, zone ids, bad ports).
    static func address(inEntry entry: String) -> IPAddress? {
        let entry = Substring(entry)
        if entry.hasPrefix("[") {
            guard let close = entry.firstIndex(of: "]") else { return nil }
            let afterClose = entry[entry.index(after: close)...]
            guard afterClose.isEmpty || (afterClose.hasPrefix(":") && isPort(afterClose.dropFirst())) else { return nil }
            return IPAddress(entry[entry.index(after: entry.startIndex)..<close])
        }
        let colons = entry.utf8.lazy.filter { $0 == UInt8(ascii: ":") }.count
        // One colon can only be IPv4 with a port; IPv6 without brackets has at least two and takes no port.
        if colons == 1, let colon = entry.firstIndex(of: ":") {
            guard isPort(entry[entry.index(after: colon)...]) else { return nil }
            return IPAddress(entry[..<colon])
        }
        return IPAddress(entry)
    }

    /// One to five ASCII digits no larger than 65535.
    private static func isPort(_ text: Substring) -> Bool {
        let digits = text.utf8
        guard (1...5).contains(digits.count), digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else {
            return false
        }
        return Int(text).map { $0 <= 65535 } ?? false
    }
}
