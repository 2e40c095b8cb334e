#!/usr/bin/env bash
# Spreadsheet benchmark (outside `swift test`): a register of N records (scripts/make-records.py)
# exported as .xlsx and as CSV, and the .xlsx imported back (every row `unchanged`: all rules
# run, nothing is written), over HTTP on a release build. Prints wall time per step and the
# server's peak resident memory (VmHWM) after each, so flat memory shows as a flat column.
#
#   scripts/bench-xlsx.sh                 # 200,000 records
#   RECORDS=20000 scripts/bench-xlsx.sh   # a quick run
#   PILAR_BIN=.build/debug/pilar scripts/bench-xlsx.sh   # no release build
set -euo pipefail
cd "$(dirname "$0")/.."

RECORDS=${RECORDS:-200000}
PORT=${PORT:-18491}
SCRATCH=${SCRATCH:-.build-release}
OUT=bench-out/xlsx
mkdir -p "$OUT"
rm -f "$OUT"/bench.db* "$OUT"/export.*

# PILAR_BIN=path: measure that binary instead of building a release one.
if [ -n "${PILAR_BIN:-}" ]; then PILAR=$PILAR_BIN; else
    swift build -c release --scratch-path "$SCRATCH" --product pilar >/dev/null
    PILAR="$SCRATCH/release/pilar"
fi
python3 scripts/make-records.py --db "$OUT/bench.db" --pilar "$PILAR" --records "$RECORDS" >/dev/null
TOKEN=$("$PILAR" token create --role admin --db "$OUT/bench.db" | tail -1)
"$PILAR" serve --db "$OUT/bench.db" --port "$PORT" >"$OUT/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
hwm() { awk '/VmHWM/ {print $2/1024 " MB"}' /proc/$SERVER/status; }
step() { local name=$1; shift; local t0=$(date +%s.%N); "$@"; local t1=$(date +%s.%N)
         printf '%-28s %6.1f s   peak RSS %s\n' "$name" "$(echo "$t1 - $t0" | bc)" "$(hwm)"; }
echo "records: $RECORDS   load before: $(cut -d' ' -f1-3 /proc/loadavg)   peak RSS at start: $(hwm)"
step "export .csv" curl -sf -o "$OUT/export.csv" -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/v1/psks/export?type=TAGANA"
step "export .xlsx" curl -sf -o "$OUT/export.xlsx" -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/v1/psks/export.xlsx?type=TAGANA"
ls -l "$OUT/export.csv" "$OUT/export.xlsx" | awk '{print "  " $5 " bytes  " $9}'
step "import .xlsx (all unchanged)" curl -sf -o "$OUT/import.json" -H "Authorization: Bearer $TOKEN" \
    -H "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" \
    --data-binary @"$OUT/export.xlsx" "http://127.0.0.1:$PORT/v1/psks/import"
python3 -c "import json,sys; s=json.load(open(sys.argv[1])); print('  import:', {k: s[k] for k in ('created','updated','unchanged','rejected')})" "$OUT/import.json"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
