/// A sensitive string, such as an API key, that refuses to show itself.
///
/// `description`, `debugDescription` and reflection (`dump`, `Mirror`) all render `<redacted>`,
/// so a secret cannot leak through string interpolation, logging or debugging output.
/// Read ``value`` only where the secret is actually used.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The secret itself.
    public let value: String

    /// Wraps a sensitive string.
    /// - Parameter value: The secret.
    public init(_ value: String) {
        self.value = value
    }

    /// Always `<redacted>`.
    public var description: String { "<redacted>" }

    /// Always `<redacted>`.
    public var debugDescription: String { "<redacted>" }

    /// A mirror with no children, so `dump` and `Mirror` see nothing inside.
    public var customMirror: Mirror {
        Mirror(self, children: [], displayStyle: .struct)
    }
}
