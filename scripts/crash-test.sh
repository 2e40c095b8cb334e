#!/usr/bin/env bash
# Durability of writes: concurrent curl clients PUT and submit TKSK reports, create registry
# records and import 50-record CSV files, recording every 2xx; the server is killed with SIGKILL
# at a random moment, restarted, and every acknowledged write must be there with the
# acknowledged numbers, with no half-written report (current version present, flat lines equal
# to its content), no half import (0 or 50 rows) and a clean PRAGMA integrity_check.
# Repeats for N kills (up to 28).
# Usage: scripts/crash-test.sh [kills=3] [writers=8]
set -euo pipefail
cd "$(dirname "$0")/.."
kills=${1:-3}
writers=${2:-8}
# PILAR_BIN=path skips the build (e.g. a binary built from a snapshot while others edit the tree).
bin=${PILAR_BIN:-$PWD/.build-reports-release/release/pilar}
[ -n "${PILAR_BIN:-}" ] || swift build -c release --product pilar --scratch-path .build-reports-release >/dev/null 2>&1
dir=$(mktemp -d)
db=$dir/crash.db
port=${PORT:-18181}
base=http://127.0.0.1:$port
pid=
cleanup() { [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT

"$bin" migrate --db "$db" >/dev/null
token=$("$bin" token create --role admin --name crash-test --db "$db" | tail -1)

start() {
    "$bin" serve --db "$db" --port "$port" --quiet >>"$dir/server.log" 2>&1 &
    pid=$!
    for _ in $(seq 100); do curl -fs "$base/healthz" >/dev/null && return; sleep 0.05; done
    echo "server did not start"; cat "$dir/server.log"; exit 1
}

# One writer: its own kecamatan and a run of periods; per report several saves (FM count = the
# save's sequence number; saved within minutes, they are one version), then a submit.
# Appends "tryput kec period fm" before each save and "put kec period version fm" after a 2xx.
writer() {
    local w=$1 round=$2 out=$dir/acks.$round.$w
    local kec=32.74.0$(( w % 5 + 1 ))
    local y=$(( 2000 + round * 2 + w / 5 ))   # distinct (kecamatan, year) per writer and round
    for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
        for i in 1 2 3 4; do
            local body="{\"pmks\":[{\"category\":\"FM\",\"count\":$i},{\"category\":\"LUT\",\"male\":$w,\"female\":$i}]}"
            local code
            echo "tryput $kec $y-$m $i" >>"$out"
            code=$(curl -s -o "$dir/resp.$w" -w '%{http_code}' -X PUT -H "Authorization: Bearer $token" \
                   -H 'Content-Type: application/json' --data "$body" "$base/v1/reports/$kec/$y-$m" 2>/dev/null) || return 0
            if [[ $code == 2* ]]; then
                local v; v=$(grep -o '"version":[0-9]*' "$dir/resp.$w" | head -1 | cut -d: -f2)
                echo "put $kec $y-$m $v $i" >>"$out"
            fi
        done
        code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $token" \
               -H "Idempotency-Key: crash-$kec-$y-$m" "$base/v1/reports/$kec/$y-$m/submit" 2>/dev/null) || return 0
        [[ $code == 2* ]] && echo "submit $kec $y-$m" >>"$out"
    done
}

# Registry creates: one TAGANA record per request (NIK unique per round and serial); appends
# "psks id nik" for every 201.
registrar() {
    local round=$1 out=$dir/acks.$round.registry
    local day; day=$(printf %02d "$round")
    for i in $(seq 1 400); do
        local nik; nik=327403${day}0190$(printf %04d "$i")
        local code
        code=$(curl -s -o "$dir/resp.reg" -w '%{http_code}' -X POST -H "Authorization: Bearer $token" \
               -H 'Content-Type: application/json' "$base/v1/psks" --data \
               "{\"type\":\"TAGANA\",\"name\":\"Relawan $round $i\",\"nik\":\"$nik\",\"sex\":\"male\",\"birth_date\":\"1990-01-$day\",\"education\":\"SLTA\",\"region\":\"32.74.03\"}" \
               2>/dev/null) || return 0
        if [[ $code == 201 ]]; then
            echo "psks $(grep -o '"id":[0-9]*' "$dir/resp.reg" | head -1 | cut -d: -f2) $nik" >>"$out"
        fi
    done
}

# Imports of 50 records each (all or nothing): appends "try R J" before and "import R J" after a 200.
importer() {
    local round=$1 out=$dir/acks.$round.import
    local day; day=$(printf %02d "$round")
    for j in $(seq 10 99); do
        local csv=$dir/import.$round.$j.csv
        echo "name,nik,sex,birth_date,education,region" >"$csv"
        for k in $(seq 10 59); do
            echo "Impor r$round j$j k$k,327403${day}0195${j}${k},male,1995-01-$day,SLTA,32.74.03" >>"$csv"
        done
        echo "try $round $j" >>"$out"
        local code
        code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" -H 'Content-Type: text/csv' \
               --data-binary @"$csv" "$base/v1/psks/import?type=TAGANA" 2>/dev/null) || return 0
        [[ $code == 200 ]] && echo "import $round $j" >>"$out"
    done
}

verify() {
    cat "$dir"/acks.* 2>/dev/null >"$dir/all-acks" || true
    TOKEN=$token BASE=$base DB=$db ACKS=$dir/all-acks python3 - <<'EOF'
import json, os, sqlite3, urllib.request
db = sqlite3.connect(os.environ["DB"])
def get(path):
    req = urllib.request.Request(os.environ["BASE"] + path, headers={"Authorization": "Bearer " + os.environ["TOKEN"]})
    with urllib.request.urlopen(req) as r:
        return json.load(r)
acks = [l.split() for l in open(os.environ["ACKS"]) if l.strip()]
latest, submitted, problems = {}, set(), []
created = tried = imported = 0
# Drafts saved again within minutes by the same token replace their version in place
# (ReportLimits): an acknowledged save must be there unless a later acknowledged save of the
# same version replaced it, so each version is checked against its last acknowledged content.
# A save in flight at the kill may have been committed without its answer reaching the client;
# it may have replaced the acknowledged content of the same version, so the content may also be
# that of a save tried after the last acknowledged one (each writer saves one at a time).
last_put = {tuple(a[1:4]): i for i, a in enumerate(acks) if a[0] == "put"}
tried_after = {}
for i, a in enumerate(acks):
    if a[0] == "tryput":
        tried_after.setdefault((a[1], a[2]), []).append((i, int(a[3])))
for i, a in enumerate(acks):
    if a[0] == "tryput":
        continue
    if a[0] == "put" and last_put[tuple(a[1:4])] != i:
        continue
    if a[0] == "psks":
        created += 1
        row = db.execute("SELECT nik, status FROM psks WHERE id = ?", (int(a[1]),)).fetchone()
        if row is None or row[0] != a[2]:
            problems.append(f"acknowledged registry record {a[1]} ({a[2]}) is missing or changed: {row}")
        continue
    if a[0] in ("try", "import"):
        n = db.execute("SELECT count(*) FROM psks WHERE name LIKE ?", (f"Impor r{a[1]} j{a[2]} k%",)).fetchone()[0]
        if a[0] == "try":
            tried += 1
            if n not in (0, 50):
                problems.append(f"import r{a[1]} j{a[2]} is half there: {n} of 50 rows")
        else:
            imported += 1
            if n != 50:
                problems.append(f"acknowledged import r{a[1]} j{a[2]} has {n} of 50 rows")
        continue
    if a[0] == "put":
        _, kec, period, version, fm = a
        row = db.execute("""SELECT v.content FROM report_versions v JOIN reports r ON r.id = v.report_id
                            WHERE r.kecamatan = ? AND r.period = ? AND v.version = ?""", (kec, period, int(version))).fetchone()
        if row is None:
            problems.append(f"acknowledged {kec} {period} v{version} is missing")
            continue
        pm = {l["category"]: l for l in json.loads(row[0])["pmks"]}
        later = {f for j, f in tried_after.get((kec, period), []) if j > i}
        if pm.get("FM", {}).get("count") not in {int(fm)} | later:
            problems.append(f"{kec} {period} v{version}: FM {pm.get('FM')} != acknowledged {fm}")
        latest[(kec, period)] = max(latest.get((kec, period), 0), int(version))
    else:
        submitted.add((a[1], a[2]))
for (kec, period), version in latest.items():
    r = get(f"/v1/reports/{kec}/{period}")
    if r["version"] < version:
        problems.append(f"GET {kec} {period}: version {r['version']} < acknowledged {version}")
for kec, period in submitted:
    r = get(f"/v1/reports/{kec}/{period}")
    if r["status"] != "submitted":
        problems.append(f"acknowledged submit of {kec} {period} lost: {r['status']}")
# No half-written report: the current version exists and the flat lines match its content.
for rid, kec, period, version in db.execute("SELECT id, kecamatan, period, version FROM reports"):
    row = db.execute("SELECT content FROM report_versions WHERE report_id = ? AND version = ?", (rid, version)).fetchone()
    if row is None:
        problems.append(f"{kec} {period}: current version {version} has no content"); continue
    n = len(json.loads(row[0])["pmks"])
    lines = db.execute("SELECT count(*) FROM report_pmks_lines WHERE report_id = ?", (rid,)).fetchone()[0]
    status = db.execute("SELECT count(*) FROM report_pmks_lines l JOIN reports r ON r.id = l.report_id WHERE r.id = ? AND l.status != r.status", (rid,)).fetchone()[0]
    if lines != n or status:
        problems.append(f"{kec} {period}: {lines} flat lines for {n} in the content, {status} with a stale status")
reports = db.execute("SELECT count(*) FROM reports").fetchone()[0]
print(f"  acknowledged: {len(latest)} reports ({sum(1 for a in acks if a[0] == 'put')} versions), {len(submitted)} submits, "
      f"{created} registry creates, {imported} of {tried} imports (50 rows each); {reports} reports in the database")
for p in problems[:20]: print("  PROBLEM:", p)
raise SystemExit(1 if problems else 0)
EOF
    local ic; ic=$(sqlite3 "$db" 'PRAGMA integrity_check')
    echo "  integrity_check: $ic"
    [ "$ic" = ok ]
}

for round in $(seq 1 "$kills"); do
    start
    for w in $(seq 0 $(( writers - 1 ))); do writer "$w" "$round" & done
    registrar "$round" &
    importer "$round" &
    sleep "$(python3 -c 'import random; print(round(random.uniform(0.5, 3.0), 2))')"
    kill -9 "$pid"
    wait "$pid" 2>/dev/null || true
    pid=
    wait 2>/dev/null || true   # the writers stop at their first refused connection
    echo "round $round: killed the server with SIGKILL while $writers clients wrote; restarting"
    start
    verify
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
done
echo "crash test passed: $kills kills, every acknowledged version present, nothing half-written"
