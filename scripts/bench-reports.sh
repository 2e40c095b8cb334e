#!/usr/bin/env bash
# Report benchmarks against the release build:
#  1. durable report writes per second: wrk, 64 keep-alive connections, each request a PUT
#     that makes a new version of a draft (distinct kecamatan/period keys, changing counts),
#     acknowledged only after COMMIT with synchronous=FULL;
#  2. a backfill of 36 months for every kecamatan of one province (default 32 Jawa Barat)
#     through POST /v1/reports/import, after importing the whole region register.
# Usage: scripts/bench-reports.sh [seconds=15] [province=32]   (needs wrk, sqlite3)
set -euo pipefail
cd "$(dirname "$0")/.."
REGIONS_CSV=data/regions/regions.csv  # the national list, in this repository
secs=${1:-15}
province=${2:-32}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
# PILAR_BIN=path skips the build (e.g. a binary built from a snapshot while others edit the tree).
bin=${PILAR_BIN:-$PWD/.build-reports-release/release/pilar}
[ -n "${PILAR_BIN:-}" ] || swift build -c release --product pilar --scratch-path .build-reports-release >/dev/null 2>&1
dir=$(mktemp -d)
db=$dir/bench.db
port=${PORT:-18282}
base=http://127.0.0.1:$port
"$bin" migrate --db "$db" >/dev/null
token=$("$bin" token create --role admin --name bench --db "$db" | tail -1)
ulimit -n 65536 || true
"$bin" serve --db "$db" --port "$port" --quiet &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 100); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.05; done
echo "machine: $(nproc) cores, $(grep MemTotal /proc/meminfo | awk '{print int($2/1024/1024)" GiB"}'), $(uname -r)"

cat >"$dir/put.lua" <<EOF
-- Each request: PUT a draft for one of 5 kecamatan x 240 months (2001-2020, clear of the backfill), with a count that changes,
-- so every acknowledged request is a new committed version.
local counter = 0
local thread_id = 0
local ids = 0
function setup(thread) ids = ids + 1; thread:set("tid", ids) end
function init(args) thread_id = tid end
function request()
  counter = counter + 1
  local n = counter * 7 + thread_id
  local k = "32.74.0" .. (n % 5 + 1)
  local m = math.floor(n / 5) % 240
  local period = string.format("%04d-%02d", 2001 + math.floor(m / 12), m % 12 + 1)
  local body = '{"pmks":[{"category":"FM","count":' .. counter .. '},{"category":"LUT","male":' .. thread_id .. ',"female":3}],'
            .. '"psks":[{"type":"PSM","count":20}],"notes":{"kendala":"bench"}}'
  return wrk.format("PUT", "/v1/reports/" .. k .. "/" .. period,
                    {["Authorization"] = "Bearer $token", ["Content-Type"] = "application/json"}, body)
end
function response(status, headers, body)
  if status ~= 200 and status ~= 201 then print("status " .. status .. ": " .. body) end
end
EOF
echo "== durable report writes: PUT new versions, 64 connections, 2 threads, ${secs}s"
before=$(sqlite3 "$db" 'SELECT count(*) FROM report_versions')
wrk -t2 -c64 -d"${secs}s" --latency -s "$dir/put.lua" "$base" | grep -E 'Requests/sec|Latency|50%|99%|Socket errors|Non-2xx|requests in' | sort -u
after=$(sqlite3 "$db" 'SELECT count(*) FROM report_versions')
echo "versions committed: $((after - before)) ($(( (after - before) / secs ))/s)"

echo "== backfill: 36 months x every kecamatan of province $province"
start=$(date +%s.%N)
curl -fs -o "$dir/regions.json" -H "Authorization: Bearer $token" -H 'Content-Type: text/csv' \
     --data-binary @"$REGIONS_CSV" "$base/v1/regions/import"
echo "region register imported ($(wc -l <"$REGIONS_CSV") rows) in $(python3 -c "import time; print(round(time.time() - $start, 1))")s: $(head -c 200 "$dir/regions.json")"
python3 - "$province" "$dir/backfill.csv" <<'EOF'
import csv, sys
province, out = sys.argv[1], sys.argv[2]
kec = [r["code"] for r in csv.DictReader(open("data/regions/regions.csv"))
       if r["level"] == "kecamatan" and r["code"].startswith(province + ".")]
periods = [f"{y}-{m:02d}" for y in (2023, 2024, 2025) for m in range(1, 13)]
cats = [("LUT", "p"), ("PD", "p"), ("AT", "p"), ("AJ", "p"), ("PGM", "p"), ("PRSE", "w"), ("KBA", "p"),
        ("FM", "c"), ("KBTLH", "c"), ("KR", "c")]
with open(out, "w") as f:
    f.write("kecamatan,period,category,desa,male,female,count\n")
    for i, k in enumerate(kec):
        for j, p in enumerate(periods):
            for n, (c, u) in enumerate(cats):
                v = (i * 31 + j * 7 + n * 13) % 50
                if u == "c": f.write(f"{k},{p},{c},,,,{v * 4}\n")
                elif u == "w": f.write(f"{k},{p},{c},,0,{v},\n")
                else: f.write(f"{k},{p},{c},,{v},{v + 3},\n")
print(f"{len(kec)} kecamatan x {len(periods)} months x {len(cats)} categories = {len(kec) * len(periods) * len(cats)} rows")
EOF
ls -l "$dir/backfill.csv" | awk '{print "file: " $5/1048576 " MiB"}'
for run in first again; do
    start=$(date +%s.%N)
    curl -s -o "$dir/summary.json" -H "Authorization: Bearer $token" -H 'Content-Type: text/csv' \
         --data-binary @"$dir/backfill.csv" "$base/v1/reports/import"
    echo "backfill ($run run): $(python3 -c "import time; print(round(time.time() - $start, 1))")s: $(head -c 200 "$dir/summary.json")"
done
echo "peak RSS: $(grep VmHWM /proc/$pid/status | awk '{print $2/1024 " MiB"}')"
