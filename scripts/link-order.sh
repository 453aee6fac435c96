#!/usr/bin/env bash
# Regenerates Sources/idv-bff/link-order.txt, the order in which the release link (Package.swift) lays out code:
# the functions the server runs from exec through start-up and a proxied load (access log, rate limit, CORS, JWT,
# probes, metrics), in the order they were first touched. Packed together they share pages; spread over the 23 MB of
# code they would each bring 64 KiB of neighbours into the process (the kernel maps file pages around every fault).
#
# Each round runs the release binary under `perf record -e page-faults -d` against the bench's HTTPS mock, adds the
# symbols holding the faulting addresses and relinks. A fault maps its whole neighbourhood, hiding the functions
# beside it until they are moved, so rounds go on until one adds fewer than 10 symbols or the round limit is reached.
# Entries the code no longer has are dropped (the linker ignores them meanwhile); a function that is not listed still
# works, it only sits with the cold code.
#
# Usage: scripts/link-order.sh [max rounds, default 12] [--fresh: start from an empty list]
# Needs (Debian): linux-perf (run as root), binutils, wrk, nginx libnginx-mod-http-echo, python3, openssl.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-12}"
order="$PWD/Sources/idv-bff/link-order.txt"
[ "${2:-}" = "--fresh" ] && : >"$order"
unset IDV_BFF_BINARY  # the list belongs to the release binary this package links
# shellcheck source=scripts/loopback-fixture.sh
source scripts/loopback-fixture.sh
# shellcheck source=scripts/https-mock.sh
source scripts/https-mock.sh
binary="$(readlink -f "$binary")"  # as perf names the mapping
token="$(python3 scripts/bench_probe.py jwt "$work")"

record() {  # record OUTPUT: one run of the release binary under perf, through the load below
  env -u SSL_CERT_FILE -u SSL_CERT_DIR CLIENTLOOP_API_KEY=order-key CLIENTLOOP_ORG_ID=order-org \
    CLIENTLOOP_GRAPH_URL="https://localhost:$mock_port/" CLIENTLOOP_CA_FILE="$work/cert.pem" HTTP_HOST=127.0.0.1 \
    HTTP_PORT=0 RATE_LIMIT_PER_MINUTE=1000000 RATE_LIMIT_BURST=1000000 \
    CORS_ALLOWED_ORIGINS=https://app.example.com CONTACT_POLICY=jwt JWT_JWKS_FILE="$work/jwks.json" \
    JWT_ISSUER=bench JWT_AUDIENCE=idv-bff JWT_ALLOW_NEW_CONTACTS=true \
    perf record --quiet --no-buildid-cache -e page-faults -c 1 -d -o "$1" -- "$binary" >/dev/null 2>"$work/server.log" &
  local perf_pid=$! port server
  port="$(wait_for_port "$work/server.log")"
  server="$(pgrep -P "$perf_pid")"
  local url="http://127.0.0.1:$port"
  wrk -t1 -c1 -d1s -s "$work/post.lua" -H "Origin: https://app.example.com" -H "Authorization: Bearer $token" \
    "$url/idv-session" >/dev/null
  wrk -t1 -c64 -d2s -s "$work/post.lua" -H "Origin: https://app.example.com" -H "Authorization: Bearer $token" \
    "$url/idv-session" >/dev/null
  curl -sf -X OPTIONS -H "Origin: https://app.example.com" -H "Access-Control-Request-Method: POST" \
    "$url/idv-session" >/dev/null
  curl -s -X POST -d '{' "$url/idv-session" >/dev/null  # the error path
  for path in readyz healthz metrics; do curl -s "$url/$path" >/dev/null; done
  kill -TERM "$server"
  wait "$perf_pid" || true
}

for round in $(seq "$rounds"); do
  record "$work/faults.data"
  added="$(python3 - "$work/faults.data" "$binary" "$order" <<'PY'
import bisect, subprocess, sys
data, binary, order = sys.argv[1:4]
# Functions and read-only data of the binary, by address.
addresses, names = [], []
for line in subprocess.run(["nm", "--defined-only", "-n", binary], capture_output=True, text=True).stdout.splitlines():
    fields = line.split(" ", 2)
    if len(fields) == 3 and fields[1] in "tTwWrR":
        addresses.append(int(fields[0], 16)); names.append(fields[2])
defined = set(names)
# Names the binary no longer has (code that changed or went) are dropped.
listed = [name for name in open(order).read().splitlines() if name in defined]
known, added = set(listed), []
base = None
script = subprocess.run(["perf", "script", "-i", data, "-F", "addr,dso", "--show-mmap-events"],
                        capture_output=True, text=True).stdout
for line in script.splitlines():
    if "PERF_RECORD_MMAP" in line:
        # The binary's first mapping (file offset 0) gives the load address.
        if base is None and line.rstrip().endswith(" " + binary) and " @ 0 " in line:
            base = int(line.split("[")[1].split("(")[0], 16)
        continue
    fields = line.split()
    if base is None or len(fields) != 2 or fields[1] != f"({binary})":
        continue
    address = int(fields[0], 16) - base
    index = bisect.bisect_right(addresses, address) - 1
    if index >= 0 and names[index] not in known:
        known.add(names[index]); added.append(names[index])
with open(order, "w") as file:
    file.write("".join(name + "\n" for name in listed + added))
print(len(added))
PY
)"
  echo "round $round: $added symbols added, $(wc -l <"$order") listed"
  if [ "$added" -gt 0 ]; then
    rm -f "$binary"  # relink with the longer list
    swift build -c release --static-swift-stdlib --scratch-path .build-static --product idv-bff >/dev/null
  fi
  [ "$added" -lt 10 ] && break
done
