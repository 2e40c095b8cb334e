#!/usr/bin/env bash
# Request logging's cost in instructions (callgrind; stable on a busy machine): the server
# under valgrind answers GET /healthz from wrk for a few seconds with default logging (to a
# file) and with --quiet; prints instructions per request for each, counted from the moment
# the server answers (start-up excluded). Usage: scripts/profile-logging.sh BIN [seconds=10]
set -euo pipefail
bin=$1; secs=${2:-10}
dir=$(mktemp -d)
port=${PORT:-18780}
pid=
trap 'kill $pid 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT
for mode in logging quiet; do
    flag=$([ $mode = quiet ] && echo --quiet || true)
    valgrind --tool=callgrind --callgrind-out-file="$dir/$mode.out" "$bin" serve --db "$dir/$mode.db" --port $port $flag 2>"$dir/$mode.log" &
    pid=$!
    for _ in $(seq 600); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
    callgrind_control -z $pid >/dev/null
    n=$(wrk -t1 -c8 -d${secs}s "http://127.0.0.1:$port/healthz" | awk '/requests in/ {print $1}')
    sleep 1   # the log writer's last batch
    callgrind_control -d $pid >/dev/null
    kill $pid; wait $pid 2>/dev/null || true
    dump=$(ls -t "$dir"/$mode.out.* | head -1)
    total=$(callgrind_annotate "$dump" 2>/dev/null | grep -m1 'PROGRAM TOTALS' | awk '{gsub(",", "", $1); print $1}')
    echo "$(basename "$bin") $mode: $n requests, $total instructions, $((total / n)) per request"
done
echo "($(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg))"
