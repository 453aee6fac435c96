#if canImport(Glibc)
import Glibc
#endif

/// The process's claim on a TCP port: a Unix socket in the abstract namespace named after the port, which the
/// kernel frees when the process ends, however it ends.
///
/// Each loop listens with `SO_REUSEPORT`, and Linux lets any process of the same user join a port's group: a second
/// idv-bff (a stale one, with old keys or old code) would silently take part of the traffic. Binding the claim
/// first makes it fail instead; it names the port only, since a listener on the wildcard address and one on a
/// single address of the same port would share its traffic too.
final class PortClaim {
    private let descriptor: Int32

    init(port: Int, host: String) throws(EventLoopError) {
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else {
            throw .bindFailed("cannot claim port \(port): socket() failed (errno \(errno))")
        }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        // A leading NUL puts the name in the abstract namespace: no file, gone with the last descriptor.
        let name = Array("\0idv-bff/tcp-port/\(port)".utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { path in
            for (index, byte) in name.enumerated() { path[index] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + name.count)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0 else {
            let error = errno
            close(descriptor)
            if error == EADDRINUSE {
                throw .bindFailed("\(host):\(port) is already served by another idv-bff on this host (port \(port) is taken)")
            }
            throw .bindFailed("cannot claim port \(port) (errno \(error))")
        }
    }

    deinit {
        close(descriptor)
    }
}
