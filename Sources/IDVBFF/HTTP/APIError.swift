import Foundation

/// Every error the service answers with: a stable machine-readable `code`, its HTTP status and a safe message.
///
/// Messages never contain configuration secrets or upstream details; those go to the log.
public enum APIError: Error, Sendable, Equatable {
    /// No route has this path.
    case notFound
    /// The path exists but not with this method; `allowed` feeds the `Allow` header.
    case methodNotAllowed(allowed: [HTTPMethod])
    /// The server is draining and no longer takes this kind of request.
    case shuttingDown
    /// A bug: something that should not fail did.
    case internalError

    /// The stable code clients can branch on.
    public var code: String {
        switch self {
        case .notFound: "not_found"
        case .methodNotAllowed: "method_not_allowed"
        case .shuttingDown: "shutting_down"
        case .internalError: "internal_error"
        }
    }

    /// The HTTP status that goes with the code.
    public var status: Int {
        switch self {
        case .notFound: 404
        case .methodNotAllowed: 405
        case .shuttingDown: 503
        case .internalError: 500
        }
    }

    /// A human sentence, safe to show in a browser.
    public var message: String {
        switch self {
        case .notFound: "No resource at this path."
        case .methodNotAllowed(let allowed):
            "This path does not accept that method; use \(allowed.map(\.rawValue).joined(separator: " or "))."
        case .shuttingDown: "The server is shutting down; retry on another instance."
        case .internalError: "The server failed unexpectedly."
        }
    }

    /// Headers that belong with this error.
    public var headers: HTTPHeaders {
        switch self {
        case .methodNotAllowed(let allowed):
            ["Allow": allowed.map(\.rawValue).joined(separator: ", ")]
        case .shuttingDown:
            ["Connection": "close"]
        case .notFound, .internalError:
            [:]
        }
    }

    /// The one place errors become responses: `{"error":{"code":…,"message":…,"requestId":…}}`.
    public func response(requestID: String) -> HTTPResponse {
        let document = ErrorDocument(error: .init(code: code, message: message, requestId: requestID))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]  // code, message, requestId: stable for clients and tests
        let body = (try? encoder.encode(document)).map(Array.init) ?? Array(#"{"error":{"code":"internal_error"}}"#.utf8)
        return .json(status: status, body: body, headers: headers)
    }
}

private struct ErrorDocument: Encodable {
    struct Detail: Encodable {
        let code: String
        let message: String
        let requestId: String
    }

    let error: Detail
}
