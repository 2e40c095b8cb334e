#!/usr/bin/env bash
# Pilar side by side with a Hummingbird 2 peer (bench/hummingbird-peer), both release builds,
# run alternately (A B A B A B) with the same wrk settings, and the ratio of the medians:
#   GET /healthz (Pilar, default settings: one log line per request, to a file) against the
#   peer's GET /ping, and a dashboard answer Pilar serves from its cache
#   (GET /v1/stats/pmks?period=..&by=region, admin token) against the peer's GET /stats
#   answering the same bytes, at 64 and 1,024 connections; Pilar again with --quiet
#   (logging's cost: a second server on the same database);
#   durable writes at 64 connections: Pilar's report PUT (a version and an audit entry,
#   acknowledged after an fsync'd group commit) against the peer's one fsync'd INSERT per POST.
# Usage: scripts/bench-peer.sh [seconds=8]   (needs wrk, curl, python3)
# PILAR_BIN / PEER_BIN skip the builds. Prints the machine's load next to the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-8}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
bin=${PILAR_BIN:-$PWD/.build-release/release/pilar}
[ -n "${PILAR_BIN:-}" ] || swift build -c release --product pilar --scratch-path .build-release >/dev/null
peer=${PEER_BIN:-$PWD/bench/hummingbird-peer/.build/release/Peer}
[ -n "${PEER_BIN:-}" ] || swift build -c release --package-path bench/hummingbird-peer >/dev/null
dir=$(mktemp -d)
pport=${PORT:-18380}; hport=$((pport + 1)); qport=$((pport + 2))
ulimit -n 65536 || true
"$bin" migrate --db "$dir/pilar.db" >/dev/null
token=$("$bin" token create --role admin --name bench --db "$dir/pilar.db" | tail -1)
"$bin" serve --db "$dir/pilar.db" --port "$pport" 2>"$dir/pilar.log" &
pid=$!
"$bin" serve --db "$dir/pilar.db" --port "$qport" --quiet 2>/dev/null &
qpid=$!
trap 'kill $pid $qpid $hpid 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT
for port in $pport $qport; do for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.05; done; done
stats="/v1/stats/pmks?period=$(date -u -d 'last month' +%Y-%m)&by=region"
curl -fsS -H "Authorization: Bearer $token" "http://127.0.0.1:$pport$stats" >"$dir/stats.json"
"$peer" "$hport" "$dir/peer.db" "$dir/stats.json" >/dev/null 2>&1 &
hpid=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$hport/ping" >/dev/null && break; sleep 0.05; done

cat >"$dir/put.lua" <<EOF
-- A report draft PUT per request over 5 kecamatan x 240 months, a changing count: every answer is a new version.
local counter, thread_id, ids = 0, 0, 0
function setup(thread) ids = ids + 1; thread:set("tid", ids) end
function init(args) thread_id = tid end
function request()
  counter = counter + 1
  local n = counter * 7 + thread_id
  local m = math.floor(n / 5) % 240
  local body = '{"pmks":[{"category":"FM","count":' .. counter .. '}],"psks":[{"type":"PSM","count":20}],"notes":{"kendala":"bench"}}'
  return wrk.format("PUT", "/v1/reports/32.74.0" .. (n % 5 + 1) .. "/" .. string.format("%04d-%02d", 2001 + math.floor(m / 12), m % 12 + 1),
                    {["Authorization"] = "Bearer $token", ["Content-Type"] = "application/json"}, body)
end
EOF
cat >"$dir/post.lua" <<'EOF'
local counter = 0
function request()
  counter = counter + 1
  return wrk.format("POST", "/insert", {["Content-Type"] = "application/json"}, '{"pmks":[{"category":"FM","count":' .. counter .. '}]}')
end
EOF

# One wrk run: prints "req/s p99_ms non2xx_or_errors".
run() {  # name url conns [lua]
    local out
    out=$(wrk -t2 -c"$3" -d"${secs}s" --latency -H "Authorization: Bearer $token" ${4:+-s "$4"} "$2" 2>&1)
    python3 - "$1" "$3" <<PY
import re, sys
out = """$out"""
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
m = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
p99 = float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)] if m else float("nan")
bad = sum(int(x) for x in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
bad += sum(int(x) for x in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
load = open("/proc/loadavg").read().split()[0]
print(f"{sys.argv[1]} c={sys.argv[2]} {rps:.0f} req/s p99 {p99:.2f} ms bad {bad} load {load}")
PY
}

echo "machine: $(nproc) cores, $(uname -r); date: $(date -u +%FT%TZ); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
results=$dir/results.txt
for conns in 64 1024; do
    for round in 1 2 3; do
        run pilar-healthz "http://127.0.0.1:$pport/healthz" "$conns" | tee -a "$results"
        run peer-ping "http://127.0.0.1:$hport/ping" "$conns" | tee -a "$results"
        run pilar-quiet-healthz "http://127.0.0.1:$qport/healthz" "$conns" | tee -a "$results"
    done
    for round in 1 2 3; do
        run pilar-stats "http://127.0.0.1:$pport$stats" "$conns" | tee -a "$results"
        run peer-stats "http://127.0.0.1:$hport/stats" "$conns" | tee -a "$results"
        run pilar-quiet-stats "http://127.0.0.1:$qport$stats" "$conns" | tee -a "$results"
    done
done
for round in 1 2 3; do
    run pilar-report-put "http://127.0.0.1:$pport" 64 "$dir/put.lua" | tee -a "$results"
    run peer-insert "http://127.0.0.1:$hport" 64 "$dir/post.lua" | tee -a "$results"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg); Pilar RSS peak $(grep VmHWM /proc/$pid/status | awk '{print $2/1024 " MiB"}'); log lines: $(grep -c '"msg":"request"' "$dir/pilar.log"), $(curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$pport/metrics" | grep -E '^pilar_log_lines_dropped_total' || echo 'dropped counter not found')"
python3 - "$results" <<'PY'
import statistics, sys, collections
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    p = line.split()
    runs[(p[0], p[1])].append((float(p[2]), float(p[5])))
def med(k): return statistics.median(r for r, _ in runs[k]), statistics.median(p for _, p in runs[k])
for c in ("c=64", "c=1024"):
  for what, peer in (("healthz", "ping"), ("stats", "stats")):
    (a, ap), (b, bp), (q, qp) = med((f"pilar-{what}", c)), med((f"peer-{peer}", c)), med((f"pilar-quiet-{what}", c))
    print(f"{c}: Pilar {what} {a:.0f} req/s (p99 {ap:.2f} ms) / Hummingbird {peer} {b:.0f} (p99 {bp:.2f} ms) = {a / b:.2f}; "
          f"logging costs {100 * (1 - a / q):.1f}% against --quiet ({q:.0f} req/s, p99 {qp:.2f} ms)")
(a, ap), (b, bp) = med(("pilar-report-put", "c=64")), med(("peer-insert", "c=64"))
print(f"durable writes c=64: Pilar report PUT {a:.0f} req/s (p99 {ap:.1f} ms) / Hummingbird fsync'd INSERT {b:.0f} (p99 {bp:.1f} ms) = {a / b:.2f}")
PY
