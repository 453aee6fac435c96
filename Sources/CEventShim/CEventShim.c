#include "CEventShim.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
// Only here, for the request version and kind: Swift sees requests as opaque.
#include <event2/http_struct.h>
#include <event2/listener.h>
#include <event2/thread.h>
#include <event2/util.h>

void cevent_global_init(void) {
    evthread_use_pthreads();
    signal(SIGPIPE, SIG_IGN);
}

static int cevent_socket_port(evutil_socket_t fd) {
    struct sockaddr_storage address;
    socklen_t length = sizeof(address);
    if (getsockname(fd, (struct sockaddr *)&address, &length) != 0) {
        return -1;
    }
    if (address.ss_family == AF_INET) {
        return ntohs(((struct sockaddr_in *)&address)->sin_port);
    }
    if (address.ss_family == AF_INET6) {
        return ntohs(((struct sockaddr_in6 *)&address)->sin6_port);
    }
    return -1;
}

int cevent_listeners_bind(struct event_base *base, const char *host, int port, int backlog,
                          struct evconnlistener **listeners, int capacity, char *error, size_t error_capacity) {
    struct evutil_addrinfo hints;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    hints.ai_flags = EVUTIL_AI_PASSIVE | EVUTIL_AI_ADDRCONFIG;

    char service[16];
    snprintf(service, sizeof(service), "%d", port);
    struct evutil_addrinfo *addresses = NULL;
    int status = evutil_getaddrinfo(host, service, &hints, &addresses);
    if (status != 0 || addresses == NULL) {
        snprintf(error, error_capacity, "cannot resolve %s: %s", host, evutil_gai_strerror(status));
        return 0;
    }
    unsigned flags = LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC | LEV_OPT_REUSEABLE | LEV_OPT_REUSEABLE_PORT;
    int count = 0;
    for (struct evutil_addrinfo *address = addresses; address != NULL && count < capacity; address = address->ai_next) {
        if (count > 0 && port == 0) {
            // The first listener chose the port; the others share it.
            int chosen = cevent_socket_port(evconnlistener_get_fd(listeners[0]));
            if (address->ai_family == AF_INET) {
                ((struct sockaddr_in *)address->ai_addr)->sin_port = htons((uint16_t)chosen);
            } else if (address->ai_family == AF_INET6) {
                ((struct sockaddr_in6 *)address->ai_addr)->sin6_port = htons((uint16_t)chosen);
            }
        }
        struct evconnlistener *listener =
            evconnlistener_new_bind(base, NULL, NULL, flags, backlog, address->ai_addr, (int)address->ai_addrlen);
        if (listener == NULL) {
            char numeric[64] = "?";
            evutil_inet_ntop(address->ai_family,
                             address->ai_family == AF_INET6 ? (void *)&((struct sockaddr_in6 *)address->ai_addr)->sin6_addr
                                                            : (void *)&((struct sockaddr_in *)address->ai_addr)->sin_addr,
                             numeric, sizeof(numeric));
            snprintf(error, error_capacity, "cannot listen on %s (%s) port %d: %s", host, numeric, port, strerror(errno));
            for (int made = 0; made < count; made++) {
                evconnlistener_free(listeners[made]);
            }
            evutil_freeaddrinfo(addresses);
            return 0;
        }
        // Accepted sockets inherit this on Linux: responses written in pieces go out at once.
        int on = 1;
        setsockopt(evconnlistener_get_fd(listener), IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
        listeners[count++] = listener;
    }
    evutil_freeaddrinfo(addresses);
    return count;
}

int cevent_bufferevent_set_nodelay(struct bufferevent *bufferevent) {
    evutil_socket_t fd = bufferevent_getfd(bufferevent);
    if (fd < 0) {
        return 0;
    }
    int on = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
    return 1;
}

void cevent_socket_write_now(struct bufferevent *bufferevent) {
    struct evbuffer *output = bufferevent_get_output(bufferevent);
    evutil_socket_t fd = bufferevent_getfd(bufferevent);
    if (fd < 0 || evbuffer_get_length(output) == 0) {
        return;
    }
    // A socket bufferevent keeps the start of its output frozen but for its own writes, as this one is.
    evbuffer_unfreeze(output, 1);
    int written = evbuffer_write(output, fd);
    evbuffer_freeze(output, 1);
    if (written > 0 && evbuffer_get_length(output) == 0) {
        bufferevent_trigger(bufferevent, EV_WRITE, BEV_OPT_DEFER_CALLBACKS);
    }
}

int cevent_listener_port(struct evconnlistener *listener) {
    return cevent_socket_port(evconnlistener_get_fd(listener));
}

struct cevent_event {
    struct event *event;
    cevent_callback callback;
    void *context;
};

// libevent's event callbacks carry a descriptor and event flags the Swift side never needs.
static void cevent_trampoline(evutil_socket_t fd, short what, void *argument) {
    (void)fd;
    (void)what;
    cevent_event *event = argument;
    event->callback(event->context);
}

static cevent_event *cevent_event_new(struct event_base *base, evutil_socket_t fd, short what,
                                      cevent_callback callback, void *context) {
    cevent_event *event = calloc(1, sizeof(*event));
    if (event == NULL) {
        return NULL;
    }
    event->callback = callback;
    event->context = context;
    event->event = event_new(base, fd, what, cevent_trampoline, event);
    if (event->event == NULL) {
        free(event);
        return NULL;
    }
    return event;
}

cevent_event *cevent_event_new_signal(struct event_base *base, int signum, cevent_callback callback, void *context) {
    cevent_event *event = cevent_event_new(base, signum, EV_SIGNAL | EV_PERSIST, callback, context);
    if (event != NULL && event_add(event->event, NULL) != 0) {
        cevent_event_free(event);
        return NULL;
    }
    return event;
}

cevent_event *cevent_event_new_user(struct event_base *base, cevent_callback callback, void *context) {
    return cevent_event_new(base, -1, 0, callback, context);
}

void cevent_event_activate(cevent_event *event) {
    event_active(event->event, 0, 0);
}

int cevent_event_schedule(cevent_event *event, double seconds) {
    struct timeval delay;
    delay.tv_sec = (time_t)seconds;
    delay.tv_usec = (suseconds_t)((seconds - (double)delay.tv_sec) * 1e6);
    return event_add(event->event, &delay);
}

void cevent_event_cancel(cevent_event *event) {
    event_del(event->event);
}

void cevent_event_free(cevent_event *event) {
    if (event == NULL) {
        return;
    }
    event_free(event->event);
    free(event);
}

struct evhttp_connection *cevent_served_connection(struct bufferevent *bufferevent) {
    void *argument = NULL;
    bufferevent_getcb(bufferevent, NULL, NULL, NULL, &argument);
    return argument;
}

void cevent_connection_abort(struct bufferevent *bufferevent) {
    bufferevent_trigger_event(bufferevent, BEV_EVENT_READING | BEV_EVENT_TIMEOUT, 0);
}

const char *cevent_request_peer(struct evhttp_request *request, uint16_t *port) {
    struct evhttp_connection *connection = evhttp_request_get_connection(request);
    if (connection == NULL) {
        return NULL;
    }
    char *address = NULL;
    ev_uint16_t peer_port = 0;
    evhttp_connection_get_peer(connection, &address, &peer_port);
    *port = peer_port;
    return address;
}

// evhttp's parsers for a message's first line and header fields: exported by libevent 2.1 but declared only in its
// internal header. They return its `enum message_read_status`; 1 is ALL_DATA_READ.
int evhttp_parse_firstline_(struct evhttp_request *request, struct evbuffer *buffer);
int evhttp_parse_headers_(struct evhttp_request *request, struct evbuffer *buffer);

struct evhttp_request *cevent_request_parse_head(const unsigned char *bytes, size_t length) {
    const char *target = memchr(bytes, ' ', length);
    if (target != NULL) {
        size_t rest = length - (size_t)(target + 1 - (const char *)bytes);
        if ((rest >= 5 && strncasecmp(target + 1, "http:", 5) == 0) ||
            (rest >= 6 && strncasecmp(target + 1, "https:", 6) == 0)) {
            return NULL;
        }
    }
    struct evhttp_request *request = evhttp_request_new(NULL, NULL);
    struct evbuffer *buffer = evbuffer_new();
    if (request == NULL || buffer == NULL || evbuffer_add(buffer, bytes, length) != 0) {
        if (request != NULL) evhttp_request_free(request);
        if (buffer != NULL) evbuffer_free(buffer);
        return NULL;
    }
    request->kind = EVHTTP_REQUEST;
    int parsed = evhttp_parse_firstline_(request, buffer) == 1 && evhttp_parse_headers_(request, buffer) == 1;
    evbuffer_free(buffer);
    if (!parsed) {
        evhttp_request_free(request);
        return NULL;
    }
    return request;
}

void cevent_request_version(struct evhttp_request *request, int *major, int *minor) {
    *major = request->major;
    *minor = request->minor;
}
