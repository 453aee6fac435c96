import CEventShim
import CLibevent
@testable import EventHTTP
import Glibc
import Testing

/// `cevent_socket_write_now`, which the server calls after evhttp queues a response: the bytes leave at once, and
/// evhttp's write callback runs exactly once, only after the last byte has left — later in the loop turn when the
/// socket takes everything, after libevent's own write event when it does not.
@Suite("Writing a response at once")
struct SocketWriteNowTests {
    /// A bufferevent set up as evhttp leaves one after queuing a response (writing enabled, a write callback that
    /// disables it), over one end of a socket pair whose other end the test reads.
    private final class Pair {
        let base: EventBase
        let bufferevent: OpaquePointer
        let peer: Int32
        var writeCallbacks = 0

        init(sendBufferBytes: Int32?) throws {
            base = try EventBase()
            var ends: [Int32] = [-1, -1]
            guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &ends) == 0 else { throw POSIXFailure(errno) }
            if var size = sendBufferBytes {
                setsockopt(ends[0], SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
            }
            _ = evutil_make_socket_nonblocking(ends[0])
            _ = evutil_make_socket_nonblocking(ends[1])
            peer = ends[1]
            guard let bufferevent = bufferevent_socket_new(base.pointer, ends[0], Int32(BEV_OPT_CLOSE_ON_FREE.rawValue)) else {
                throw POSIXFailure(ENOMEM)
            }
            self.bufferevent = bufferevent
            // As evhttp's: the response is done, so writing is disabled until the next one.
            bufferevent_setcb(bufferevent, nil, { bufferevent, context in
                guard let bufferevent, let context else { return }
                Unmanaged<Pair>.fromOpaque(context).takeUnretainedValue().writeCallbacks += 1
                _ = bufferevent_disable(bufferevent, Int16(EV_WRITE))
            }, nil, Unmanaged.passUnretained(self).toOpaque())
            _ = bufferevent_enable(bufferevent, Int16(EV_WRITE))
        }

        func queue(_ bytes: [UInt8]) {
            bytes.withUnsafeBytes { _ = bufferevent_write(bufferevent, $0.baseAddress, $0.count) }
        }

        var queued: Int { evbuffer_get_length(bufferevent_get_output(bufferevent)) }

        /// One turn of the loop without waiting.
        func turn() {
            _ = event_base_loop(base.pointer, EVLOOP_NONBLOCK)
        }

        /// What the peer can read now.
        func drainPeer() -> [UInt8] {
            var received: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(peer, $0.baseAddress, $0.count) }
                guard count > 0 else { return received }
                received += chunk[..<count]
            }
        }

        deinit {
            bufferevent_free(bufferevent)
            close(peer)
        }
    }

    private struct POSIXFailure: Error {
        let code: Int32
        init(_ code: Int32) { self.code = code }
    }

    private func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
    }

    @Test func whatTheSocketTakesLeavesAtOnceAndTheCallbackFollowsOnceInTheSameTurn() throws {
        let pair = try Pair(sendBufferBytes: nil)
        let response = bytes(1000)
        pair.queue(response)
        cevent_socket_write_now(pair.bufferevent)
        #expect(pair.queued == 0)
        #expect(pair.writeCallbacks == 0)  // deferred: never inside the caller
        #expect(pair.drainPeer() == response)
        pair.turn()
        #expect(pair.writeCallbacks == 1)
        pair.turn()  // libevent's own write event was taken back with writing: no second report
        #expect(pair.writeCallbacks == 1)
    }

    @Test func whatTheSocketCannotTakeIsLeftToLibeventAndTheCallbackWaitsForTheLastByte() throws {
        let pair = try Pair(sendBufferBytes: 4096)
        let response = bytes(512 * 1024)
        pair.queue(response)
        cevent_socket_write_now(pair.bufferevent)
        #expect(pair.queued > 0)
        #expect(pair.queued < response.count)
        pair.turn()
        #expect(pair.writeCallbacks == 0)

        var received: [UInt8] = []
        var turns = 0
        while received.count < response.count, turns < 100_000 {
            received += pair.drainPeer()
            #expect(pair.writeCallbacks == 0 || pair.queued == 0)
            pair.turn()
            turns += 1
        }
        #expect(received == response)
        pair.turn()
        #expect(pair.writeCallbacks == 1)
    }
}
