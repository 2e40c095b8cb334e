#!/usr/bin/env bash
# A report PUT's cost in instructions (callgrind; stable on a busy machine, unlike seconds):
# the demo server under valgrind takes N sequential PUTs, each changing a draft of one of
# 5 kecamatan x 20 months (the first 100 create, the rest replace), and the instructions from
# the first PUT to the last are divided by N. Start-up and the demo seed are not counted.
# Any binary with `serve --demo` works, so the figures of two releases compare.
# Usage: scripts/profile-report-put.sh BIN [n=300]   (A/B: run it with both binaries)
set -euo pipefail
bin=$1; n=${2:-300}
dir=$(mktemp -d)
port=${PORT:-18781}
pid=
trap 'kill $pid 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT
# The demo seeded without valgrind (slow under it), then the server again under valgrind.
"$bin" serve --demo --db "$dir/p.db" --port $port --quiet >"$dir/out.log" 2>"$dir/err.log" &
pid=$!
token=
for _ in $(seq 600); do
    token=$(sed -n -e 's/^Admin token (shown once): //p' -e 's/^Token admin (hanya ditampilkan sekali): //p' "$dir/out.log")
    [ -n "$token" ] && curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.1
done
kill $pid; wait $pid 2>/dev/null || true
valgrind --tool=callgrind --callgrind-out-file="$dir/cg.out" "$bin" serve --db "$dir/p.db" --port $port --quiet 2>>"$dir/err.log" &
pid=$!
for _ in $(seq 1200); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
callgrind_control -z $pid >/dev/null
for i in $(seq "$n"); do
    k=$((i % 5 + 1)); m=$(( (i / 5) % 20 ))
    year=2025; if [ $m -ge 12 ]; then year=2024; fi
    period=$(printf '%d-%02d' $year $((m % 12 + 1)))
    body="{\"pmks\":[{\"category\":\"FM\",\"count\":$i},{\"category\":\"LUT\",\"male\":$k,\"female\":3}],\"psks\":[{\"type\":\"PSM\",\"count\":20}]}"
    code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
           --data "$body" "http://127.0.0.1:$port/v1/reports/32.74.0$k/$period")
    [ "$code" = 200 ] || [ "$code" = 201 ] || { echo "PUT $i: $code"; exit 1; }
done
sleep 1  # the access log's last batch
callgrind_control -d $pid >/dev/null
kill $pid; wait $pid 2>/dev/null || true
dump=$(ls -t "$dir"/cg.out.* | head -1)
total=$(callgrind_annotate "$dump" 2>/dev/null | grep -m1 'PROGRAM TOTALS' | awk '{gsub(",", "", $1); print $1}')
echo "$bin: $n report PUTs, $total instructions, $((total / n)) per PUT ($(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg))"
