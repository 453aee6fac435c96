#!/usr/bin/env bash
# The performance benchmark: POST /idv-session proxied to a local HTTPS mock of ClientLoop, in one run, beside the
# floor (wrk straight to the mock). Prints req/s at c=64, p50/p99 at c=64 and c=1, the ratio to the floor, peak RSS,
# ready time, CPU time, instructions and heap allocations per request, the same at LOG_LEVEL=info and with the protections on; then a slow
# ClientLoop (the fake with --latency-ms) at 400 and 2,000 clients, 5,000 idle keep-alive connections, and the RSS
# over a long run. README "Performance" has the figures and what each optimisation bought.
#
# Usage: scripts/bench.sh [seconds per run, default 8] [long-run seconds, default 30]
# Needs (Debian): wrk nginx libnginx-mod-http-echo openssl linux-perf valgrind python3, and swift to build. Run as root for perf (instructions are
# then skipped otherwise). Traffic stays on 127.0.0.1. IDV_BFF_BINARY=path measures that build instead.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-8}"
long_run="${2:-30}"
ulimit -n "$(ulimit -Hn)"  # 5,000 idle connections and 2,000 clients need descriptors
# shellcheck source=scripts/loopback-fixture.sh
source scripts/loopback-fixture.sh
probe="python3 scripts/bench_probe.py"

# shellcheck source=scripts/https-mock.sh
source scripts/https-mock.sh

# The lean setting: warnings only, no rate limit; the rest as shipped.
lean_env=(CLIENTLOOP_API_KEY=bench-key CLIENTLOOP_ORG_ID=bench-org CLIENTLOOP_GRAPH_URL="https://localhost:$mock_port/"
  CLIENTLOOP_CA_FILE="$work/cert.pem" HTTP_HOST=127.0.0.1 LOG_LEVEL=warning RATE_LIMIT_PER_MINUTE=0
  CLIENTLOOP_MAX_IN_FLIGHT=100000 HTTP_MAX_CONNECTIONS=20000)
start() {  # start NAME ENV...: a server with the lean settings overridden by ENV; sets port_NAME, pid_NAME, ready_NAME
  local name="$1" port output; shift
  port="$(free_port)"
  # As in the container: no SSL_CERT_FILE naming a bundle (some shells export one), so the hashed system
  # directory is the trust store and start-up does not parse the whole bundle.
  output="$(env -u SSL_CERT_FILE -u SSL_CERT_DIR "${lean_env[@]}" HTTP_PORT="$port" "$@" $probe ready "$port" -- "$binary")"
  printf -v "port_$name" '%s' "$port"
  printf -v "ready_$name" '%s' "$(sed -n 1p <<<"$output")"
  printf -v "pid_$name" '%s' "$(sed -n 2p <<<"$output")"
  server_pids+=("$(sed -n 2p <<<"$output")")
}
peak_rss() { awk '/VmHWM/ {printf "%.1f MB", $2 / 1024}' "/proc/$1/status"; }
rss() { awk '/VmRSS/ {printf "%.1f MB", $2 / 1024}' "/proc/$1/status"; }
# run URL CONNECTIONS [extra wrk args]: prints "req/s p50 p99 non2xx+errors"
run() {
  local url="$1" connections="$2"; shift 2
  # With CPU_PID set, the kernel's task clock of that server over the run goes to $work/cpu.csv.
  ${CPU_PID:+perf stat -x, -e task-clock -o "$work/cpu.csv" -p "$CPU_PID" --} \
    wrk -t"$([ "$connections" -gt 64 ] && echo 2 || echo 1)" -c"$connections" -d"${duration}s" --latency -s "$work/post.lua" "$@" "$url" >"$work/wrk.out"
  awk '
    /Requests\/sec/ {rps = $2}
    /^ +50%/ {p50 = $2} /^ +99%/ {p99 = $2}
    /Non-2xx/ {bad += $NF}
    /Socket errors/ {gsub(",", ""); bad += $4 + $6 + $8 + $10}
    END {printf "%s %s %s %d\n", rps, p50, p99, bad}' "$work/wrk.out"
}
report() {  # report LABEL "req/s p50 p99 bad"
  read -r rps p50 p99 bad <<<"$2"
  printf '%-44s %10s req/s  p50 %8s  p99 %8s  errors %s\n' "$1" "$rps" "$p50" "$p99" "$bad"
}

echo "idv-bff $("$binary" --version), $(nproc) cores, ${duration}s per run; mock: nginx $(nginx -v 2>&1 | sed 's/.*\///'), 1 worker, TLS"
floor64="$(run "https://127.0.0.1:$mock_port/" 64)"; report "floor: wrk -> mock, c=64" "$floor64"
floor1="$(run "https://127.0.0.1:$mock_port/" 1)"; report "floor: wrk -> mock, c=1" "$floor1"

start lean
lean1="$(run "http://127.0.0.1:$port_lean/idv-session" 1)"; report "idv-bff (LOG_LEVEL=warning), c=1" "$lean1"
start info LOG_LEVEL=info
start limits RATE_LIMIT_PER_MINUTE=1000000 RATE_LIMIT_BURST=1000000 CORS_ALLOWED_ORIGINS=https://app.example.com
token="$($probe jwt "$work")"
start guarded RATE_LIMIT_PER_MINUTE=1000000 RATE_LIMIT_BURST=1000000 CORS_ALLOWED_ORIGINS=https://app.example.com \
  CONTACT_POLICY=jwt JWT_JWKS_FILE="$work/jwks.json" JWT_ISSUER=bench JWT_AUDIENCE=idv-bff JWT_ALLOW_NEW_CONTACTS=true
# The settings are compared in turns, the floor among them: as many rounds as settings, in which each runs once in
# each position (a later run of a round was seen to cost up to 5 %), so that drift on a noisy machine and the order
# hit them alike. (The floor once measured alone, before the rounds, was up to a fifth off the rounds' floor.)
declare -A total cpu_ms served
settings=(floor lean info limits guarded)
rounds=${#settings[@]}
for round in $(seq "$rounds"); do
  for offset in "${!settings[@]}"; do
    name="${settings[$(((round - 1 + offset) % rounds))]}"
    port_var="port_$name"; pid_var="pid_$name"
    if [ "$name" = floor ]; then unset CPU_PID; else export CPU_PID="${!pid_var}"; fi
    case "$name" in
      floor) result="$(run "https://127.0.0.1:$mock_port/" 64)" ;;
      lean | info) result="$(run "http://127.0.0.1:${!port_var}/idv-session" 64)" ;;
      limits) result="$(run "http://127.0.0.1:${!port_var}/idv-session" 64 -H "Origin: https://app.example.com")" ;;
      guarded) result="$(run "http://127.0.0.1:${!port_var}/idv-session" 64 -H "Origin: https://app.example.com" -H "Authorization: Bearer $token")" ;;
    esac
    case "$name" in
      floor) label="floor: wrk -> mock, c=64" ;;
      lean) label="idv-bff (LOG_LEVEL=warning), c=64" ;; info) label="idv-bff (LOG_LEVEL=info), c=64" ;;
      limits) label="+ rate limit and CORS, c=64" ;; guarded) label="+ rate limit, CORS and JWT, c=64" ;;
    esac
    report "$label, round $round" "$result"
    read -r rps _ <<<"$result"
    total[$name]="$(awk -v a="${total[$name]:-0}" -v b="$rps" 'BEGIN {print a + b}')"
    [ "$name" = floor ] && continue
    cpu_ms[$name]="$(awk -F, -v a="${cpu_ms[$name]:-0}" '$3 == "task-clock" {print a + $1}' "$work/cpu.csv")"
    served[$name]="$(awk -v a="${served[$name]:-0}" '/requests in/ {print a + $1}' "$work/wrk.out")"
  done
done
unset CPU_PID
lean_peak="$(peak_rss "$pid_lean")"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", a / b}'; }
mean() { awk -v t="${total[$1]}" -v n="$rounds" 'BEGIN {printf "%.0f", t / n}'; }
echo "ratio to the floor (c=64, in the rounds): $(ratio "${total[lean]}" "${total[floor]}") ($(mean lean) / $(mean floor) req/s)"
echo "LOG_LEVEL=info / warning:               $(ratio "${total[info]}" "${total[lean]}")"
echo "rate limit + CORS on / off:             $(ratio "${total[limits]}" "${total[lean]}")"
echo "rate limit + CORS + JWT on / off:       $(ratio "${total[guarded]}" "${total[lean]}")"
per_request_us() { awk -v ms="${cpu_ms[$1]}" -v n="${served[$1]}" 'BEGIN {printf "%.1f", ms * 1000 / n}'; }
echo "CPU time per request in those rounds:   $(per_request_us lean) us; LOG_LEVEL=info $(per_request_us info), rate limit + CORS $(per_request_us limits), + JWT $(per_request_us guarded) us"
echo "peak RSS after c=1 and c=64:            $lean_peak"
readies=()
for _ in 1 2 3 4 5; do start probe; readies+=("$ready_probe"); kill "$pid_probe"; done
echo "ready (exec to /readyz 200), 5 starts:  $(printf '%s ' "${readies[@]}")ms"

# Instructions are the stable measure, but need a hardware PMU (virtual machines often have none); CPU time per
# request (the kernel's task clock, user + system) is measured in every case.
counters=task-clock
perf stat -x, -e instructions:u -o "$work/probe.csv" -- true 2>/dev/null && ! grep -q 'not supported' "$work/probe.csv" &&
  counters=task-clock,instructions:u
perf stat -x, -e "$counters" -o "$work/perf.csv" -p "$pid_lean" -- \
  wrk -t1 -c64 -d5s -s "$work/post.lua" "http://127.0.0.1:$port_lean/idv-session" >"$work/wrk-perf.out"
requests="$(awk '/requests in/ {print $1}' "$work/wrk-perf.out")"
awk -F, -v r="$requests" '
  $3 == "task-clock" {printf "CPU time per request (server):          %.1f us (%d requests)\n", $1 * 1000 / r, r}
  $3 == "instructions:u" {printf "instructions per request (user space):  %.0f\n", $1 / r}' "$work/perf.csv"
grep -q instructions "$work/perf.csv" || echo "instructions per request (perf):        not measurable here (no hardware PMU)"
# Counted exactly, PMU or not, by callgrind (the same requests, served far more slowly).
if command -v valgrind >/dev/null; then
  IDV_BFF_BINARY="$binary" bash scripts/instructions.sh 5
else
  echo "instructions per request (callgrind):   not measured (valgrind is not installed)"
fi

# Heap allocations per request: a count as stable as instructions that needs no PMU, from uprobes on the C library's
# allocator (the Swift runtime, libevent and OpenSSL all allocate through it): the binary's own copy in the static
# release build, else the shared library's. The probes go straight to tracefs, at file offsets: perf probe looks a
# function up in the DWARF, which the C library's archive does not carry.
allocator="$(readlink -f "$binary")"  # tracefs wants the path the kernel resolves
# (awk reads the whole listing: grep -q would leave nm to die of SIGPIPE, which pipefail counts as a failure)
nm --defined-only "$binary" | awk '$3 == "malloc" {found = 1} END {exit !found}' ||
  allocator="$(ldd "$binary" | awk '/libc\.so\.6/ {print $3}')"
tracefs=/sys/kernel/tracing
[ -e "$tracefs/uprobe_events" ] || tracefs=/sys/kernel/debug/tracing
add_allocator_probes() {
  local function at
  for function in malloc calloc realloc; do
    at="$($probe offset "$allocator" "$function")" || return 1
    echo "p:idvbench/$function $allocator:$at" >>"$tracefs/uprobe_events" || return 1
  done
}
perf probe -q -d 'idvbench:*' 2>/dev/null || true
allocations() {  # allocations NAME LABEL [wrk args]: the allocations per request of one setting's server
  local label="$2" pid_var="pid_$1" port_var="port_$1" requests; shift 2
  perf stat -x, -e 'idvbench:malloc,idvbench:calloc,idvbench:realloc' -o "$work/alloc.csv" -p "${!pid_var}" -- \
    wrk -t1 -c64 -d3s -s "$work/post.lua" "$@" "http://127.0.0.1:${!port_var}/idv-session" >"$work/wrk-alloc.out"
  requests="$(awk '/requests in/ {print $1}' "$work/wrk-alloc.out")"
  awk -F, -v r="$requests" -v label="$label" '$3 ~ /^idvbench:/ {sub(/^idvbench:/, "", $3); n[$3] = $1; total += $1}
    END {printf "%-40s%.1f (malloc %.1f, calloc %.1f, realloc %.1f)\n", label, total / r, n["malloc"] / r,
         n["calloc"] / r, n["realloc"] / r}' "$work/alloc.csv"
}
if add_allocator_probes 2>"$work/probe.err"; then
  allocations lean "allocations per request:"
  allocations info "  at LOG_LEVEL=info:"
  allocations limits "  with rate limit and CORS:" -H "Origin: https://app.example.com"
  allocations guarded "  with rate limit, CORS and JWT:" -H "Origin: https://app.example.com" -H "Authorization: Bearer $token"
  perf probe -q -d 'idvbench:*' 2>/dev/null || true
else
  perf probe -q -d 'idvbench:*' 2>/dev/null || true  # those placed before the one that failed
  echo "allocations per request:                not measurable here ($(head -c 200 "$work/probe.err" | tr "\n" " " | grep . || echo "no uprobes"))"
fi
kill "$pid_info" "$pid_limits" "$pid_guarded"

echo "== 5,000 idle keep-alive connections"
mkfifo "$work/hold"
$probe idle "$port_lean" 5000 <"$work/hold" >"$work/idle.out" &
exec 3>"$work/hold"
for _ in $(seq 600); do grep -q open "$work/idle.out" 2>/dev/null && break; sleep 0.05; done
echo "RSS with 5,000 idle connections:         $(rss "$pid_lean") (peak $(peak_rss "$pid_lean"))"
exec 3>&-
wait %% 2>/dev/null || true

echo "== a slow ClientLoop (the mock answering after 100 ms or 50 ms)"
start slow100 CLIENTLOOP_GRAPH_URL="https://localhost:$slow100_port/" CLIENTLOOP_POOL_SIZE=256
slow100="$(run "http://127.0.0.1:$port_slow100/idv-session" 400)"
report "400 clients, 100 ms upstream (limit 4,000)" "$slow100"
read -r slow_rps _ <<<"$slow100"
echo "share of the Little's-law limit:         $(ratio "$slow_rps" 4000); peak RSS $(peak_rss "$pid_slow100")"
kill "$pid_slow100"
start slow50 CLIENTLOOP_GRAPH_URL="https://localhost:$slow50_port/" CLIENTLOOP_POOL_SIZE=1024
report "2,000 clients, 50 ms upstream (limit 40,000)" "$(run "http://127.0.0.1:$port_slow50/idv-session" 2000)"
echo "peak RSS at 2,000 clients:               $(peak_rss "$pid_slow50")"
kill "$pid_slow50"

echo "== RSS over a long run (${long_run}s at c=64, sampled every 5 s)"
wrk -t2 -c64 -d"${long_run}s" -s "$work/post.lua" "http://127.0.0.1:$port_lean/idv-session" >"$work/long.out" &
samples=()
for _ in $(seq $((long_run / 5))); do sleep 5; samples+=("$(awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$pid_lean/status")"); done
wait %%
echo "requests: $(awk '/requests in/ {print $1}' "$work/long.out"); RSS MB: ${samples[*]}"
