import Crypto
public import EventHTTP
import Logging

/// Honours `Idempotency-Key` (IETF httpapi draft): a double click or a retried `fetch` with the same key from the
/// same client gets the first answer again instead of minting a second paid session. A duplicate that arrives while
/// the first is still running waits for its answer; the same key with another body gets `422`. Requests without the
/// header pass straight through.
///
/// "The same client" is the address the rate limiter sees (``ClientAddressResolver``); "the same request" is the
/// method, path, body and `Authorization` (another bearer token is another caller's request). Only answers after
/// which a session may exist are kept: successes, and `5xx` answers whose upstream outcome is unknown (`502`,
/// `504`). A `4xx` refusal happened before any mint, so a corrected retry with the same key runs again, and so does
/// a retry after `503` (`429` and `503` ask for one). One per loop; the store is shared.
public struct IdempotentHandler: RouteHandler {
    /// The request field.
    public static let headerName = "Idempotency-Key"
    /// Set on a replayed answer.
    public static let replayedHeaderName = "Idempotent-Replayed"
    /// The longest key accepted, in bytes.
    public static let maximumKeyLength = 255

    private let store: any IdempotencyStore
    private let resolver: ClientAddressResolver
    private let mailbox: LoopMailbox
    private let wrapped: any RouteHandler

    /// - Parameters:
    ///   - store: The table shared by all loops.
    ///   - resolver: Decides which client a request comes from.
    ///   - mailbox: This loop's mailbox: a waiting request's answer comes back through it.
    ///   - wrapped: The route.
    public init(store: any IdempotencyStore, resolver: ClientAddressResolver, mailbox: LoopMailbox, wrapped: any RouteHandler) {
        self.store = store
        self.resolver = resolver
        self.mailbox = mailbox
        self.wrapped = wrapped
    }

    public func handle(_ request: HTTPRequest, context: RequestContext, respond: @escaping ResponseCallback) {
        let values = request.headers.values(named: Self.headerName)
        guard !values.isEmpty else {
            wrapped.handle(request, context: context, respond: respond)
            return
        }
        guard values.count == 1, let key = Self.key(from: values[0]) else {
            respond(APIError.invalidIdempotencyKey.response(requestID: context.requestID))
            return
        }
        let client = resolver.resolve(request).address.map { "\($0)" } ?? "unknown"
        let recordKey = IdempotencyRecordKey(client: client, key: key)
        let reply = ReplyBox(respond)
        let mailbox = mailbox
        let claim = store.claim(recordKey, fingerprint: Self.fingerprint(of: request)) { answer in
            mailbox.post { reply.respond(Self.replay(answer)) }
        }
        switch claim {
        case .proceed, .unavailable:
            if claim == .unavailable {
                context.logger.warning("the idempotency table is full of running requests; this one runs unprotected")
            }
            let store = store
            wrapped.handle(request, context: context) { response in
                if claim == .proceed {
                    store.finish(recordKey, answer: response, keep: Self.keeps(status: response.status))
                }
                respond(response)
            }
        case .replay(let answer):
            context.logger.info("replaying the first answer to this Idempotency-Key")
            respond(Self.replay(answer))
        case .waiting:
            context.logger.info("waiting for the request that holds this Idempotency-Key")
        case .mismatch:
            respond(APIError.idempotencyKeyReused.response(requestID: context.requestID))
        }
    }

    /// The key: a Structured Fields string (`"…"`, RFC 8941), or, as many clients send it, the bare value; 1 to
    /// ``maximumKeyLength`` visible ASCII characters either way.
    static func key(from value: String) -> String? {
        var bytes = Array(value.utf8)
        if bytes.first == UInt8(ascii: "\"") {
            guard bytes.count >= 2, bytes.last == UInt8(ascii: "\"") else { return nil }
            var unescaped: [UInt8] = []
            var escaping = false
            for byte in bytes.dropFirst().dropLast() {
                if escaping {
                    guard byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { return nil }
                    unescaped.append(byte)
                    escaping = false
                } else if byte == UInt8(ascii: "\\") {
                    escaping = true
                } else {
                    guard byte != UInt8(ascii: "\""), (0x20...0x7E).contains(byte) else { return nil }
                    unescaped.append(byte)
                }
            }
            guard !escaping else { return nil }
            bytes = unescaped
        } else {
            guard bytes.allSatisfy({ (0x21...0x7E).contains($0) && $0 != UInt8(ascii: "\"") }) else { return nil }
        }
        guard (1...maximumKeyLength).contains(bytes.count) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether an answer with `status` is kept for replay: not a refusal the request could be corrected from, nor
    /// an invitation to retry.
    static func keeps(status: Int) -> Bool {
        !(400...499).contains(status) && status != 503
    }

    /// SHA-256 of the method, the path, the `Authorization` field and the body.
    static func fingerprint(of request: HTTPRequest) -> IdempotencyFingerprint {
        var hash = SHA256()
        hash.update(data: Array("\(request.method.rawValue) \(request.path)\n".utf8))
        hash.update(data: Array(request.headers.values(named: "Authorization").joined(separator: "\n").utf8))
        hash.update(data: [0])  // the body starts here, whatever the field held
        hash.update(data: request.body)
        return IdempotencyFingerprint(digest: Array(hash.finalize()))
    }

    static func replay(_ answer: HTTPResponse) -> HTTPResponse {
        var replayed = answer
        replayed.headers.replaceOrAdd(name: replayedHeaderName, value: "true")
        return replayed
    }
}

/// A request's response callback, carried to the loop that owns the request and called there only (through its
/// ``LoopMailbox``), which is what makes handing it across threads safe.
private final class ReplyBox: @unchecked Sendable {
    let respond: ResponseCallback

    init(_ respond: @escaping ResponseCallback) {
        self.respond = respond
    }
}
