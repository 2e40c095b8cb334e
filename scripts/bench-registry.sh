#!/usr/bin/env bash
# PSKS registry benchmark (outside `swift test`): import rows/s for a 200,000-row CSV, then a
# 1,000,000-record register and the p50/p99 of filtered searches against it, over HTTP on a
# release build.
#
#   scripts/bench-registry.sh            # everything (about 10-20 minutes on 2 cores)
#   ROWS=20000 TOTAL=100000 scripts/bench-registry.sh   # a quick run
#
# Needs python3 and curl; regions come from data/regions/regions.csv of this repository. Output and the database go to bench-out/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS=${ROWS:-200000}          # rows per import file
TOTAL=${TOTAL:-1000000}       # records in the register at the end
SEARCHES=${SEARCHES:-2000}    # requests per search shape
PORT=${PORT:-18473}
REGIONS=${REGIONS:-$(dirname "$0")/../data/regions/regions.csv}
SCRATCH=${SCRATCH:-.build-registry}
OUT=bench-out/registry
mkdir -p "$OUT"
# REUSE=1: keep bench-out/registry/bench.db and run only the searches and the export.
REUSE=${REUSE:-0}
[ "$REUSE" = 1 ] || rm -f "$OUT"/bench.db*

echo "== release build"
swift build -c release --scratch-path "$SCRATCH" --product pilar >/dev/null
PILAR="$SCRATCH/release/pilar"

if [ "$REUSE" != 1 ]; then
echo "== generating $((TOTAL / ROWS)) files of $ROWS rows"
python3 - "$REGIONS" "$OUT" "$ROWS" "$TOTAL" <<'PY'
import csv, sys, random
regions, out, rows, total = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
desa = [r["code"] for r in csv.DictReader(open(regions, encoding="utf-8")) if r["level"] in ("desa", "kelurahan")]
rnd = random.Random(7)
first_m = ["Agus", "Budi", "Dedi", "Eko", "Fajar", "Hendra", "Irfan", "Joko", "Rudi", "Slamet", "Wahyu", "Yusuf", "Ahmad", "Muhammad"]
first_f = ["Siti", "Dewi", "Nur", "Rina", "Sri", "Yuni", "Wati", "Lina", "Euis", "Ani", "Ratna", "Neneng", "Ayu", "Putri"]
last = ["Suryadi", "Hidayat", "Rahman", "Saputra", "Kusuma", "Permana", "Wijaya", "Nugraha", "Hakim", "Setiawan",
        "Pratama", "Gunawan", "Maulana", "Kurniawan", "Hermawan", "Santoso", "Lestari", "Susanti", "Wulandari"]
edu = ["SD", "SLTP", "SLTA", "SLTA", "SLTA", "D3", "S1"]
seen = set()
n = 0
for f in range(total // rows):
    with open(f"{out}/psks-{f}.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["type", "name", "nik", "sex", "birth_date", "education", "region", "phone", "training_completed_on"])
        for _ in range(rows):
            n += 1
            d = desa[rnd.randrange(len(desa))]
            female = rnd.random() < 0.5
            tagana = rnd.random() < 0.3
            year = rnd.randint(1988, 2006) if tagana else rnd.randint(1960, 2006)
            month, day = rnd.randint(1, 12), rnd.randint(1, 28)
            kec = d[:8].replace(".", "")
            serial = rnd.randint(1, 9999)
            while True:
                nik = f"{kec}{day + (40 if female else 0):02d}{month:02d}{year % 100:02d}{serial:04d}"
                if nik not in seen:
                    break
                serial = serial % 9999 + 1
            seen.add(nik)
            name = f"{rnd.choice(first_f if female else first_m)} {rnd.choice(last)}"
            w.writerow(["TAGANA" if tagana else "PSM", name, nik, "female" if female else "male",
                        f"{year}-{month:02d}-{day:02d}", rnd.choice(edu), d, f"08{rnd.randint(10**9, 10**10 - 1)}",
                        "" if tagana else f"{rnd.randint(2015, 2025)}-0{rnd.randint(1, 9)}-15"])
PY

fi

TOKEN=$("$PILAR" token create --role admin --name bench --db "$OUT/bench.db" 2>/dev/null)
"$PILAR" serve --db "$OUT/bench.db" --port "$PORT" --quiet 2>"$OUT/server.log" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

if [ "$REUSE" != 1 ]; then
echo "== regions"
curl -sS -o "$OUT/regions.json" -w "regions import: HTTP %{http_code} in %{time_total}s\n" \
  -H "Authorization: Bearer $TOKEN" -H 'Content-Type: text/csv' --data-binary @"$REGIONS" \
  "http://127.0.0.1:$PORT/v1/regions/import"

echo "== imports"
for f in "$OUT"/psks-*.csv; do
  curl -sS -o "$OUT/import.json" -w "%{http_code} %{time_total}\n" -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: text/csv' --data-binary @"$f" "http://127.0.0.1:$PORT/v1/psks/import" > "$OUT/import.time"
  read -r code secs < "$OUT/import.time"
  python3 -c "import json,sys; s=json.load(open('$OUT/import.json')); r=$ROWS/float('$secs'); print(f'$(basename "$f"): HTTP $code created={s[\"created\"]} rejected={s[\"rejected\"]} in {float(\"$secs\"):.1f}s = {r:,.0f} rows/s')"
done
fi
ls -l "$OUT/bench.db" | awk '{printf "database: %.0f MB\n", $5/1048576}'

echo "== searches ($SEARCHES each, admin token, one keep-alive connection)"
python3 - "$PORT" "$TOKEN" "$SEARCHES" "$REGIONS" <<'PY'
import http.client, json, random, sys, time, csv
port, token, n, regions = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
rows = list(csv.DictReader(open(regions, encoding="utf-8")))
kab = [r["code"] for r in rows if r["level"] in ("kabupaten", "kota")]
kec = [r["code"] for r in rows if r["level"] == "kecamatan"]
prov = [r["code"] for r in rows if r["level"] == "provinsi"]
rnd = random.Random(11)
conn = http.client.HTTPConnection("127.0.0.1", port)
H = {"Authorization": "Bearer " + token}
def get(path):
    t = time.perf_counter()
    conn.request("GET", path, headers=H)
    r = conn.getresponse()
    body = r.read()
    dt = time.perf_counter() - t
    assert r.status == 200, (path, r.status, body[:200])
    return dt, json.loads(body)
shapes = {
    "type=PSM&region=<kabkota>&limit=50": lambda: f"/v1/psks?type=PSM&region={rnd.choice(kab)}&limit=50",
    "type=TAGANA&status=active&region=<provinsi>&limit=50": lambda: f"/v1/psks?type=TAGANA&status=active&region={rnd.choice(prov)}&limit=50",
    "region=<kecamatan>&education=SLTA&limit=50": lambda: f"/v1/psks?region={rnd.choice(kec)}&education=SLTA&limit=50",
    "q=<name prefix>&region=<provinsi>&limit=50": lambda: f"/v1/psks?q={rnd.choice(['siti','budi%20s','dewi%20l','ahmad','nur%20h','rina'])}&region={rnd.choice(prov)}&limit=50",
}
for name, make in shapes.items():
    for _ in range(20): get(make())  # warm up
    times = sorted(get(make())[0] for _ in range(n))
    p = lambda q: times[min(len(times) - 1, int(q * len(times)))] * 1000
    print(f"{name}: p50 {p(0.50):.2f} ms, p99 {p(0.99):.2f} ms, max {times[-1]*1000:.2f} ms ({n} requests)")
# A deep page: follow next_cursor 40 pages into one province's PSM.
path = f"/v1/psks?type=PSM&region=32&limit=100"
deep = []
for _ in range(40):
    dt, body = get(path)
    deep.append(dt)
    if not body["next_cursor"]: break
    path = f"/v1/psks?type=PSM&region=32&limit=100&cursor={body['next_cursor']}"
print(f"pages 1..40 of type=PSM&region=32&limit=100: first {deep[0]*1000:.2f} ms, 40th {deep[-1]*1000:.2f} ms")
PY

echo "== export (streamed) of one province"
curl -sS -o "$OUT/export.csv" -w "export region=32: HTTP %{http_code}, %{size_download} bytes in %{time_total}s\n" \
  -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/v1/psks/export?region=32"
wc -l < "$OUT/export.csv" | awk '{print "rows (with header):", $1}'
