#!/usr/bin/env bash
# Dashboard revalidation (If-None-Match with the current ETag) against the demo database:
# the 304 path does no aggregation, so its speed does not depend on how much data there is.
#
#   PILAR_BIN=.build-stats/release/pilar DURATION=10s scripts/bench-304.sh
#
# Target (issue 6, 2-core machine, wrk on the same box): 20,000 requests/s or more.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${PILAR_BIN:-}
if [ -z "$BIN" ]; then
    swift build -c release --scratch-path .build-stats --product pilar >&2
    BIN=.build-stats/release/pilar
fi
PORT=${PORT:-18304}
DURATION=${DURATION:-10s}
DIR=$(mktemp -d)
# --demo prints the token; read it from the output.
"$BIN" serve --db "$DIR/demo.db" --port "$PORT" --quiet --demo >"$DIR/out" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DIR"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
TOKEN=$(grep -o 'pilar_[0-9]*_[A-Za-z0-9_-]*' "$DIR/out" | head -1)
URL="http://127.0.0.1:$PORT/v1/stats/pmks?region=32&by=region,category"
AUTH="Authorization: Bearer $TOKEN"
ETAG=$(curl -sf -o /dev/null -D - -H "$AUTH" "$URL" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
test "$(curl -s -o /dev/null -w '%{http_code}' -H "$AUTH" -H "If-None-Match: $ETAG" "$URL")" = 304
for c in 64 1024; do
    echo "== 304 revalidation, $c connections"
    wrk -t2 -c"$c" -d"$DURATION" --latency -H "$AUTH" -H "If-None-Match: $ETAG" "$URL"
    echo "peak RSS: $(grep VmHWM /proc/$PID/status)"
done
