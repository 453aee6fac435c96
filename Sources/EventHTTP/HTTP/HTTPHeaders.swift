/// An ordered list of header fields with case-insensitive lookup, owned by Swift.
public struct HTTPHeaders: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    /// One field: its name as sent and its value.
    public typealias Element = (name: String, value: String)

    private var fields: [(name: String, value: String)]

    public init() {
        fields = []
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        fields = elements.map { (name: $0.0, value: $0.1) }
    }

    /// The first value of the field called `name` (compared without regard to case), if any.
    public subscript(name: String) -> String? {
        fields.first { $0.name.utf8.elementsEqualIgnoringASCIICase(name.utf8) }?.value
    }

    /// How many fields there are, repeated names counted each time.
    public var count: Int {
        fields.count
    }

    /// Makes room for `count` fields in all, so that adding them does not grow the storage step by step.
    public mutating func reserveCapacity(_ count: Int) {
        fields.reserveCapacity(count)
    }

    /// Appends a field, keeping any earlier field of the same name.
    public mutating func add(name: String, value: String) {
        fields.append((name: name, value: value))
    }

    /// Replaces every field called `name` with one field holding `value`.
    public mutating func replaceOrAdd(name: String, value: String) {
        let matches: ((name: String, value: String)) -> Bool = { $0.name.utf8.elementsEqualIgnoringASCIICase(name.utf8) }
        // Looked for first: removing rewrites (and, when shared, copies) the storage even when nothing matches.
        if fields.contains(where: matches) {
            fields.removeAll(where: matches)
        }
        fields.append((name: name, value: value))
    }

    /// Whether a field called `name` is present.
    public func contains(_ name: String) -> Bool {
        self[name] != nil
    }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
        fields.makeIterator()
    }

    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.fields.elementsEqual(rhs.fields) { $0.name == $1.name && $0.value == $1.value }
    }
}

extension Sequence where Element == UInt8 {
    /// Compares two byte sequences, folding ASCII letters to lower case: header names are case-insensitive.
    ///
    /// Inlinable, so that callers in other modules get it specialized for their sequences (it runs for every field
    /// lookup), not through generic witnesses.
    @inlinable
    public func elementsEqualIgnoringASCIICase(_ other: some Sequence<UInt8>) -> Bool {
        elementsEqual(other) { lowercasedASCII($0) == lowercasedASCII($1) }
    }
}

extension Collection where Element == UInt8 {
    /// As for sequences, but collections of different lengths differ at once (a header name lookup compares the
    /// name with every field's, and most differ in length).
    @inlinable
    public func elementsEqualIgnoringASCIICase(_ other: some Collection<UInt8>) -> Bool {
        count == other.count && elementsEqual(other) { lowercasedASCII($0) == lowercasedASCII($1) }
    }
}

extension String.UTF8View {
    /// As for collections, compared over both strings' contiguous UTF-8 when they have it (native strings do): the
    /// generic path walks string indices, and this comparison runs for every field lookup of every request.
    @inlinable
    public func elementsEqualIgnoringASCIICase(_ other: String.UTF8View) -> Bool {
        guard count == other.count else { return false }
        let contiguous = withContiguousStorageIfAvailable { mine in
            other.withContiguousStorageIfAvailable { theirs in
                !zip(mine, theirs).contains { lowercasedASCII($0) != lowercasedASCII($1) }
            }
        }
        if let contiguous, let equal = contiguous { return equal }
        return elementsEqual(other) { lowercasedASCII($0) == lowercasedASCII($1) }
    }
}

@inline(__always) @usableFromInline
func lowercasedASCII(_ byte: UInt8) -> UInt8 {
    (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
}

/// The bits of HTTP field syntax several readers share: optional whitespace, comma-separated lists, repeated fields.
extension Substring {
    /// The text without leading and trailing spaces and horizontal tabs (HTTP's optional whitespace), which are
    /// bytes in HTTP's grammar: compared as such, not as characters, so no grapheme breaking runs. Inlinable, so
    /// that it is specialised where it is called: field values are trimmed on every request.
    @inlinable
    public func trimmingSpacesAndTabs() -> Substring {
        let bytes = utf8
        guard let first = bytes.firstIndex(where: { !isSpaceOrTab($0) }),
            let last = bytes.lastIndex(where: { !isSpaceOrTab($0) })
        else {
            return self[endIndex...]
        }
        return self[first..<bytes.index(after: last)]
    }
}

extension String {
    /// The text without leading and trailing spaces and horizontal tabs, as for a `Substring`.
    @inlinable
    public func trimmingSpacesAndTabs() -> Substring {
        self[...].trimmingSpacesAndTabs()
    }
}

@inline(__always) @usableFromInline
func isSpaceOrTab(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
}

/// Comma-separated list values (`#rule` in RFC 9110).
public enum HTTPFieldList {
    /// The members of comma-separated lists, in order, trimmed, empty members dropped (`"a, ,b"` is `a` and `b`).
    public static func members(of values: some Sequence<String>) -> [String] {
        var members: [String] = []
        for value in values {
            forEachMember(of: value) { members.append(String($0)) }
        }
        return members
    }

    /// Calls `body` with each member of one list value, in order, trimmed, empty members skipped: the same members
    /// as ``members(of:)``, as substrings of the value, so nothing is allocated (for the framing fields every
    /// response is read by).
    public static func forEachMember(of value: String, _ body: (Substring) -> Void) {
        var rest = value[...]
        while !rest.isEmpty {
            let comma = rest.utf8.firstIndex(of: UInt8(ascii: ",")) ?? rest.endIndex
            let member = rest[..<comma].trimmingSpacesAndTabs()
            if !member.isEmpty { body(member) }
            rest = comma == rest.endIndex ? rest[comma...] : rest[rest.utf8.index(after: comma)...]
        }
    }
}

extension HTTPHeaders {
    /// Every value of the field `name`, in order, the name compared without regard to case.
    public func values(named name: String) -> [String] {
        var values: [String] = []  // allocates only when a field matches
        for field in self where field.name.utf8.elementsEqualIgnoringASCIICase(name.utf8) {
            values.append(field.value)
        }
        return values
    }
}
