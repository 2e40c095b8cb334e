#!/usr/bin/env bash
# Dashboard benchmark at national scale.
#
#   scripts/bench-stats.sh [DB]        (default /tmp/pilar-national.db; generated when missing)
#   DURATION=30s CONNECTIONS=8 PORT=8181 PILAR_BIN=/path/to/pilar scripts/bench-stats.sh /tmp/national.db
#
# Builds the release binary, serves DB, gets an admin token, and runs wrk on:
#   1. national PMKS totals by province for one month          (uncached: no If-None-Match)
#   2. a 12-month PMKS series by category for one province     (uncached)
#   3. 304 revalidation of (1) with its current ETag
# Targets (2-core machine): 1 and 2 under 20 ms p99; 3 at 20,000 requests/s or more.
set -euo pipefail
cd "$(dirname "$0")/.."

DB=${1:-/tmp/pilar-national.db}
PORT=${PORT:-8181}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-8}
THREADS=${THREADS:-2}
MONTH=${MONTH:-2026-10}
FIRST=${FIRST:-2025-11}

# PILAR_BIN=path skips the build (e.g. a binary built from a snapshot while others edit the tree).
BIN=${PILAR_BIN:-}
if [ -z "$BIN" ]; then
    swift build -c release --scratch-path .build-stats --product pilar >&2
    BIN=.build-stats/release/pilar
fi
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
if [ ! -f "$DB" ]; then
    python3 scripts/generate-national.py --db "$DB" --pilar "$BIN"
fi

TOKEN=$("$BIN" token create --role admin --name bench-stats --db "$DB" 2>/dev/null)
"$BIN" serve --db "$DB" --port "$PORT" --quiet &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null' EXIT
for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break
    sleep 0.1
done

BASE="http://127.0.0.1:$PORT"
AUTH="Authorization: Bearer $TOKEN"
PROVINCES="$BASE/v1/stats/pmks?period=$MONTH&by=region"
SERIES="$BASE/v1/stats/pmks?region=32&period=$FIRST&period_to=$MONTH&by=period,category"

echo "== rows: provinces $(curl -sf -H "$AUTH" "$PROVINCES" | python3 -c 'import json,sys;print(len(json.load(sys.stdin)["items"]))'), series $(curl -sf -H "$AUTH" "$SERIES" | python3 -c 'import json,sys;print(len(json.load(sys.stdin)["items"]))')"
ETAG=$(curl -sf -o /dev/null -D - -H "$AUTH" "$PROVINCES" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
test "$(curl -s -o /dev/null -w '%{http_code}' -H "$AUTH" -H "If-None-Match: $ETAG" "$PROVINCES")" = 304

echo "== 1. national totals by province, one month (uncached)"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "$AUTH" "$PROVINCES"
echo "== 2. 12-month series by category for provinsi 32 (uncached)"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "$AUTH" "$SERIES"
echo "== 3. 304 revalidation (If-None-Match: $ETAG)"
wrk -t"$THREADS" -c"$((CONNECTIONS * 8))" -d"$DURATION" --latency -H "$AUTH" -H "If-None-Match: $ETAG" "$PROVINCES"
