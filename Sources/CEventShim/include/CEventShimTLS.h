#ifndef IDVBFF_CEVENTSHIM_TLS_H
#define IDVBFF_CEVENTSHIM_TLS_H
// OpenSSL set-up for libevent's bufferevent_openssl: client contexts that verify the peer, server contexts for
// the fake upstream, and the per-connection calls Swift cannot make (macros) or should not repeat.

#include <stddef.h>

#include "CEventShim.h"

struct bufferevent;
struct event_base;
typedef struct ssl_ctx_st SSL_CTX;

/// A client context: TLS 1.2 or later, the system trust store plus `extra_ca_file` (may be NULL), peer
/// verification required, and unexpected EOF tolerated (libevent 2.1.12 with OpenSSL 3 needs that).
/// Returns NULL and fills `error` on failure.
SSL_CTX *cevent_tls_client_context_new(const char *extra_ca_file, char *error, size_t error_capacity);

/// A server context presenting `certificate_file` (PEM chain) with `key_file`. NULL and `error` on failure.
SSL_CTX *cevent_tls_server_context_new(const char *certificate_file, const char *key_file, char *error,
                                       size_t error_capacity);

/// Frees a context (contexts are reference-counted by OpenSSL; live connections keep theirs).
void cevent_tls_context_free(SSL_CTX *context);

/// A not-yet-connected client bufferevent whose TLS session sends SNI for `host` (when it is a name) and verifies
/// that the certificate matches `host` (name or IP address). NULL on failure.
///
/// `on_handshake_done` runs once, on the loop's thread, at the moment the TLS handshake completes: before that no
/// request byte can have reached the peer. It is called with `callback_context` and never after the bufferevent is
/// freed. (libevent resets the SSL object before reporting a failure, so the handshake state cannot be read then.)
struct bufferevent *cevent_tls_client_bufferevent_new(struct event_base *base, SSL_CTX *context, const char *host,
                                                      cevent_callback on_handshake_done, void *callback_context);

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
/// its socket. NULL on failure.
struct bufferevent *cevent_tls_server_bufferevent_new(struct event_base *base, SSL_CTX *ssl_context);

#endif
