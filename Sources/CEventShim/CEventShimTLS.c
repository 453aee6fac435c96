#include "CEventShimTLS.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
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

// The handshake watch: a callback and its context, kept in the SSL object's ex_data and freed with it.
typedef struct {
    cevent_callback callback;
    void *context;
} cevent_tls_handshake_watch;

static int cevent_tls_watch_index = -1;
static pthread_once_t cevent_tls_watch_index_once = PTHREAD_ONCE_INIT;

static void cevent_tls_watch_free(void *parent, void *pointer, CRYPTO_EX_DATA *data, int index, long argl,
                                  void *argp) {
    (void)parent;
    (void)data;
    (void)index;
    (void)argl;
    (void)argp;
    free(pointer);
}

static void cevent_tls_watch_index_new(void) {
    cevent_tls_watch_index = SSL_get_ex_new_index(0, NULL, NULL, NULL, cevent_tls_watch_free);
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

static int cevent_tls_watch_handshake(SSL *ssl, cevent_callback on_handshake_done, void *context) {
    pthread_once(&cevent_tls_watch_index_once, cevent_tls_watch_index_new);
    if (cevent_tls_watch_index < 0) {
        return 0;
    }
    cevent_tls_handshake_watch *watch = calloc(1, sizeof(*watch));
    if (watch == NULL) {
        return 0;
    }
    watch->callback = on_handshake_done;
    watch->context = context;
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
    configured = configured && cevent_tls_watch_handshake(ssl, on_handshake_done, callback_context);
    if (!configured) {
        SSL_free(ssl);
        return NULL;
    }
    // The bufferevent owns `ssl` from here on, even when creation fails (libevent frees it then).
    struct bufferevent *bufferevent = bufferevent_openssl_socket_new(
        base, -1, ssl, BUFFEREVENT_SSL_CONNECTING, BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS);
    if (bufferevent != NULL) {
        bufferevent_openssl_set_allow_dirty_shutdown(bufferevent, 1);
    }
    return bufferevent;
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

struct bufferevent *cevent_tls_server_bufferevent_new(struct event_base *base, SSL_CTX *ssl_context) {
    SSL *ssl = SSL_new(ssl_context);
    if (ssl == NULL) {
        return NULL;
    }
    // The bufferevent owns `ssl` from here on, even when creation fails (libevent frees it then): never free it
    // here. BEV_OPT_CLOSE_ON_FREE frees it with the bufferevent.
    return bufferevent_openssl_socket_new(base, -1, ssl, BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
}
