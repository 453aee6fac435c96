#!/usr/bin/env python3
"""Measuring aids for scripts/bench.sh that wrk cannot do. Standard library only (plus the openssl command).

  bench_probe.py ready PORT -- COMMAND...   start COMMAND, print the milliseconds until GET /readyz answers 200,
                                            then leave it running and print its pid on a second line
  bench_probe.py idle PORT COUNT            open COUNT keep-alive connections, one GET /healthz on each, print
                                            "open" once every answer is read, then hold them until stdin closes
  bench_probe.py jwt DIRECTORY              write an Ed25519 JWKS (DIRECTORY/jwks.json) and print a token for it
                                            (iss bench, aud idv-bff, no contact claim, valid for a day)
  bench_probe.py offset FILE SYMBOL         print the file offset of SYMBOL's code in the ELF FILE, for a uprobe
                                            (perf probe cannot place one by name in a binary whose DWARF lacks it,
                                            as the C library's functions in the static release build)
"""

import base64
import json
import os
import socket
import subprocess
import sys
import time

HEALTH_REQUEST = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
READY_REQUEST = b"GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"


def ready(port, command):
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=open(os.devnull, "wb"))
    while time.perf_counter() - started < 10:
        if process.poll() is not None:
            sys.exit(f"the server exited with {process.returncode} before it was ready")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
                connection.sendall(READY_REQUEST)
                if connection.recv(64).startswith(b"HTTP/1.1 200"):
                    print(f"{(time.perf_counter() - started) * 1000:.1f}")
                    print(process.pid, flush=True)
                    return
        except OSError:
            time.sleep(0.0005)
    sys.exit("not ready within 10 s")


def read_response(connection):
    """Reads one small response whose body is framed by Content-Length."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(4096)
        if not chunk:
            raise OSError("closed before the head")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:"))
    while len(body) < length:
        body += connection.recv(4096)


def idle(port, count):
    connections = []
    for _ in range(count):
        connection = socket.create_connection(("127.0.0.1", port))
        connection.sendall(HEALTH_REQUEST)
        connections.append(connection)
    for connection in connections:
        read_response(connection)
    print("open", flush=True)
    sys.stdin.read()


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt(directory):
    key = os.path.join(directory, "jwt-key.pem")
    subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out", key], check=True, capture_output=True)
    public_der = subprocess.run(["openssl", "pkey", "-in", key, "-pubout", "-outform", "DER"], check=True, capture_output=True).stdout
    jwks = {"keys": [{"kty": "OKP", "crv": "Ed25519", "x": b64url(public_der[-32:]), "kid": "bench", "alg": "EdDSA", "use": "sig"}]}
    with open(os.path.join(directory, "jwks.json"), "w") as file:
        json.dump(jwks, file)
    now = int(time.time())
    header = b64url(json.dumps({"alg": "EdDSA", "typ": "JWT", "kid": "bench"}).encode())
    claims = b64url(json.dumps({"iss": "bench", "aud": "idv-bff", "sub": "bench-user", "iat": now, "exp": now + 86400}).encode())
    signing_input = os.path.join(directory, "jwt-input")
    with open(signing_input, "wb") as file:
        file.write(f"{header}.{claims}".encode())
    signature = subprocess.run(["openssl", "pkeyutl", "-sign", "-inkey", key, "-rawin", "-in", signing_input],
                               check=True, capture_output=True).stdout
    print(f"{header}.{claims}.{b64url(signature)}")


def offset(path, symbol):
    """The file offset of `symbol`: its address, moved from its loadable segment's addresses to the file's."""
    address = None
    for flags in ([], ["-D"]):  # the symbol table, else the dynamic one (a stripped shared library)
        listing = subprocess.run(["nm", *flags, "--defined-only", path], capture_output=True, text=True).stdout
        for line in listing.splitlines():
            fields = line.split()
            if len(fields) == 3 and fields[2].split("@")[0] == symbol and fields[1] in "TtWw":
                address = int(fields[0], 16)
                break
        if address is not None:
            break
    if address is None:
        sys.exit(f"{symbol} is not defined in {path}")
    headers = subprocess.run(["readelf", "-lW", path], capture_output=True, text=True).stdout
    for line in headers.splitlines():
        fields = line.split()
        if fields[:1] == ["LOAD"]:
            file_offset, virtual, size = int(fields[1], 16), int(fields[2], 16), int(fields[5], 16)
            if virtual <= address < virtual + size:
                print(hex(address - virtual + file_offset))
                return
    sys.exit(f"{symbol} is in no loadable segment of {path}")


def main():
    mode = sys.argv[1]
    if mode == "ready":
        ready(int(sys.argv[2]), sys.argv[sys.argv.index("--") + 1:])
    elif mode == "idle":
        idle(int(sys.argv[2]), int(sys.argv[3]))
    elif mode == "jwt":
        jwt(sys.argv[2])
    elif mode == "offset":
        offset(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
