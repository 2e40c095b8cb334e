#!/usr/bin/env bash
# What request logging costs: GET /healthz under wrk with the default logging (one line per
# request, to a file) and with --quiet, for one or more pilar binaries (e.g. before and after a
# change), run alternately (A B A B ...) so a busy machine hurts all alike; prints each run and
# the medians. Usage: scripts/bench-logging.sh [seconds=5] BIN [BIN...]   (needs wrk, curl)
set -euo pipefail
secs=$1; shift
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
dir=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT
ulimit -n 65536 || true
port=${PORT:-18680}
targets=()
i=0
for bin in "$@"; do
    for mode in logging quiet; do
        i=$((i + 1)); p=$((port + i))
        if [ $mode = quiet ]; then "$bin" serve --db "$dir/$i.db" --port $p --quiet 2>/dev/null &
        else "$bin" serve --db "$dir/$i.db" --port $p 2>"$dir/$i.log" & fi
        pids+=($!)
        targets+=("$(basename "$bin")-$mode:$p:$i")
    done
done
for t in "${targets[@]}"; do p=${t#*:}; p=${p%%:*}; for _ in $(seq 100); do curl -fs "http://127.0.0.1:$p/healthz" >/dev/null && break; sleep 0.1; done; done
echo "date $(date -u +%FT%TZ), load before $(cut -d' ' -f1-3 /proc/loadavg)"
for conns in 64 1024; do
    for round in 1 2 3; do
        for t in "${targets[@]}"; do
            name=${t%%:*}; p=${t#*:}; p=${p%%:*}
            out=$(wrk -t2 -c$conns -d${secs}s --latency "http://127.0.0.1:$p/healthz")
            echo "$name c=$conns $(echo "$out" | awk '/Requests\/sec/ {print $2}') req/s p99 $(echo "$out" | awk '/ 99%/ {print $2}')" | tee -a "$dir/results"
        done
    done
done
echo "load after $(cut -d' ' -f1-3 /proc/loadavg)"
for t in "${targets[@]}"; do
    i=${t##*:}; [ -f "$dir/$i.log" ] && echo "${t%%:*}: $(grep -c '"msg":"request"' "$dir/$i.log") request lines logged"
done
python3 - "$dir/results" <<'PY'
import collections, statistics, sys
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    p = line.split()
    runs[(p[0], p[1])].append(float(p[2]))
for (name, c), v in sorted(runs.items(), key=lambda kv: (kv[0][1], kv[0][0])):
    print(f"{c} {name}: median {statistics.median(v):.0f} req/s of {', '.join(f'{x:.0f}' for x in v)}")
PY
