/// The front of an absolute `http`/`https` URL, `scheme://host[:port]`, split the one strict way that CORS origins
/// and upstream endpoints share: ASCII only, a host name, IPv4 address or bracketed IPv6 address, a decimal port.
///
/// Each caller keeps its own policy (which schemes, whether a path may follow) and its own rejections; this only
/// says where the parts are and whether the host and port are well formed. It needs no Foundation: `URLComponents`
/// would also pass every host through IDNA, which loads ICU's normalisation data into a server that only ever
/// talks to ASCII hosts.
enum URLSyntax {
    /// What is wrong with a `host[:port]` authority.
    enum AuthorityProblem: Error, Equatable {
        /// Nothing before the port.
        case missingHost
        /// The host is not a host name, an IPv4 address or a bracketed IPv6 address.
        case invalidHost
        /// The port is not a number from 1 to 65535.
        case invalidPort
    }

    /// Splits `scheme://rest` at the first `:`, which must start `://`, with a lower-cased RFC 3986 scheme (a
    /// letter, then letters, digits, `+`, `-` or `.`); `nil` when the text has no such scheme (`localhost:3000`).
    static func splitScheme(_ text: Substring) -> (scheme: String, rest: Substring)? {
        guard let colon = text.firstIndex(of: ":"), text[colon...].hasPrefix("://") else { return nil }
        let scheme = text[..<colon].lowercased()
        guard let first = scheme.unicodeScalars.first, first.isASCIILetter,
            scheme.unicodeScalars.allSatisfy({ $0.isASCIILetter || $0.isASCIIDigit || "+-.".unicodeScalars.contains($0) })
        else {
            return nil
        }
        return (scheme, text[colon...].dropFirst(3))
    }

    /// Splits what follows `://` into the authority and the rest, which starts at the first `/`, `?` or `#`.
    static func splitAuthority(_ text: Substring) -> (authority: Substring, rest: Substring) {
        let end = text.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? text.endIndex
        return (text[..<end], text[end...])
    }

    /// Parses a `host[:port]` authority without user information.
    /// - Returns: The host as written (IPv6 addresses keep their brackets) and the port, `nil` when none is named.
    static func hostAndPort(_ authority: Substring) throws(AuthorityProblem) -> (host: Substring, port: Int?) {
        guard !authority.isEmpty else { throw .missingHost }
        let host: Substring
        let portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw .invalidHost }
            host = authority[...close]
            let rest = authority[authority.index(after: close)...]
            guard rest.isEmpty || rest.hasPrefix(":") else { throw .invalidHost }
            portText = rest.isEmpty ? nil : rest.dropFirst()
            guard isIPv6Literal(host.dropFirst().dropLast()) else { throw .invalidHost }
        } else {
            let parts = authority.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            host = parts[0]
            portText = parts.count == 2 ? parts[1] : nil
            guard !host.isEmpty else { throw .missingHost }
            guard isHostName(host) else { throw .invalidHost }
        }
        guard let portText else { return (host, nil) }
        guard !portText.isEmpty, portText.count <= 5, portText.unicodeScalars.allSatisfy(\.isASCIIDigit),
            let port = Int(portText), (1...65535).contains(port)
        else {
            throw .invalidPort
        }
        return (host, port)
    }

    /// Whether `path` is an RFC 3986 absolute path: `/`-separated segments of unreserved characters,
    /// sub-delimiters, `:`, `@` and well-formed percent-escapes; anything else must be percent-encoded.
    static func isPercentEncodedPath(_ path: Substring) -> Bool {
        guard path.first == "/" else { return false }
        var bytes = path.utf8.makeIterator()
        while let byte = bytes.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = bytes.next(), let low = bytes.next(), high.isASCIIHexDigit, low.isASCIIHexDigit else {
                    return false
                }
            } else if !(byte.isASCIIAlphanumeric || pathPunctuation.contains(byte)) {
                return false
            }
        }
        return true
    }

    /// `/`, the unreserved marks `-._~`, the sub-delimiters `!$&'()*+,;=`, and `:` and `@`.
    private static let pathPunctuation = Set("/-._~!$&'()*+,;=:@".utf8)

    /// Dot-separated labels of ASCII letters, digits, `-` and `_`; internationalised names must be written as
    /// `xn--` labels, as browsers send them. IPv4 addresses pass as labels of digits.
    private static func isHostName(_ host: Substring) -> Bool {
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63
                && label.unicodeScalars.allSatisfy { $0.isASCIILetter || $0.isASCIIDigit || $0 == "-" || $0 == "_" }
        }
    }

    /// Hex digits, `:` and `.` (for an embedded IPv4 address); enough to keep anything else out of a header.
    private static func isIPv6Literal(_ address: Substring) -> Bool {
        address.contains(":")
            && address.unicodeScalars.allSatisfy { $0.isASCIIHexDigit || $0 == ":" || $0 == "." }
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
    fileprivate var isASCIIHexDigit: Bool { isASCIIDigit || ("a"..."f").contains(self) || ("A"..."F").contains(self) }
}

extension UInt8 {
    fileprivate var isASCIIAlphanumeric: Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self)
    }
    fileprivate var isASCIIHexDigit: Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(self)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(self)
    }
}
