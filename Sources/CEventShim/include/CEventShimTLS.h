#ifndef IDVBFF_CEVENTSHIM_TLS_H
#define IDVBFF_CEVENTSHIM_TLS_H
// OpenSSL set-up for libevent's bufferevent_openssl: client contexts that verify the peer, server contexts for
// the fake upstream, and the per-connection calls Swift cannot make (macros) or should not repeat.

#include <stddef.h>

#include "CEventShim.h"

struct bufferevent;
struct event_base;
typedef struct ssl_ctx_st SSL_CTX;

/// A client context that requires peer verification against the system trust store plus `extra_ca_file` (may be
/// NULL), accepts `minimum_version` (an OpenSSL `TLS1_x_VERSION`) or later, and, when `ignore_unexpected_eof`,
/// sets `SSL_OP_IGNORE_UNEXPECTED_EOF`. It resumes sessions: a connection offers the latest session issued for its
/// host (never with early data). The system store is the hashed directory `system_ca_directory`, looked up
/// certificate by certificate as verification needs them, or OpenSSL's default paths when it is NULL. Returns NULL
/// and fills `error` on failure.
SSL_CTX *cevent_tls_client_context_new(const char *system_ca_directory, const char *extra_ca_file, int minimum_version,
                                       int ignore_unexpected_eof, char *error, size_t error_capacity);

/// A server context presenting `certificate_file` (PEM chain) with `key_file`, accepting `minimum_version` or
/// later. NULL and `error` on failure.
SSL_CTX *cevent_tls_server_context_new(const char *certificate_file, const char *key_file, int minimum_version,
                                       char *error, size_t error_capacity);

/// Frees a context (contexts are reference-counted by OpenSSL; live connections keep theirs).
void cevent_tls_context_free(SSL_CTX *context);

/// A not-yet-connected client bufferevent whose TLS session verifies that the certificate matches `host`: as an
/// IP address when `host_is_address` (and then without SNI, RFC 6066), else as a name sent as SNI. NULL on failure.
///
/// `on_handshake_done` runs once, on the loop's thread, at the moment the TLS handshake completes: before that no
/// request byte can have reached the peer. It is called with `callback_context` and never after the bufferevent is
/// freed. (Recorded as it happens, it is the proof that nothing was sent before a failure.)
struct bufferevent *cevent_tls_client_bufferevent_new(struct event_base *base, SSL_CTX *context, const char *host,
                                                      int host_is_address, cevent_callback on_handshake_done,
                                                      void *callback_context);

/// Writes a whole request on a TLS bufferevent: straight to `SSL_write` when the handshake is complete and nothing is
/// queued before it, so that it leaves as one record now and the socket's write event is never armed (libevent 2.1
/// writes only from that event, a loop turn and two `epoll_ctl` calls later); otherwise, or when OpenSSL cannot
/// take it at once, queued on the bufferevent as `bufferevent_write` does. Returns `bufferevent_write`'s result,
/// 0 when written.
int cevent_tls_write(struct bufferevent *bufferevent, const void *bytes, size_t length);

/// Makes a client bufferevent read again when OpenSSL holds bytes it read ahead and has not decrypted: libevent 2.1
/// reads until `SSL_pending` is 0, which counts only the current record, so a record that arrived with the one
/// just read would otherwise wait for the socket to become readable again, perhaps never. Call it after taking
/// what the read callback delivered; the read event then runs on the next loop turn.
void cevent_tls_read_buffered(struct bufferevent *bufferevent);

/// What went wrong with a connection's TLS, as `cevent_tls_failure` reports it.
typedef enum {
    CEVENT_TLS_NO_FAILURE = 0,
    /// The peer's certificate failed verification; `reason` is X509's text for the error.
    CEVENT_TLS_CERTIFICATE_REJECTED = 1,
    /// Another OpenSSL error libevent recorded; `reason` is OpenSSL's text for it.
    CEVENT_TLS_OTHER_FAILURE = 2,
} cevent_tls_failure_kind;

/// Why TLS failed on this connection, with OpenSSL's own words for it in `reason`.
cevent_tls_failure_kind cevent_tls_failure(struct bufferevent *bufferevent, char *reason, size_t capacity);

/// A server-side bufferevent, not yet bound to a socket, that accepts a TLS session with `ssl_context`; evhttp sets
/// its socket. `on_resumed` runs with `callback_context`, on the loop's thread, when its handshake completes by
/// resuming an earlier session. NULL on failure.
struct bufferevent *cevent_tls_server_bufferevent_new(struct event_base *base, SSL_CTX *ssl_context,
                                                      cevent_callback on_resumed, void *callback_context);

#endif
