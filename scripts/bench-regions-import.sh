#!/usr/bin/env bash
# The national regions file into a new database over HTTP: wall time of the POST (curl) and the
# server CPU time around it (utime + stime). Usage: scripts/bench-regions-import.sh BIN
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$1; dir=$(mktemp -d); port=18711
$bin migrate --db $dir/p.db >/dev/null
token=$($bin token create --role admin --name w --db $dir/p.db 2>/dev/null | tail -1)
$bin serve --db $dir/p.db --port $port --quiet 2>/dev/null & pid=$!
until curl -fs -o /dev/null http://127.0.0.1:$port/healthz; do sleep 0.05; done
cpu() { awk '{print $14 + $15}' /proc/$pid/stat; }
c0=$(cpu)
curl -fsS -o $dir/a.json -w 'wall %{time_total} s, ' -H "Authorization: Bearer $token" -H 'Content-Type: text/csv' --data-binary @data/regions/regions.csv http://127.0.0.1:$port/v1/regions/import
c1=$(cpu)
echo "server CPU $(( (c1 - c0) * 10 )) ms, load $(cut -d' ' -f1 /proc/loadavg): $(head -c 120 $dir/a.json)"
kill $pid; wait $pid 2>/dev/null || true; rm -rf $dir
