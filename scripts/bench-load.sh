#!/usr/bin/env bash
# Load and memory benchmark: the release server over a database with every region of the
# country (imported through POST /v1/regions/import) plus the Kota Cirebon demo, driven by wrk
# with a mix of dashboard polls, report reads and report writes (scripts/bench-load.lua).
#
#   scripts/bench-load.sh                      (64 and 1,024 connections, 30 s each)
#   DURATION=60s CONNECTIONS="64 1024" REGIONS=/path/regions.csv scripts/bench-load.sh
#
# Prints, per connection count: throughput, p50/p90/p99, non-2xx answers, socket errors, and
# the server's peak RSS (VmHWM; the server is restarted for each count so the peak is its own).
set -euo pipefail
cd "$(dirname "$0")/.."

REGIONS=${REGIONS:-$(dirname "$0")/../data/regions/regions.csv}
PORT=${PORT:-8191}
DURATION=${DURATION:-30s}
CONNECTIONS=${CONNECTIONS:-"64 1024"}
THREADS=${THREADS:-2}
WORK=${WORK:-/tmp/pilar-bench-load}

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
[ -f "$REGIONS" ] || { echo "no regions file at $REGIONS" >&2; exit 1; }
# PILAR_BIN=path skips the build (a release binary made already).
BIN=${PILAR_BIN:-}
if [ -z "$BIN" ]; then
    swift build -c release --product pilar --scratch-path .build-release-load >&2
    BIN=.build-release-load/release/pilar
fi

rm -rf "$WORK" && mkdir -p "$WORK"
DB=$WORK/pilar.db
awk -F, 'NR > 1 && $3 == "kecamatan" { print $1 }' "$REGIONS" > "$WORK/kecamatan.txt"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

PID=
start() {
    "$BIN" serve --db "$DB" --port "$PORT" --quiet "$@" > "$WORK/serve.out" 2> "$WORK/serve.err" &
    PID=$!
    for _ in $(seq 1 200); do
        curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && return 0
        sleep 0.1
    done
    echo "the server did not start" >&2; cat "$WORK/serve.err" >&2; exit 1
}
stop() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; PID=; }
trap stop EXIT

# The database: demo data, then the national regions through the API, as an office would.
start --demo
TOKEN=$("$BIN" token create --role admin --name bench-load --db "$DB" 2>/dev/null)
export TOKEN KEC_FILE=$WORK/kecamatan.txt
AUTH="Authorization: Bearer $TOKEN"
BASE="http://127.0.0.1:$PORT"
t0=$(date +%s.%N)
curl -sf -H "$AUTH" -H 'Content-Type: text/csv' --data-binary @"$REGIONS" "$BASE/v1/regions/import?on_error=skip" > "$WORK/import.json"
t1=$(date +%s.%N)
echo "== regions import: $(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print({k: d[k] for k in ("created","updated","unchanged","rejected")})' "$WORK/import.json") in $(python3 -c "print(round($t1-$t0,1))") s"
# Every request of the mix answers 2xx before the run (a broken mix would measure errors).
for path in "/v1/stats/pmks?region=32.74&period=2026-10&by=region" "/v1/stats/completeness?period=2026-10" \
            "/v1/reports/32.74.01/2026-10"; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "$AUTH" "$BASE$path")
    [ "$code" = 200 ] || { echo "GET $path answered $code" >&2; exit 1; }
done
code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H "$AUTH" -H 'Content-Type: application/json' \
       -d '{"pmks":[{"category":"LUT","male":3,"female":4}]}' "$BASE/v1/reports/11.01.01/2019-01")
case $code in 2??) ;; *) echo "PUT answered $code" >&2; exit 1;; esac
# The heaviest dashboard answer, alone: national completeness listing every kecamatan without a report.
curl -s -o /dev/null -w '== national completeness with the default list: %{http_code}, %{size_download} bytes in %{time_total} s\n' \
     -H "$AUTH" "$BASE/v1/stats/completeness?period=2026-10"
stop

for c in $CONNECTIONS; do
    start
    echo "== $c connections, $THREADS threads, $DURATION ($(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg))"
    echo "   wrk -t$THREADS -c$c -d$DURATION --timeout 10s -s scripts/bench-load.lua $BASE"
    wrk -t"$THREADS" -c"$c" -d"$DURATION" --timeout 10s -s scripts/bench-load.lua "$BASE" | sed -n '/^mix sent/,$p'
    echo "peak RSS (VmHWM) $(awk '/VmHWM/ {printf "%.1f MB", $2/1024}' /proc/$PID/status), now (VmRSS) $(awk '/VmRSS/ {printf "%.1f MB", $2/1024}' /proc/$PID/status), threads $(awk '/Threads/ {print $2}' /proc/$PID/status)"
    curl -sf "$BASE/healthz" >/dev/null && echo "healthz ok after the run"
    stop
done
echo "== database after the runs: $(du -h "$DB" | cut -f1), reports $(sqlite3 "$DB" 'SELECT count(*) FROM reports' 2>/dev/null || echo '?')"
