/// Why a cross-origin request was refused; for the log, never for the browser, which only learns
/// `origin_not_allowed`.
public enum CORSRefusal: Sendable, Equatable, CustomStringConvertible {
    /// The origin, normalised, is not allowed.
    case originNotAllowed(CORSOrigin)
    /// The origin is the opaque `null` of sandboxed frames and local files.
    case opaqueOrigin
    /// `Origin` is not a serialised `http` or `https` origin, or the request has more than one.
    case malformedOrigin
    /// A preflight asked for a method other than `POST`; the method as sent, shortened.
    case methodNotAllowed(String)
    /// A preflight asked for headers outside the allowed set; those headers, lower-cased.
    case headersNotAllowed([String])

    /// The longest client-sent text quoted in the log, in characters.
    static let maximumQuotedLength = 64

    /// A short phrase for the log line.
    public var description: String {
        switch self {
        case .originNotAllowed(let origin): "origin \(origin) is not allowed"
        case .opaqueOrigin: "origin null is not allowed"
        case .malformedOrigin: "Origin is not a single serialised http or https origin"
        case .methodNotAllowed(let method): "preflight asks for method \(Self.shortened(method))"
        case .headersNotAllowed(let names): "preflight asks for headers \(Self.shortened(names.joined(separator: ", ")))"
        }
    }

    private static func shortened(_ text: String) -> String {
        text.count <= maximumQuotedLength ? text : text.prefix(maximumQuotedLength) + "…"
    }
}
