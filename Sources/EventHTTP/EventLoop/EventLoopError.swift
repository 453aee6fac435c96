/// Failures setting up the event loops: they stop start-up with a clear message.
public enum EventLoopError: Error, Sendable, CustomStringConvertible {
    case baseCreationFailed
    case httpCreationFailed
    case eventCreationFailed(String)
    case bindFailed(String)
    case threadStartFailed(Int32)

    public var description: String {
        switch self {
        case .baseCreationFailed: "libevent could not create an event base"
        case .httpCreationFailed: "libevent could not create an HTTP server"
        case .eventCreationFailed(let what): "libevent could not create an event for \(what)"
        case .bindFailed(let reason): reason
        case .threadStartFailed(let code): "could not start an event-loop thread (error \(code))"
        }
    }
}

extension String {
    /// Decodes a NUL-terminated C string held in a Swift buffer.
    init(nulTerminated buffer: [CChar]) {
        self.init(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
