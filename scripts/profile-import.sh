#!/usr/bin/env bash
# Where an import's time goes, in instructions (valgrind --tool=callgrind): stable on a busy
# machine, unlike seconds. Starts the release server under callgrind, zeroes the counters
# once it answers, runs one import, dumps the counters, and prints the total per row and the
# top functions (inclusive).
#   scripts/profile-import.sh regions  <regions.csv> [rows=10000]
#   scripts/profile-import.sh registry <regions.csv> [rows=2000]     (regions first, not counted)
#   scripts/profile-import.sh backfill <regions.csv> [rows=5000]     (regions first, not counted)
# PILAR_BIN=path skips the build; KEEP=file keeps the callgrind dump; TOP=n top functions. Needs valgrind (apt-get install -y valgrind), curl, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
kind=$1; regions=$2
rows=${3:-$([ "$kind" = regions ] && echo 10000 || echo 2000)}
command -v valgrind >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind; }
bin=${PILAR_BIN:-$PWD/.build-release/release/pilar}
[ -n "${PILAR_BIN:-}" ] || swift build -c release --product pilar --scratch-path .build-release >/dev/null
dir=$(mktemp -d)
port=${PORT:-18590}
base=http://127.0.0.1:$port
"$bin" migrate --db "$dir/p.db" >/dev/null
token=$("$bin" token create --role admin --name profile --db "$dir/p.db" 2>/dev/null | tail -1)
pid=
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
post() { curl -fsS -o "$dir/answer.json" -H "Authorization: Bearer $token" -H 'Content-Type: text/csv' --data-binary @"$1" "$base$2"; head -c 300 "$dir/answer.json"; echo; }
serve() {  # [wrapper...]: start the server, wait until it answers
    "$@" "$bin" serve --db "$dir/p.db" --port "$port" --quiet 2>"$dir/vg.log" &
    pid=$!
    for _ in $(seq 600); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.2; done
}
if [ "$kind" != regions ]; then   # the region register first, at full speed and not counted
    serve
    post "$regions" /v1/regions/import >/dev/null
    kill "$pid"; wait "$pid" 2>/dev/null || true
fi
serve valgrind --tool=callgrind --callgrind-out-file="$dir/cg.out"
case $kind in
    regions)
        head -n $((rows + 1)) "$regions" >"$dir/in.csv"; path=/v1/regions/import ;;
    registry|backfill)
        python3 - "$kind" "$regions" "$rows" "$dir/in.csv" <<'PY'
import csv, random, sys
kind, regions, rows, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
rs = list(csv.DictReader(open(regions, encoding="utf-8")))
rnd = random.Random(7)
with open(out, "w") as f:
    if kind == "registry":
        # PSM persons as scripts/bench-registry.sh makes them: NIKs that agree with sex and birth date.
        desa = [r["code"] for r in rs if r["level"] in ("desa", "kelurahan")]
        f.write("type,name,nik,sex,birth_date,education,region,phone,training_completed_on\n")
        for i in range(rows):
            d = rnd.choice(desa)
            female = rnd.random() < 0.5
            year, month, day = rnd.randint(1960, 2006), rnd.randint(1, 12), rnd.randint(1, 28)
            nik = f"{d[:8].replace('.', '')}{day + (40 if female else 0):02d}{month:02d}{year % 100:02d}{i % 9999 + 1:04d}"
            f.write(f"PSM,Warga {rnd.choice(['Hidayat','Rahman','Saputra','Kusuma'])} {i},{nik},{'female' if female else 'male'},"
                    f"{year}-{month:02d}-{day:02d},SLTA,{d},08{rnd.randint(10**9, 10**10 - 1)},{rnd.randint(2015, 2025)}-0{rnd.randint(1, 9)}-15\n")
    else:
        kec = [r["code"] for r in rs if r["level"] == "kecamatan"]
        cats = ["LUT", "PD", "AT", "AJ", "PGM", "KBA", "FM", "KBTLH", "KR", "PRSE"]
        f.write("kecamatan,period,category,desa,male,female,count\n")
        n = 0
        for k in kec:
            for p in [f"{y}-{m:02d}" for y in (2023, 2024) for m in range(1, 13)]:
                for c in cats:
                    if n == rows: break
                    f.write(f"{k},{p},{c},,,,{n % 40}\n" if c in ("FM", "KBTLH", "KR") else f"{k},{p},{c},,0,{n % 20},\n" if c == "PRSE" else f"{k},{p},{c},,{n % 30},{n % 20},\n")
                    n += 1
PY
        path=$([ "$kind" = registry ] && echo /v1/psks/import || echo /v1/reports/import) ;;
esac
callgrind_control -z "$pid" >/dev/null
post "$dir/in.csv" "$path"
callgrind_control -d "$pid" >/dev/null
sleep 1
dump=$(ls -t "$dir"/cg.out* | grep -v '^'"$dir"'/cg.out$' | head -1)
total=$(callgrind_annotate "$dump" 2>/dev/null | grep -m1 'PROGRAM TOTALS' | awk '{gsub(",", "", $1); print $1}')
[ -z "${KEEP:-}" ] || cp "$dump" "$KEEP"   # KEEP=file keeps the dump for callgrind_annotate
echo "$kind: $rows rows, $total instructions in all, $((total / rows)) per row ($(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg))"
callgrind_annotate --inclusive=yes "$dump" 2>/dev/null | grep -E '^ *[0-9,]+ ' | head -${TOP:-40} | cut -c1-200
