import CLibevent

/// Owns a loop's asynchronous resolver (`evdns_base`), configured from `/etc/resolv.conf` and `/etc/hosts`.
final class DNSResolver {
    let pointer: OpaquePointer

    init(base: EventBase) throws(EventLoopError) {
        guard let pointer = evdns_base_new(base.pointer, EVDNS_BASE_INITIALIZE_NAMESERVERS) else {
            throw .eventCreationFailed("the DNS resolver")
        }
        self.pointer = pointer
    }

    deinit {
        // 1: fail pending lookups now, so their callbacks do not outlive the resolver.
        evdns_base_free(pointer, 1)
    }
}
