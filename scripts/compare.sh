#!/usr/bin/env bash
# Before/after for an optimisation: two builds of idv-bff side by side against the HTTPS mock of ClientLoop, measured
# in turns (A then B, then B then A, round after round) so that drift on a noisy machine and the position within a
# round hit both alike. Prints each round's req/s and the server's CPU time per request (the kernel's task clock:
# steadier than req/s), then B / A over all rounds; use an even number of rounds.
# Usage: scripts/compare.sh BINARY_A BINARY_B [rounds, default 4] [seconds per run, default 5] [connections, default 64]
# Settings as bench.sh's lean server; LOG_LEVEL and RATE_LIMIT_PER_MINUTE from this script's environment are passed
# on, and SETTINGS_A / SETTINGS_B add settings to one side only, so one build can be compared with itself:
#   SETTINGS_A="METRICS_ENABLED=false" scripts/compare.sh bin bin   (metrics off as A, on as B)
# SETTINGS adds settings to both, WRK_HEADER adds one request header (e.g. WRK_HEADER="Origin: https://app.example.com"),
# WRK_HEADERS_B adds headers (one per line) to B's requests only,
# and UPSTREAM=slow100 or slow50 points both at the mock answering after 100 or 50 ms:
#   UPSTREAM=slow50 SETTINGS="CLIENTLOOP_POOL_SIZE=1024" scripts/compare.sh a b 4 8 2000
# Needs what bench.sh needs.
set -euo pipefail
cd "$(dirname "$0")/.."
a="$1"; b="$2"; rounds="${3:-4}"; duration="${4:-5}"; connections="${5:-64}"
ulimit -n "$(ulimit -Hn)"  # thousands of clients need descriptors
IDV_BFF_BINARY="$a"
# shellcheck source=scripts/loopback-fixture.sh
source scripts/loopback-fixture.sh
# shellcheck source=scripts/https-mock.sh
source scripts/https-mock.sh
case "${UPSTREAM:-fast}" in
  slow100) upstream_port="$slow100_port" ;;
  slow50) upstream_port="$slow50_port" ;;
  *) upstream_port="$mock_port" ;;
esac

start() {  # start BINARY LOG [SETTING=VALUE ...]: prints the port
  local binary="$1" log="$2"; shift 2
  env -u SSL_CERT_FILE -u SSL_CERT_DIR CLIENTLOOP_API_KEY=bench-key CLIENTLOOP_ORG_ID=bench-org CLIENTLOOP_GRAPH_URL="https://localhost:$upstream_port/" \
    CLIENTLOOP_CA_FILE="$work/cert.pem" HTTP_HOST=127.0.0.1 HTTP_PORT=0 LOG_LEVEL="${LOG_LEVEL:-warning}" \
    RATE_LIMIT_PER_MINUTE="${RATE_LIMIT_PER_MINUTE:-0}" CLIENTLOOP_MAX_IN_FLIGHT=100000 HTTP_MAX_CONNECTIONS=20000 \
    ${SETTINGS:-} "$@" "$binary" >/dev/null 2>"$log" &
  echo $! >"$log.pid"
  # The port from the listening line, which LOG_LEVEL=warning hides: ask the kernel instead.
  for _ in $(seq 100); do
    port="$(listening_port "$(cat "$log.pid")")"
    [ -n "$port" ] && { echo "$port"; return; }
    sleep 0.05
  done
  echo "server did not start: $(cat "$log")" >&2; exit 1
}
# shellcheck disable=SC2086  # the settings are words on purpose
port_a="$(start "$a" "$work/a.log" ${SETTINGS_A:-})"; pid_a="$(cat "$work/a.log.pid")"; server_pids+=("$pid_a")
# shellcheck disable=SC2086
port_b="$(start "$b" "$work/b.log" ${SETTINGS_B:-})"; pid_b="$(cat "$work/b.log.pid")"; server_pids+=("$pid_b")

measure() {  # measure PORT PID [HEADER...]: prints "req/s cpu-us-per-request"
  local port="$1" pid="$2"; shift 2
  local headers=()
  for header in "$@"; do headers+=(-H "$header"); done
  perf stat -x, -e task-clock -o "$work/perf.csv" -p "$pid" -- \
    wrk -t1 -c"$connections" -d"${duration}s" -s "$work/post.lua" ${WRK_HEADER:+-H "$WRK_HEADER"} "${headers[@]}" \
    "http://127.0.0.1:$port/idv-session" >"$work/wrk.out"
  local requests rps
  requests="$(awk '/requests in/ {print $1}' "$work/wrk.out")"; rps="$(awk '/Requests\/sec/ {print $2}' "$work/wrk.out")"
  awk -F, -v r="$requests" -v rps="$rps" '$3 == "task-clock" {printf "%s %.1f\n", rps, $1 * 1000 / r}' "$work/perf.csv"
}
# WRK_HEADERS_B: request headers for B only, separated by newlines (what B's settings need, such as a token).
headers_b=()
while IFS= read -r header; do [ -n "$header" ] && headers_b+=("$header"); done <<<"${WRK_HEADERS_B:-}"
sum_rps_a=0; sum_rps_b=0; sum_cpu_a=0; sum_cpu_b=0
echo "A: $a"; echo "B: $b"; echo "c=$connections, ${duration}s per run, $rounds rounds"
for round in $(seq "$rounds"); do
  # The order alternates: on this machine the second run of a round was seen to cost up to 5 % of CPU per request.
  if ((round % 2)); then
    read -r rps_a cpu_a <<<"$(measure "$port_a" "$pid_a")"
    read -r rps_b cpu_b <<<"$(measure "$port_b" "$pid_b" "${headers_b[@]}")"
  else
    read -r rps_b cpu_b <<<"$(measure "$port_b" "$pid_b" "${headers_b[@]}")"
    read -r rps_a cpu_a <<<"$(measure "$port_a" "$pid_a")"
  fi
  printf 'round %d: A %9s req/s %7s us/req   B %9s req/s %7s us/req\n' "$round" "$rps_a" "$cpu_a" "$rps_b" "$cpu_b"
  sum_rps_a="$(awk "BEGIN {print $sum_rps_a + $rps_a}")"; sum_rps_b="$(awk "BEGIN {print $sum_rps_b + $rps_b}")"
  sum_cpu_a="$(awk "BEGIN {print $sum_cpu_a + $cpu_a}")"; sum_cpu_b="$(awk "BEGIN {print $sum_cpu_b + $cpu_b}")"
done
awk -v ra="$sum_rps_a" -v rb="$sum_rps_b" -v ca="$sum_cpu_a" -v cb="$sum_cpu_b" -v n="$rounds" 'BEGIN {
  printf "B / A: req/s %.3f, CPU per request %.3f (A %.1f us, B %.1f us)\n", rb / ra, cb / ca, ca / n, cb / n }'
echo "peak RSS: A $(awk '/VmHWM/ {print $2}' "/proc/$pid_a/status") kB, B $(awk '/VmHWM/ {print $2}' "/proc/$pid_b/status") kB"
