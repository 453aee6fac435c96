#ifndef IDVBFF_CLIBEVENT_H
#define IDVBFF_CLIBEVENT_H
// System headers first: libevent's event-config.h defines _GNU_SOURCE, which would otherwise give these headers a
// different shape (fd_set's field names) from the one every other Swift module sees.
#include <stdint.h>
#include <sys/types.h>
#include <sys/time.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <netinet/in.h>
// The public libevent and OpenSSL headers the Swift side uses. http_struct.h stays out so requests stay opaque.
#include <event2/event.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/dns.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>
#include <event2/thread.h>
#include <event2/util.h>
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#endif
