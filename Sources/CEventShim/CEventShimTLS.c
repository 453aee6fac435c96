#include "CEventShimTLS.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/bufferevent_struct.h>
#include <event2/event.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

static void cevent_tls_last_error(const char *what, char *error, size_t capacity) {
    unsigned long code = ERR_get_error();
    char reason[256] = "unknown error";
    if (code != 0) {
        ERR_error_string_n(code, reason, sizeof(reason));
    }
    snprintf(error, capacity, "%s: %s", what, reason);
    ERR_clear_error();
}

// Session resumption: each client context keeps the latest session a server issued (a TLS 1.3 ticket) and the host
// it was verified for, and offers it on the next connection to that host, which then skips the certificate chain
// and the server's signature. Shared by the loops' threads, hence the lock. Early data is never sent (requests are
// not idempotent), so a resumed connection carries nothing before its handshake completes, as a full one.
typedef struct {
    pthread_mutex_t lock;
    SSL_SESSION *session;
    char host[256];
} cevent_tls_session_slot;

static int cevent_tls_slot_index = -1;
static int cevent_tls_watch_index = -1;
static pthread_once_t cevent_tls_indexes_once = PTHREAD_ONCE_INIT;

static void cevent_tls_slot_free(void *parent, void *pointer, CRYPTO_EX_DATA *data, int index, long argl, void *argp) {
    (void)parent;
    (void)data;
    (void)index;
    (void)argl;
    (void)argp;
    cevent_tls_session_slot *slot = pointer;
    if (slot != NULL) {
        SSL_SESSION_free(slot->session);
        pthread_mutex_destroy(&slot->lock);
        free(slot);
    }
}

static void cevent_tls_watch_free(void *parent, void *pointer, CRYPTO_EX_DATA *data, int index, long argl,
                                  void *argp) {
    (void)parent;
    (void)data;
    (void)index;
    (void)argl;
    (void)argp;
    free(pointer);
}

static void cevent_tls_indexes_new(void) {
    cevent_tls_slot_index = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, cevent_tls_slot_free);
    cevent_tls_watch_index = SSL_get_ex_new_index(0, NULL, NULL, NULL, cevent_tls_watch_free);
}

// The handshake watch: a callback and its context, and the host the connection verifies, kept in the SSL object's
// ex_data and freed with it.
typedef struct {
    cevent_callback callback;
    void *context;
    char host[256];
} cevent_tls_handshake_watch;

// OpenSSL hands over each session the server issues; the slot keeps the newest (and the reference OpenSSL gives).
static int cevent_tls_session_issued(SSL *ssl, SSL_SESSION *session) {
    cevent_tls_session_slot *slot = SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), cevent_tls_slot_index);
    cevent_tls_handshake_watch *watch = SSL_get_ex_data(ssl, cevent_tls_watch_index);
    if (slot == NULL || watch == NULL || !SSL_SESSION_is_resumable(session)) {
        return 0;  // not kept: OpenSSL frees it
    }
    pthread_mutex_lock(&slot->lock);
    SSL_SESSION *previous = slot->session;
    slot->session = session;
    memcpy(slot->host, watch->host, sizeof(slot->host));
    pthread_mutex_unlock(&slot->lock);
    SSL_SESSION_free(previous);
    return 1;
}

// Offers the kept session when it was issued for `host`, has not expired, and is still resumable (OpenSSL marks a
// session spent when a connection that used it fails).
static void cevent_tls_offer_session(SSL *ssl, const char *host) {
    cevent_tls_session_slot *slot = SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), cevent_tls_slot_index);
    if (slot == NULL) {
        return;
    }
    pthread_mutex_lock(&slot->lock);
    SSL_SESSION *session = slot->session;
    if (session != NULL && SSL_SESSION_is_resumable(session) && strcmp(slot->host, host) == 0 &&
        (time_t)(SSL_SESSION_get_time(session) + SSL_SESSION_get_timeout(session)) > time(NULL)) {
        SSL_set_session(ssl, session);  // takes its own reference
    }
    pthread_mutex_unlock(&slot->lock);
}

static int cevent_tls_enable_resumption(SSL_CTX *context) {
    pthread_once(&cevent_tls_indexes_once, cevent_tls_indexes_new);
    if (cevent_tls_slot_index < 0) {
        return 0;
    }
    cevent_tls_session_slot *slot = calloc(1, sizeof(*slot));
    if (slot == NULL || pthread_mutex_init(&slot->lock, NULL) != 0) {
        free(slot);
        return 0;
    }
    if (SSL_CTX_set_ex_data(context, cevent_tls_slot_index, slot) != 1) {
        pthread_mutex_destroy(&slot->lock);
        free(slot);
        return 0;
    }
    // No internal store: OpenSSL's client cache is never looked up by itself; the slot is the cache.
    SSL_CTX_set_session_cache_mode(context, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
    SSL_CTX_sess_set_new_cb(context, cevent_tls_session_issued);
    return 1;
}

SSL_CTX *cevent_tls_client_context_new(const char *system_ca_directory, const char *extra_ca_file, int minimum_version,
                                       int ignore_unexpected_eof, char *error, size_t error_capacity) {
    SSL_CTX *context = SSL_CTX_new(TLS_client_method());
    if (context == NULL) {
        cevent_tls_last_error("cannot create a TLS context", error, error_capacity);
        return NULL;
    }
    if (SSL_CTX_set_min_proto_version(context, minimum_version) != 1) {
        cevent_tls_last_error("cannot set the minimum TLS version", error, error_capacity);
        SSL_CTX_free(context);
        return NULL;
    }
    if (ignore_unexpected_eof) {
        SSL_CTX_set_options(context, SSL_OP_IGNORE_UNEXPECTED_EOF);
    }
    int loaded = system_ca_directory != NULL ? SSL_CTX_load_verify_locations(context, NULL, system_ca_directory)
                                             : SSL_CTX_set_default_verify_paths(context);
    if (loaded != 1) {
        cevent_tls_last_error("cannot load the system trust store", error, error_capacity);
        SSL_CTX_free(context);
        return NULL;
    }
    if (extra_ca_file != NULL && SSL_CTX_load_verify_locations(context, extra_ca_file, NULL) != 1) {
        cevent_tls_last_error("cannot load the CA file", error, error_capacity);
        SSL_CTX_free(context);
        return NULL;
    }
    SSL_CTX_set_verify(context, SSL_VERIFY_PEER, NULL);
    // An idle pooled connection then holds no 16 KiB read and write buffers (about 34 KiB each): with pools of
    // hundreds of connections that is most of the process's memory.
    SSL_CTX_set_mode(context, SSL_MODE_RELEASE_BUFFERS);
    // A request OpenSSL could not send at once is offered again from the bufferevent's buffer (cevent_tls_write).
    SSL_CTX_set_mode(context, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    // Read ahead: a record's header and body in one read(2) instead of two. Records read ahead wait inside
    // OpenSSL, where bufferevent_openssl does not look (cevent_tls_read_buffered).
    SSL_CTX_set_read_ahead(context, 1);
    if (!cevent_tls_enable_resumption(context)) {
        snprintf(error, error_capacity, "cannot set up TLS session resumption");
        SSL_CTX_free(context);
        return NULL;
    }
    return context;
}

SSL_CTX *cevent_tls_server_context_new(const char *certificate_file, const char *key_file, int minimum_version,
                                       char *error, size_t error_capacity) {
    SSL_CTX *context = SSL_CTX_new(TLS_server_method());
    if (context == NULL) {
        cevent_tls_last_error("cannot create a TLS context", error, error_capacity);
        return NULL;
    }
    if (SSL_CTX_set_min_proto_version(context, minimum_version) != 1) {
        cevent_tls_last_error("cannot set the minimum TLS version", error, error_capacity);
        SSL_CTX_free(context);
        return NULL;
    }
    if (SSL_CTX_use_certificate_chain_file(context, certificate_file) != 1) {
        cevent_tls_last_error("cannot load the certificate", error, error_capacity);
        SSL_CTX_free(context);
        return NULL;
    }
    if (SSL_CTX_use_PrivateKey_file(context, key_file, SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(context) != 1) {
        cevent_tls_last_error("cannot load the private key", error, error_capacity);
        SSL_CTX_free(context);
        return NULL;
    }
    return context;
}

void cevent_tls_context_free(SSL_CTX *context) {
    SSL_CTX_free(context);
}

// OpenSSL reports handshake progress here, at the moment it happens; the watch fires once.
static void cevent_tls_info_callback(const SSL *ssl, int where, int ret) {
    (void)ret;
    if (!(where & SSL_CB_HANDSHAKE_DONE)) {
        return;
    }
    cevent_tls_handshake_watch *watch = SSL_get_ex_data(ssl, cevent_tls_watch_index);
    if (watch != NULL && watch->callback != NULL) {
        cevent_callback callback = watch->callback;
        watch->callback = NULL;
        callback(watch->context);
    }
}

static int cevent_tls_watch_handshake(SSL *ssl, const char *host, cevent_callback on_handshake_done, void *context) {
    pthread_once(&cevent_tls_indexes_once, cevent_tls_indexes_new);
    if (cevent_tls_watch_index < 0 || strlen(host) >= sizeof(((cevent_tls_handshake_watch *)0)->host)) {
        return 0;
    }
    cevent_tls_handshake_watch *watch = calloc(1, sizeof(*watch));
    if (watch == NULL) {
        return 0;
    }
    watch->callback = on_handshake_done;
    watch->context = context;
    memcpy(watch->host, host, strlen(host) + 1);
    if (SSL_set_ex_data(ssl, cevent_tls_watch_index, watch) != 1) {
        free(watch);
        return 0;
    }
    SSL_set_info_callback(ssl, cevent_tls_info_callback);
    return 1;
}

struct bufferevent *cevent_tls_client_bufferevent_new(struct event_base *base, SSL_CTX *context, const char *host,
                                                      int host_is_address, cevent_callback on_handshake_done,
                                                      void *callback_context) {
    SSL *ssl = SSL_new(context);
    if (ssl == NULL) {
        return NULL;
    }
    int configured;
    if (host_is_address) {
        configured = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host) == 1;
    } else {
        configured = SSL_set_tlsext_host_name(ssl, host) == 1 && SSL_set1_host(ssl, host) == 1;
        SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    }
    configured = configured && cevent_tls_watch_handshake(ssl, host, on_handshake_done, callback_context);
    if (!configured) {
        SSL_free(ssl);
        return NULL;
    }
    cevent_tls_offer_session(ssl, host);
    // The bufferevent owns `ssl` from here on, even when creation fails (libevent frees it then).
    struct bufferevent *bufferevent = bufferevent_openssl_socket_new(
        base, -1, ssl, BUFFEREVENT_SSL_CONNECTING, BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS);
    if (bufferevent != NULL) {
        bufferevent_openssl_set_allow_dirty_shutdown(bufferevent, 1);
    }
    return bufferevent;
}

void cevent_tls_read_buffered(struct bufferevent *bufferevent) {
    SSL *ssl = bufferevent_openssl_get_ssl(bufferevent);
    if (ssl != NULL && SSL_has_pending(ssl)) {
        // The read event's callback is what makes bufferevent_openssl call SSL_read; nothing else reaches it.
        event_active(&bufferevent->ev_read, EV_READ, 1);
    }
}

cevent_tls_failure_kind cevent_tls_failure(struct bufferevent *bufferevent, char *reason, size_t capacity) {
    SSL *ssl = bufferevent == NULL ? NULL : bufferevent_openssl_get_ssl(bufferevent);
    if (ssl == NULL) {
        return CEVENT_TLS_NO_FAILURE;
    }
    long verification = SSL_get_verify_result(ssl);
    if (verification != X509_V_OK) {
        snprintf(reason, capacity, "%s", X509_verify_cert_error_string(verification));
        return CEVENT_TLS_CERTIFICATE_REJECTED;
    }
    unsigned long code = bufferevent_get_openssl_error(bufferevent);
    if (code != 0) {
        ERR_error_string_n(code, reason, capacity);
        return CEVENT_TLS_OTHER_FAILURE;
    }
    return CEVENT_TLS_NO_FAILURE;
}

// Server side: the watch fires only when the handshake that completes resumed a session.
static void cevent_tls_server_info_callback(const SSL *ssl, int where, int ret) {
    (void)ret;
    if ((where & SSL_CB_HANDSHAKE_DONE) && SSL_session_reused((SSL *)ssl)) {
        cevent_tls_info_callback(ssl, where, ret);
    }
}

int cevent_tls_write(struct bufferevent *bufferevent, const void *bytes, size_t length) {
    SSL *ssl = bufferevent_openssl_get_ssl(bufferevent);
    struct evbuffer *output = bufferevent_get_output(bufferevent);
    if (ssl != NULL && SSL_is_init_finished(ssl) && evbuffer_get_length(output) == 0 && length > 0 &&
        length <= INT_MAX && SSL_write(ssl, bytes, (int)length) == (int)length) {
        return 0;
    }
    // Not sent whole: queued for bufferevent_openssl, which offers OpenSSL the same bytes and length again (from
    // another address, which the client context allows), or reports the connection's error through its callbacks.
    ERR_clear_error();
    return bufferevent_write(bufferevent, bytes, length);
}

struct bufferevent *cevent_tls_server_bufferevent_new(struct event_base *base, SSL_CTX *ssl_context,
                                                      cevent_callback on_resumed, void *callback_context) {
    SSL *ssl = SSL_new(ssl_context);
    if (ssl == NULL) {
        return NULL;
    }
    if (!cevent_tls_watch_handshake(ssl, "", on_resumed, callback_context)) {
        SSL_free(ssl);
        return NULL;
    }
    SSL_set_info_callback(ssl, cevent_tls_server_info_callback);
    // The bufferevent owns `ssl` from here on, even when creation fails (libevent frees it then): never free it
    // here. BEV_OPT_CLOSE_ON_FREE frees it with the bufferevent.
    return bufferevent_openssl_socket_new(base, -1, ssl, BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
}
