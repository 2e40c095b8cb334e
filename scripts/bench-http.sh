#!/usr/bin/env bash
# Measures the HTTP server: GET /healthz under wrk at 64 and 1,024 keep-alive connections
# against the release build; prints wrk's figures and the server's peak RSS.
# Usage: scripts/bench-http.sh [seconds]   (needs wrk: apt-get install -y wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-15}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
swift build -c release --product pilar --scratch-path .build-release >/dev/null
bin=.build-release/release/pilar
dir=$(mktemp -d)
port=${PORT:-18080}
ulimit -n 65536 || true
"$bin" serve --db "$dir/bench.db" --port "$port" --quiet &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
echo "machine: $(nproc) cores, $(grep MemTotal /proc/meminfo | awk '{print int($2/1024/1024)" GiB"}'), $(uname -r)"
for conns in 64 1024; do
    echo "== GET /healthz, $conns connections, 2 threads, ${secs}s"
    wrk -t2 -c"$conns" -d"${secs}s" --latency "http://127.0.0.1:$port/healthz" | grep -E 'Requests/sec|Latency|50%|99%|Socket errors|Non-2xx|requests in'
done
echo "peak RSS: $(grep VmHWM /proc/$pid/status | awk '{print $2/1024 " MiB"}')"
