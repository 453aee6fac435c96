#ifndef IDVBFF_CEVENTSHIM_H
#define IDVBFF_CEVENTSHIM_H
// The thin C layer between libevent and Swift. It adapts callbacks to context pointers, wraps the macros
// Swift cannot call, and performs socket set-up that needs sockaddr juggling. It makes no decisions.

#include <stddef.h>
#include <stdint.h>

struct event;
struct event_base;
struct evconnlistener;
struct bufferevent;
struct evhttp_connection;
struct evhttp_request;

/// A callback that carries only the context pointer it was registered with.
typedef void (*cevent_callback)(void *context);

/// Once per process, before any event base exists: libevent's pthread locking, and SIGPIPE ignored so a peer that
/// disconnects mid-write yields EPIPE instead of killing the process.
void cevent_global_init(void);

/// Binds a listening socket (SO_REUSEADDR, SO_REUSEPORT, close-on-exec, TCP_NODELAY) for every address `host`
/// resolves to (`localhost` gives 127.0.0.1 and ::1), all on one port: with `port` 0 the first gets an ephemeral
/// port and the others that one. The listeners start without a callback (evhttp installs its own). Stores up to
/// `capacity` of them in `listeners` and returns how many; on failure frees those it made, fills `error` and
/// returns 0.
int cevent_listeners_bind(struct event_base *base, const char *host, int port, int backlog,
                          struct evconnlistener **listeners, int capacity, char *error, size_t error_capacity);

/// Turns off Nagle's algorithm on the bufferevent's socket, if it has one yet (0 when not): a request written
/// right after the TLS handshake's last flight would otherwise wait for its ACK, up to ~40 ms with delayed ACKs.
int cevent_bufferevent_set_nodelay(struct bufferevent *bufferevent);

/// For a plain socket bufferevent: writes what is queued on its output now and, once all of it has left, runs its
/// write callback (deferred, later in this loop turn) as libevent would after the socket's next writability report.
/// What the socket does not take is left to that report.
void cevent_socket_write_now(struct bufferevent *bufferevent);

/// The local port a listener is bound to (useful after binding port 0), or -1.
int cevent_listener_port(struct evconnlistener *listener);

/// An event whose callback receives only the context pointer it was created with. Owned by the caller:
/// free it with `cevent_event_free` on its loop's thread before the base is freed.
typedef struct cevent_event cevent_event;

/// A persistent event that fires on `base`'s thread whenever `signum` is delivered to the process.
cevent_event *cevent_event_new_signal(struct event_base *base, int signum, cevent_callback callback, void *context);

/// An event with no file descriptor, fired by `cevent_event_activate` (from any thread) or as a timer.
cevent_event *cevent_event_new_user(struct event_base *base, cevent_callback callback, void *context);

/// Makes the event run once on its loop's thread; safe to call from any thread.
void cevent_event_activate(cevent_event *event);

/// Schedules the event to fire once after `seconds`, replacing any earlier schedule.
int cevent_event_schedule(cevent_event *event, double seconds);

/// Takes the event off its loop without freeing it; it can be scheduled again.
void cevent_event_cancel(cevent_event *event);

/// Removes the event from its loop and frees it.
void cevent_event_free(cevent_event *event);

/// The evhttp connection serving `bufferevent`, once evhttp has set it up (after the bufferevent callback returned):
/// evhttp registers its connection as the bufferevent's callback argument, and offers no other way to reach a
/// connection that has not completed a request yet.
struct evhttp_connection *cevent_served_connection(struct bufferevent *bufferevent);

/// Makes evhttp drop the connection exactly as when its own read timeout fires: no answer, socket closed, the
/// pending request freed. Only for connections evhttp has taken over and that are not waiting for a handler's
/// answer.
void cevent_connection_abort(struct bufferevent *bufferevent);

/// The HTTP version of a request's line (`HTTP/1.1` gives 1 and 1); libevent has no accessor for it.
void cevent_request_version(struct evhttp_request *request, int *major, int *minor);

/// The peer address of the request's connection as text, or NULL when the client has already gone.
const char *cevent_request_peer(struct evhttp_request *request, uint16_t *port);

/// Parses a request head (request line, header fields, the empty line) with evhttp's own server-side parser, into
/// a request that belongs to no connection: for the fuzzer, which cannot afford a socket per input. Absolute-form
/// targets with an http(s) scheme are refused here (evhttp would look their host up in the connection's server).
/// Returns NULL when evhttp refuses the head or it is incomplete; free the request with `evhttp_request_free`.
struct evhttp_request *cevent_request_parse_head(const unsigned char *bytes, size_t length);

#include "CEventShimTLS.h"

#endif
