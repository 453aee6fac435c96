#!/usr/bin/env python3
"""Writes Tests/IntegrationTests/Corpus/hostile-requests.jsonl: malformed and adversarial requests, one JSON object a
line ({"name", "request" in base64, "halfClose"}), each of which idv-bff must refuse (4xx/5xx, or a closed connection)
without a byte reaching ClientLoop. Rerun after editing; the test reads the file, not this script."""
import base64, json, os

CRLF = b"\r\n"
JSON_CT = b"Content-Type: application/json\r\n"
cases = []

def add(name, request, half_close=False):
    cases.append({"name": name, "request": base64.b64encode(request).decode(), "halfClose": half_close})

def post(body, headers=JSON_CT, target=b"/idv-session", version=b"HTTP/1.1", host=b"Host: a\r\n", length=None):
    length = len(body) if length is None else length
    return b"POST " + target + b" " + version + CRLF + host + headers + b"Content-Length: " + str(length).encode() + CRLF + CRLF + body

# Request lines.
for name, line in [
    ("space in method", b"GE T / HTTP/1.1"), ("unknown method", b"FOO /idv-session HTTP/1.1"),
    ("lower-case method", b"post /idv-session HTTP/1.1"), ("no version", b"GET /healthz"),
    ("HTTP/2.0 line", b"GET /healthz HTTP/2.0"), ("version with junk", b"GET /healthz HTTP/1.1x"),
    ("version 9.9", b"GET /healthz HTTP/9.9"), ("no target", b"GET  HTTP/1.1"), ("only a method", b"GET"),
    ("NUL in target", b"GET /health\x00z HTTP/1.1"), ("tab separators", b"GET\t/healthz\tHTTP/1.1"),
    ("CONNECT", b"CONNECT a:443 HTTP/1.1"), ("TRACE", b"TRACE /idv-session HTTP/1.1"),
    ("OPTIONS star", b"OPTIONS * HTTP/1.1"), ("target without slash", b"GET healthz HTTP/1.1"),
    ("percent-encoded path", b"POST /idv%2Dsession HTTP/1.1"), ("dot segments", b"POST /x/../idv-session HTTP/1.1"),
    ("trailing slash", b"POST /idv-session/ HTTP/1.1"), ("double slash", b"POST //idv-session HTTP/1.1"),
    ("PUT with a query", b"PUT /idv-session?x=1 HTTP/1.1"), ("DELETE", b"DELETE /idv-session HTTP/1.1"),
    ("PATCH", b"PATCH /idv-session HTTP/1.1"), ("GET on the API", b"GET /idv-session HTTP/1.1"),
    ("HEAD on the API", b"HEAD /idv-session HTTP/1.1"), ("8-bit target", b"GET /\xff\xfe HTTP/1.1"),
    ("CR in line", b"GET /he\ralthz HTTP/1.1"), ("leading spaces", b"   GET /healthz HTTP/1.1"),
    ("unknown path", b"GET /admin HTTP/1.1"), ("dot file", b"GET /.env HTTP/1.1"),
]:
    add("request line: " + name, line + CRLF + b"Host: a" + CRLF + CRLF)
add("request line: 20 KB target", b"GET /" + b"a" * 20000 + b" HTTP/1.1" + CRLF + b"Host: a" + CRLF + CRLF)
add("request line: 100 KB target", b"GET /" + b"b" * 100000 + b" HTTP/1.1" + CRLF + b"Host: a" + CRLF + CRLF)

# Header sections.
add("headers: one 20 KB field", b"GET /nowhere HTTP/1.1\r\nHost: a\r\nX-Big: " + b"x" * 20000 + CRLF + CRLF)
add("headers: 2000 fields", b"GET /nowhere HTTP/1.1\r\nHost: a\r\n" + b"".join(b"X-%d: y\r\n" % i for i in range(2000)) + CRLF)
add("headers: field without colon", b"GET /nowhere HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n")
add("headers: NUL in value", b"GET /nowhere HTTP/1.1\r\nHost: a\r\nX-A: b\x00c\r\n\r\n")
add("headers: NUL in name", b"GET /nowhere HTTP/1.1\r\nHost: a\r\nX\x00A: b\r\n\r\n")
add("headers: lone CR line end", b"GET /nowhere HTTP/1.1\r\nHost: a\rX-A: b\r\n\r\n")
add("headers: empty name", b"GET /nowhere HTTP/1.1\r\nHost: a\r\n: b\r\n\r\n")
add("headers: obs-fold continuation", b"GET /nowhere HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n")
add("headers: fold as the first line", b"GET /nowhere HTTP/1.1\r\n folded: x\r\nHost: a\r\n\r\n")
for name, field in [("space", b"Host : a"), ("tab", b"Host\t: a"), ("Content-Length space", b"Content-Length : 2"),
                    ("Transfer-Encoding space", b"Transfer-Encoding : chunked"), ("quote in name", b'X"A: b'),
                    ("slash in name", b"X/A: b"), ("brace in name", b"X{A}: b"), ("8-bit name", b"X\xe9: b"),
                    ("at sign in name", b"X@A: b"), ("equals in name", b"X=A: b")]:
    add("headers: non-token name (" + name + ")", b"POST /idv-session HTTP/1.1\r\nHost: a\r\n" + JSON_CT + field + CRLF + b"Content-Length: 2\r\n\r\n{}")
add("headers: injected request in a value", b"GET /nowhere HTTP/1.1\r\nHost: a\r\nX-A: b\r\n\r\nPOST /idv-session HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}")

# Framing (RFC 9112 §6): ambiguous lengths and codings.
body = b'{"contactId":"smuggled"}'
chunked = b"18\r\n" + body + b"\r\n0\r\n\r\n"
for name, fields, payload in [
    ("two equal Content-Length", b"Content-Length: 24\r\nContent-Length: 24\r\n", body),
    ("two different Content-Length", b"Content-Length: 2\r\nContent-Length: 24\r\n", body),
    ("Content-Length list", b"Content-Length: 24, 24\r\n", body), ("signed Content-Length", b"Content-Length: +24\r\n", body),
    ("negative Content-Length", b"Content-Length: -1\r\n", body), ("hex Content-Length", b"Content-Length: 0x18\r\n", body),
    ("Content-Length with letters", b"Content-Length: 24abc\r\n", body), ("empty Content-Length", b"Content-Length:\r\n", body),
    ("huge Content-Length", b"Content-Length: 99999999999999999999\r\n", body),
    ("Content-Length and chunked", b"Content-Length: 24\r\nTransfer-Encoding: chunked\r\n", chunked),
    ("chunked and Content-Length", b"Transfer-Encoding: chunked\r\nContent-Length: 24\r\n", chunked),
    ("gzip then chunked", b"Transfer-Encoding: gzip, chunked\r\n", chunked),
    ("chunked then gzip", b"Transfer-Encoding: chunked, gzip\r\n", chunked),
    ("chunked twice in one field", b"Transfer-Encoding: chunked, chunked\r\n", chunked),
    ("chunked in two fields", b"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", chunked),
    ("identity coding", b"Transfer-Encoding: identity\r\nContent-Length: 24\r\n", body),
    ("unknown coding", b"Transfer-Encoding: foo\r\n", chunked), ("empty coding", b"Transfer-Encoding:\r\n", chunked),
    ("quoted chunked", b'Transfer-Encoding: "chunked"\r\n', chunked), ("chunked with a parameter", b"Transfer-Encoding: chunked;q=1\r\n", chunked),
    ("xchunked", b"Transfer-Encoding: xchunked\r\n", chunked), ("chunked, then comma", b"Transfer-Encoding: chunked,\r\n", chunked),
]:
    add("framing: " + name, b"POST /idv-session HTTP/1.1\r\nHost: a\r\n" + JSON_CT + fields + CRLF + payload)
add("framing: chunked in HTTP/1.0", b"POST /idv-session HTTP/1.0\r\nHost: a\r\n" + JSON_CT + b"Transfer-Encoding: chunked\r\n\r\n" + chunked)
add("framing: no Host in HTTP/1.1", b"POST /idv-session HTTP/1.1\r\n" + JSON_CT + b"Content-Length: 2\r\n\r\n{}")
add("framing: two Host fields", b"POST /idv-session HTTP/1.1\r\nHost: a\r\nHost: b\r\n" + JSON_CT + b"Content-Length: 2\r\n\r\n{}")
add("framing: Host list", b"POST /idv-session HTTP/1.1\r\nHost: a, b\r\n" + JSON_CT + b"Content-Length: 2\r\n\r\n{}")
for name, chunks in [("negative chunk size", b"-1\r\n{}\r\n0\r\n\r\n"), ("overflowing chunk size", b"FFFFFFFFFFFFFFFFFF\r\n{}\r\n0\r\n\r\n"),
                     ("0x chunk size", b"0x2\r\n{}\r\n0\r\n\r\n"), ("chunk size with junk", b"2zz\r\n{}\r\n0\r\n\r\n"),
                     ("chunk longer than its size", b"2\r\n{}}}\r\n0\r\n\r\n"), ("chunk without CRLF", b"2\r\n{}0\r\n\r\n")]:
    add("framing: " + name, b"POST /idv-session HTTP/1.1\r\nHost: a\r\n" + JSON_CT + b"Transfer-Encoding: chunked\r\n\r\n" + chunks, half_close=True)
add("framing: truncated chunked body", b"POST /idv-session HTTP/1.1\r\nHost: a\r\n" + JSON_CT + b"Transfer-Encoding: chunked\r\n\r\n18\r\n{\"contactId\"", half_close=True)
add("framing: Content-Length beyond the body", post(b"{}", length=50), half_close=True)
add("framing: pipelined behind a refused request", b"POST /idv-session HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nContent-Length: 2\r\n" + JSON_CT + b"\r\n{}" + post(b"{}"))

# Bodies to /idv-session that are not an acceptable request.
for name, payload in [
    ("not JSON", b"hello"), ("truncated object", b'{"contactId":'), ("trailing comma", b'{"contactId":"a",}'),
    ("single quotes", b"{'contactId':'a'}"), ("comment", b'{/*x*/}'), ("NaN", b'{"contactId":NaN}'),
    ("BOM", b'\xef\xbb\xbf{}'), ("two documents", b"{}{}"), ("trailing garbage", b"{} x"), ("array", b"[]"),
    ("string", b'"contactId"'), ("number", b"1"), ("null", b"null"), ("true", b"true"),
    ("duplicate key", b'{"contactId":"a","contactId":"b"}'), ("duplicate key by escape", b'{"contactId":"a","contact\\u0049d":"b"}'),
    ("orgId", b'{"orgId":"someone-else"}'), ("orgId beside contactId", b'{"contactId":"a","orgId":"x"}'),
    ("unknown field", b'{"email":"a@b.c"}'), ("contactId number", b'{"contactId":42}'), ("contactId object", b'{"contactId":{"id":"a"}}'),
    ("contactId array", b'{"contactId":["a"]}'), ("contactId bool", b'{"contactId":true}'),
    ("contactId with space", b'{"contactId":"a b"}'), ("contactId with slash", b'{"contactId":"../etc"}'),
    ("contactId with CRLF", b'{"contactId":"a\\r\\nX-Injected: 1"}'), ("contactId 65 chars", b'{"contactId":"' + b"a" * 65 + b'"}'),
    ("contactId non-ASCII", '{"contactId":"kontakt-ä"}'.encode()), ("contactId RTL override", b'{"contactId":"a\\u202Eb"}'),
    ("contactId NUL", b'{"contactId":"a\\u0000"}'), ("lone surrogate escape", b'{"contactId":"\\uD800"}'),
    ("invalid escape", b'{"contactId":"\\x41"}'), ("raw control in string", b'{"contactId":"a\x01"}'),
    ("overlong UTF-8", b'{"contactId":"\xc0\xaf"}'), ("UTF-8 surrogate", b'{"contactId":"\xed\xa0\x80"}'),
    ("byte FF", b'{"contactId":"\xff"}'), ("truncated UTF-8", b'{"contactId":"\xe2\x82"}'), ("Latin-1 text", b'{"contactId":"caf\xe9"}'),
    ("nesting 40 deep", b"[" * 40 + b"]" * 40), ("nesting 4000 deep", b"[" * 4000), ("object nesting 40 deep", b'{"a":' * 40 + b"1" + b"}" * 40),
    ("huge number", b'{"contactId":1' + b"0" * 3000 + b"}"), ("huge exponent", b'{"contactId":1e999999999}'),
    ("9 KB of whitespace", b" " * 9000 + b"{}"), ("too large for the route", b'{"contactId":"' + b"a" * 9000 + b'"}'),
]:
    add("body: " + name, post(payload))
add("body: 1 MB of whitespace", post(b" " * (1 << 20)))
for byte in range(0x20):
    add("body: raw control byte %02X in a string" % byte, post(b'{"contactId":"a' + bytes([byte]) + b'"}'))
for name, number in [("leading zero", b"01"), ("trailing dot", b"1."), ("leading dot", b".5"), ("lone minus", b"-"),
                     ("plus sign", b"+1"), ("bare exponent", b"1e"), ("hex literal", b"0x1"), ("Infinity", b"Infinity")]:
    add("body: malformed number (" + name + ")", post(b'{"contactId":' + number + b"}"))
for key in [b"ContactId", b"contactid", b"contactID", b"contact_id", b" contactId", b"contactId "]:
    add("body: near-miss key " + repr(key.decode()), post(b'{"' + key + b'":"a"}'))
for name, content_type in [("UTF-16 JSON", b"application/json; charset=utf-16"), ("quoted latin-1", b'application/json;charset="latin1"')]:
    add("content type: " + name, post(b'{"contactId":"a"}', headers=b"Content-Type: " + content_type + CRLF))
for name, content_type in [("text/plain", b"text/plain"), ("form", b"application/x-www-form-urlencoded"),
                           ("multipart", b"multipart/form-data; boundary=x"), ("latin-1 JSON", b"application/json; charset=iso-8859-1"),
                           ("JSON with junk", b"application/jsonx"), ("no type", None), ("two types", b"application/json, text/plain"),
                           ("empty type", b"")]:
    headers = b"" if content_type is None else b"Content-Type: " + content_type + CRLF
    add("content type: " + name, post(b'{"contactId":"a"}', headers=headers))

# Other protocols and broken connections.
add("protocol: TLS ClientHello on the plain port", bytes.fromhex("16030100a5010000a10303") + bytes(range(32)) + b"\x00" * 120)
add("protocol: HTTP/2 preface", b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
add("protocol: SSH banner", b"SSH-2.0-OpenSSH_9.2\r\n")
add("protocol: random bytes", bytes(range(256)) * 4)
add("protocol: only CRLFs", b"\r\n" * 100)
add("protocol: nothing, then a half close", b"", half_close=True)
add("protocol: half a request line, then a half close", b"POST /idv-ses", half_close=True)
add("protocol: a head without its end, then a half close", b"POST /idv-session HTTP/1.1\r\nHost: a\r\n", half_close=True)
add("protocol: half a body, then a half close", post(b'{"contactId":"a"}', length=17)[:-5], half_close=True)
add("protocol: WebSocket upgrade", b"GET /idv-session HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
add("protocol: h2c upgrade", b"POST /idv-session HTTP/1.1\r\nHost: a\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n" + JSON_CT + b"Content-Length: 1\r\n\r\n[")
add("protocol: Expect 100-continue without a body", b"POST /idv-session HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n" + JSON_CT + b"Content-Length: 1\r\n\r\n", half_close=True)
add("protocol: Expect unknown", b"POST /idv-session HTTP/1.1\r\nHost: a\r\nExpect: 200-ok\r\n" + JSON_CT + b"Content-Length: 2\r\n\r\n{]")

out = os.path.join(os.path.dirname(__file__), "..", "Tests", "IntegrationTests", "Corpus", "hostile-requests.jsonl")
with open(out, "w") as f:
    for case in cases:
        f.write(json.dumps(case) + "\n")
print(f"{len(cases)} cases written to {os.path.normpath(out)}")
