#!/usr/bin/env bash
# A durable report PUT's cost in instructions (callgrind; stable on a busy machine): the server
# under valgrind takes draft PUTs from wrk (8 connections, new versions each time) for a few
# seconds; prints instructions per PUT from the moment it answers (start-up excluded) and how
# many PUTs shared each commit. Usage: scripts/profile-put.sh BIN [seconds=10]
set -euo pipefail
bin=$1; secs=${2:-10}
dir=$(mktemp -d)
port=${PORT:-18790}
pid=
trap 'kill $pid 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT
"$bin" migrate --db "$dir/p.db" >/dev/null
token=$("$bin" token create --role admin --name put --db "$dir/p.db" 2>/dev/null | tail -1)
cat >"$dir/put.lua" <<LUA
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
LUA
valgrind --tool=callgrind --callgrind-out-file="$dir/cg.out" "$bin" serve --db "$dir/p.db" --port $port --quiet 2>"$dir/vg.log" &
pid=$!
for _ in $(seq 600); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
metric() { curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$port/metrics" | awk -v m="$1" '$1 == m {print $2}'; }
commits0=$(metric pilar_writes_committed_total || echo 0)
callgrind_control -z $pid >/dev/null
out=$(wrk -t1 -c8 -d${secs}s -s "$dir/put.lua" "http://127.0.0.1:$port")
callgrind_control -d $pid >/dev/null
commits1=$(metric pilar_writes_committed_total || echo 0)
n=$(echo "$out" | awk '/requests in/ {print $1}')
dump=$(ls -t "$dir"/cg.out.* | head -1)
total=$(callgrind_annotate "$dump" 2>/dev/null | grep -m1 'PROGRAM TOTALS' | awk '{gsub(",", "", $1); print $1}')
echo "$n PUTs ($(echo "$out" | grep -c Non-2xx || true) lines of non-2xx), $total instructions, $((total / n)) per PUT; commits counted: ${commits0:-?} -> ${commits1:-?}"
[ -z "${KEEP:-}" ] || cp "$dump" "$KEEP"
echo "($(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg))"
