#!/usr/bin/env bash
# Measures idv-bff on loopback with wrk: GET /healthz, and POST /idv-session through the fake ClientLoop over TLS;
# then the cost of metrics: a server with metrics off and one with them on, measured in turns (rounds of both).
# Usage: scripts/bench.sh [seconds per run, default 10] [connections, default 64] [rounds, default 3]
# Needs: swift, wrk, openssl, curl. Traffic stays on 127.0.0.1; every run is bounded by its duration.
# IDV_BFF_BINARY=path measures that build instead of building this tree (to compare two revisions).
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10}"
connections="${2:-64}"
rounds="${3:-3}"
fake_api_key=bench-key
# shellcheck source=scripts/loopback-fixture.sh
source scripts/loopback-fixture.sh

# One client hammering one endpoint is what the abuse limits exist to stop: lift them, or the run measures 429s.
start_server() {  # METRICS_ENABLED value, log file; prints the port
  CLIENTLOOP_API_KEY=bench-key CLIENTLOOP_ORG_ID=bench-org CLIENTLOOP_GRAPH_URL="https://localhost:$fake_port/" \
    CLIENTLOOP_CA_FILE="$work/cert.pem" HTTP_HOST=127.0.0.1 HTTP_PORT=0 LOG_LEVEL=info METRICS_ENABLED="$1" \
    RATE_LIMIT_PER_MINUTE=0 CLIENTLOOP_MAX_IN_FLIGHT=100000 \
    "$binary" >/dev/null 2>"$2" &  # info level: the access log is part of the cost
  wait_for_port "$2"
}
port="$(start_server true "$work/server.log")"

cat >"$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{}'  -- a new contact: what the default contact policy serves
wrk.headers["Content-Type"] = "application/json"
LUA

echo "idv-bff $("$binary" --version), $(nproc) cores, ${duration}s per run, $connections connections"
echo "== GET /healthz"
wrk -t2 -c"$connections" -d"${duration}s" --latency "http://127.0.0.1:$port/healthz" | grep -E 'Requests/sec|Latency |99%|Non-2xx|errors'
echo "== POST /idv-session (through the fake ClientLoop over TLS)"
wrk -t2 -c"$connections" -d"${duration}s" --latency -s "$work/post.lua" "http://127.0.0.1:$port/idv-session" | grep -E 'Requests/sec|Latency |99%|Non-2xx|errors'
echo "== fake ClientLoop counters (handshakes show connection reuse)"
curl -sk "https://127.0.0.1:$fake_port/__stats"; echo

echo "== metrics on vs off: POST /idv-session, $rounds rounds of ${duration}s each, in turns"
port_off="$(start_server false "$work/server-off.log")"
total_on=0; total_off=0
for round in $(seq "$rounds"); do
  off="$(wrk -t2 -c"$connections" -d"${duration}s" -s "$work/post.lua" "http://127.0.0.1:$port_off/idv-session" | awk '/Requests\/sec/ {print $2}')"
  on="$(wrk -t2 -c"$connections" -d"${duration}s" -s "$work/post.lua" "http://127.0.0.1:$port/idv-session" | awk '/Requests\/sec/ {print $2}')"
  echo "round $round: off $off req/s, on $on req/s"
  total_on="$(awk "BEGIN {print $total_on + $on}")"; total_off="$(awk "BEGIN {print $total_off + $off}")"
done
echo "metrics on / off: $(awk "BEGIN {printf \"%.3f\", $total_on / $total_off}")"
