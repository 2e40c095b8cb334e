#!/usr/bin/env bash
# Issue 16's scale checks on a release build and a 1,000,000-record database
# (scripts/make-records.py makes it in a few minutes when DB does not exist):
#   1. start-up: exec to the first answer of GET /healthz, five starts (the first start after
#      an upgrade applies migrations and is shown apart);
#   2. a 1,000,000-record CSV export (GET /v1/psks/export) streamed to /dev/null: bytes, time,
#      and the server's peak RSS (VmHWM) before and after;
#   3. 1,024 idle keep-alive connections (each answered once, then left open) plus wrk -c64 on
#      /healthz and a dashboard answer: req/s, and the server's RSS and peak RSS.
# Usage: DB=/tmp/million.db scripts/bench-scale.sh   (PILAR_BIN skips the build; needs wrk, curl, python3)
set -euo pipefail
cd "$(dirname "$0")/.."
db=${DB:-/tmp/pilar-million.db}
port=${PORT:-18640}
base=http://127.0.0.1:$port
bin=${PILAR_BIN:-$PWD/.build-release/release/pilar}
[ -n "${PILAR_BIN:-}" ] || swift build -c release --product pilar --scratch-path .build-release >/dev/null
[ -f "$db" ] || python3 scripts/make-records.py --db "$db" --pilar "$bin"
token=$("$bin" token create --role admin --name scale --db "$db" 2>/dev/null | tail -1)
pid=
trap '[ -z "$pid" ] || kill $pid 2>/dev/null; wait 2>/dev/null' EXIT
rss() { awk '/VmRSS|VmHWM/ {printf "%s %.1f MB  ", $1, $2 / 1024}' /proc/$pid/status; }
start() {  # prints ms from exec to the first /healthz answer
    local t0 t1
    t0=$(date +%s%N)
    "$bin" serve --db "$db" --port "$port" --quiet 2>/dev/null &
    pid=$!
    until curl -fs -o /dev/null "$base/healthz"; do sleep 0.005; done
    t1=$(date +%s%N)
    echo $(( (t1 - t0) / 1000000 ))
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }

echo "machine: $(nproc) cores; date: $(date -u +%FT%TZ); load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "database: $db, $(du -m "$db" | cut -f1) MB, $(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM psks').fetchone()[0])" "$db") records"
echo "== start-up (exec to first /healthz answer)"
first=$(start); stop
times=""
for _ in 1 2 3 4 5; do times="$times $(start)"; stop; done
echo "first start (may apply migrations): ${first} ms; then:${times} ms (load $(cut -d' ' -f1 /proc/loadavg))"

start >/dev/null
echo "== export of every record (CSV), streamed to /dev/null"
echo "before: $(rss)"
curl -fsS -o /dev/null -w 'bytes %{size_download}, %{time_total} s\n' -H "Authorization: Bearer $token" "$base/v1/psks/export"
echo "after:  $(rss) (load $(cut -d' ' -f1 /proc/loadavg))"
stop

start >/dev/null
echo "== 1,024 idle keep-alive connections plus wrk -t2 -c64 -d10s"
python3 - "$port" <<'PY' &
import socket, sys, time
port = int(sys.argv[1]); conns = []
for _ in range(1024):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    s.recv(4096)
    conns.append(s)
print(f"{len(conns)} idle keep-alive connections open", flush=True)
time.sleep(40)
PY
idle=$!
sleep 8
echo "idle only: $(rss)"
stats="/v1/stats/pmks?period=$(date -u -d 'last month' +%Y-%m)&by=region"
wrk -t2 -c64 -d10s --latency "$base/healthz" | grep -E 'Requests/sec|99%|Non-2xx|Socket'
wrk -t2 -c64 -d10s --latency -H "Authorization: Bearer $token" "$base$stats" | grep -E 'Requests/sec|99%|Non-2xx|Socket'
echo "idle + load: $(rss) (load $(cut -d' ' -f1 /proc/loadavg))"
kill $idle 2>/dev/null || true
