#!/usr/bin/python3
"""Stand-ins for ClientLoop's side of the network that misbehave on request, for the upstream fault matrix.

  fault_peer.py tls --cert PEM --key PEM
      A TLS server on 127.0.0.1 answering GraphQL mints. Every connection it accepts from then on gets the fault
      most recently set (none at first: a correct answer, with `Connection: close` so that each mint opens a
      fresh connection and a connection-level fault applies to it).
  fault_peer.py dns (--nxdomain | --silent)
      A DNS server on 127.0.0.1 (UDP) that answers every question NXDOMAIN, or never answers.

Both print `{"port": P, "control": C}` on one line once listening. The control port speaks plain HTTP/1.1:
  GET /stats          -> {"connections", "handshakes", "requests", "closedByClient", "dnsQueries"}
  PUT /fault/<name>   -> 204, or 404 for an unknown fault (see FAULTS)
"""

import argparse
import json
import socket
import ssl
import struct
import threading
import time

GOOD_BODY = b'{"data":{"contactCreateIdvSession":{"token":"peer-token","expiresAt":"2030-01-01T00:00:00Z"}}}'

FAULTS = {
    "none": "the correct answer",
    "accept-close": "the TCP connection accepted, then closed before any TLS byte",
    "handshake-stall": "the TCP connection accepted, the ClientHello never answered",
    "read-close": "the request read, then the connection closed cleanly without an answer",
    "reset-before-headers": "the request read, then a TCP reset",
    "reset-after-headers": "a 200 head announcing 200 bytes, then a TCP reset",
    "stall-mid-body": "a 200 head announcing 200 bytes, 20 of them, then silence",
    "truncated-chunked": "a chunked 200 whose first chunk is cut short, then a clean close",
    "short-content-length": "a 200 head announcing 200 bytes, 50 of them, then a clean close",
    "html": "200 with an HTML page",
    "html-error": "502 with an HTML page, as a proxy in front of ClientLoop would",
    "empty-body": "200 application/json with an empty body",
    "one-byte-per-second": "the correct answer, one byte a second",
    "no-close-notify": "the correct answer, then a TCP close without TLS close_notify",
    "close-delimited-dirty": "a 200 without Content-Length, half its JSON, then a TCP close without close_notify",
    "length-and-chunked": "the correct answer chunked, with a Content-Length as well (two framings)",
    "conflicting-lengths": "the correct answer with two different Content-Length fields",
    "bare-lf-head": "the correct answer, its head lines ended by LF alone",
    "garbage-after-answer": "the correct answer, kept alive; once the fault is changed, bytes nobody asked for on the"
                            " idle connection, left open",
}


class Counters:
    def __init__(self):
        self.lock = threading.Lock()
        self.values = {"connections": 0, "handshakes": 0, "requests": 0, "closedByClient": 0, "dnsQueries": 0}
        self.fault = "none"
        self.fault_changed = threading.Condition(self.lock)

    def add(self, name):
        with self.lock:
            self.values[name] += 1

    def snapshot(self):
        with self.lock:
            return dict(self.values)


def head(status, fields):
    lines = [f"HTTP/1.1 {status}"] + [f"{name}: {value}" for name, value in fields] + ["", ""]
    return "\r\n".join(lines).encode()


def reset(sock):
    """Closes with RST instead of FIN: SO_LINGER on, timeout 0."""
    plain = socket.socket(fileno=sock.detach())
    plain.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    plain.close()


def close_without_close_notify(sock):
    socket.socket(fileno=sock.detach()).close()


def read_request(sock):
    """Reads one request head and its Content-Length body; None if the client closed first."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            return None
        data += chunk
    header_block, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in header_block.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = sock.recv(4096)
        if not chunk:
            return None
        body += chunk
    return header_block


def wait_for_client_close(sock, counters):
    """Holds the connection until the client closes it, and counts that."""
    try:
        while sock.recv(4096):
            pass
    except OSError:
        pass
    counters.add("closedByClient")


def serve_tls_connection(raw, context, counters):
    with counters.lock:
        fault = counters.fault
    counters.add("connections")
    if fault == "accept-close":
        raw.close()
        return
    if fault == "handshake-stall":
        wait_for_client_close(raw, counters)
        raw.close()
        return
    try:
        sock = context.wrap_socket(raw, server_side=True)
    except (ssl.SSLError, OSError):
        raw.close()  # the client refused our certificate, say
        return
    counters.add("handshakes")
    try:
        answer(sock, fault, counters)
    except OSError:
        pass
    finally:
        if sock.fileno() != -1:
            sock.close()


def answer(sock, fault, counters):
    if read_request(sock) is None:
        return
    counters.add("requests")
    json_head = [("Content-Type", "application/json"), ("Content-Length", str(len(GOOD_BODY))), ("Connection", "close")]
    if fault == "none":
        sock.sendall(head("200 OK", json_head) + GOOD_BODY)
        sock.unwrap()
    elif fault == "read-close":
        sock.unwrap()
    elif fault == "reset-before-headers":
        reset(sock)
    elif fault == "reset-after-headers":
        sock.sendall(head("200 OK", [("Content-Type", "application/json"), ("Content-Length", "200")]))
        reset(sock)
    elif fault == "stall-mid-body":
        sock.sendall(head("200 OK", [("Content-Type", "application/json"), ("Content-Length", "200")]) + b"x" * 20)
        wait_for_client_close(sock, counters)
    elif fault == "truncated-chunked":
        sock.sendall(head("200 OK", [("Content-Type", "application/json"), ("Transfer-Encoding", "chunked")])
                     + b"64\r\n" + GOOD_BODY[:30])
        sock.unwrap()
    elif fault == "short-content-length":
        sock.sendall(head("200 OK", [("Content-Type", "application/json"), ("Content-Length", "200")]) + b"x" * 50)
        sock.unwrap()
    elif fault in ("html", "html-error"):
        page = b"<html><body><h1>Bad Gateway</h1></body></html>"
        status = "200 OK" if fault == "html" else "502 Bad Gateway"
        sock.sendall(head(status, [("Content-Type", "text/html"), ("Content-Length", str(len(page)))]) + page)
        sock.unwrap()
    elif fault == "empty-body":
        sock.sendall(head("200 OK", [("Content-Type", "application/json"), ("Content-Length", "0")]))
        sock.unwrap()
    elif fault == "one-byte-per-second":
        for byte in head("200 OK", json_head) + GOOD_BODY:
            sock.sendall(bytes([byte]))
            time.sleep(1)
    elif fault == "no-close-notify":
        sock.sendall(head("200 OK", json_head) + GOOD_BODY)
        close_without_close_notify(sock)
    elif fault == "length-and-chunked":
        chunked = b"%x\r\n" % len(GOOD_BODY) + GOOD_BODY + b"\r\n0\r\n\r\n"
        sock.sendall(head("200 OK", [("Content-Type", "application/json"), ("Transfer-Encoding", "chunked"),
                                     ("Content-Length", str(len(chunked))), ("Connection", "close")]) + chunked)
        sock.unwrap()
    elif fault == "conflicting-lengths":
        sock.sendall(head("200 OK", json_head + [("Content-Length", str(len(GOOD_BODY) + 1))]) + GOOD_BODY)
        sock.unwrap()
    elif fault == "bare-lf-head":
        sock.sendall(head("200 OK", json_head).replace(b"\r\n", b"\n") + GOOD_BODY)
        sock.unwrap()
    elif fault == "garbage-after-answer":
        sock.sendall(head("200 OK", json_head[:2]) + GOOD_BODY)
        # Only once the test has its answer (it changes the fault then): the bytes reach an idle connection.
        with counters.lock:
            counters.fault_changed.wait_for(lambda: counters.fault != fault, timeout=10)
        sock.sendall(b"HTTP/1.1 200 OK\r\n")
        wait_for_client_close(sock, counters)
    elif fault == "close-delimited-dirty":
        sock.sendall(head("200 OK", [("Content-Type", "application/json"), ("Connection", "close")])
                     + GOOD_BODY[: len(GOOD_BODY) // 2])
        close_without_close_notify(sock)


def serve_tls(arguments, counters):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(arguments.cert, arguments.key)
    listener = socket.create_server(("127.0.0.1", 0))

    def accept_loop():
        while True:
            raw, _ = listener.accept()
            threading.Thread(target=serve_tls_connection, args=(raw, context, counters), daemon=True).start()

    threading.Thread(target=accept_loop, daemon=True).start()
    return listener.getsockname()[1]


def serve_dns(arguments, counters):
    listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    listener.bind(("127.0.0.1", 0))

    def answer_loop():
        while True:
            query, client = listener.recvfrom(512)
            counters.add("dnsQueries")
            if arguments.silent or len(query) < 12:
                continue
            # The query's id and question, flagged as a response (QR), recursion available, RCODE 3 (NXDOMAIN).
            flags = 0x8000 | (struct.unpack("!H", query[2:4])[0] & 0x0100) | 0x0080 | 3
            listener.sendto(query[:2] + struct.pack("!HHHHH", flags, 1, 0, 0, 0) + query[12:], client)

    threading.Thread(target=answer_loop, daemon=True).start()
    return listener.getsockname()[1]


def serve_control(counters):
    listener = socket.create_server(("127.0.0.1", 0))

    def respond(connection):
        with connection:
            request_head = read_request(connection)
            if request_head is None:
                return
            method, target, _ = request_head.split(b"\r\n")[0].decode().split(" ")
            status, body = "404 Not Found", b'{"error":"unknown"}'
            if method == "GET" and target == "/stats":
                status, body = "200 OK", json.dumps(counters.snapshot()).encode()
            elif method == "PUT" and target.startswith("/fault/") and target[7:] in FAULTS:
                with counters.lock:
                    counters.fault = target[7:]
                    counters.fault_changed.notify_all()
                status, body = "204 No Content", b""
            fields = [("Content-Type", "application/json"), ("Connection", "close")]
            if status != "204 No Content":
                fields.append(("Content-Length", str(len(body))))
            connection.sendall(head(status, fields) + body)

    def accept_loop():
        while True:
            connection, _ = listener.accept()
            threading.Thread(target=respond, args=(connection,), daemon=True).start()

    threading.Thread(target=accept_loop, daemon=True).start()
    return listener.getsockname()[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    tls = commands.add_parser("tls")
    tls.add_argument("--cert", required=True)
    tls.add_argument("--key", required=True)
    dns = commands.add_parser("dns")
    behaviour = dns.add_mutually_exclusive_group(required=True)
    behaviour.add_argument("--nxdomain", action="store_true")
    behaviour.add_argument("--silent", action="store_true")
    arguments = parser.parse_args()

    counters = Counters()
    port = serve_tls(arguments, counters) if arguments.command == "tls" else serve_dns(arguments, counters)
    print(json.dumps({"port": port, "control": serve_control(counters)}), flush=True)
    threading.Event().wait()  # until killed


if __name__ == "__main__":
    main()
