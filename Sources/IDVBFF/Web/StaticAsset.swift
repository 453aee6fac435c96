import Crypto
public import EventHTTP

/// A file compiled into the binary and served as it is: the browser client, the demo page, the OpenAPI document.
///
/// Its `ETag` is a digest of the bytes, so a browser revalidating with `If-None-Match` gets `304` until a new
/// build changes the file; `Cache-Control: no-cache` makes it revalidate every time, since the path stays the
/// same from one version to the next.
public struct StaticAsset: Sendable {
    /// The path it is served at.
    public let path: String
    /// Its `Content-Type`.
    public let contentType: String
    /// The bytes.
    public let body: [UInt8]
    /// The strong entity tag, quoted: `"` + 32 hex digits of the SHA-256 of the body + `"`.
    public let entityTag: String
    /// Header fields it always carries beyond `Content-Type`, `ETag` and `Cache-Control` (a page's CSP, say).
    public let extraHeaders: HTTPHeaders

    /// Creates an asset.
    public init(path: String, contentType: String, body: [UInt8], extraHeaders: HTTPHeaders = [:]) {
        self.path = path
        self.contentType = contentType
        self.body = body
        self.extraHeaders = extraHeaders
        // Half of the digest is plenty to tell versions of one file apart.
        entityTag = "\"" + SHA256.hash(data: body).prefix(16).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() + "\""
    }

    /// The answer to a `GET` or `HEAD`: `304` without a body when `If-None-Match` names this version, else `200`.
    public func response(to request: HTTPRequest) -> HTTPResponse {
        var headers: HTTPHeaders = ["ETag": entityTag, "Cache-Control": "no-cache"]
        if Self.matches(ifNoneMatch: request.headers.values(named: "If-None-Match"), entityTag: entityTag) {
            return HTTPResponse(status: 304, headers: headers)
        }
        headers.add(name: "Content-Type", value: contentType)
        for field in extraHeaders {
            headers.add(name: field.name, value: field.value)
        }
        return HTTPResponse(status: 200, headers: headers, body: body)
    }

    /// RFC 9110 §13.1.2: `*`, or any listed tag equal to ours under the weak comparison (`W/` ignored).
    static func matches(ifNoneMatch values: [String], entityTag: String) -> Bool {
        HTTPFieldList.members(of: values).contains { member in
            member == "*" || (member.hasPrefix("W/") ? String(member.dropFirst(2)) : member) == entityTag
        }
    }
}
