#!/usr/bin/env bash
# Durability of report writes: concurrent curl writers PUT and submit TKSK reports, recording
# every 2xx; the server is killed with SIGKILL at a random moment, restarted, and every
# acknowledged version must be there with the acknowledged numbers, with no half-written
# report (current version present, flat lines equal to its content) and a clean
# PRAGMA integrity_check. Repeats for N kills.
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

# One writer: its own kecamatan and a run of periods; per report several versions (FM count =
# the version's sequence number), then a submit. Appends "ack kec period version fm" lines.
writer() {
    local w=$1 round=$2 out=$dir/acks.$round.$w
    local kec=32.74.0$(( w % 5 + 1 ))
    local y=$(( 2000 + round * 2 + w / 5 ))   # distinct (kecamatan, year) per writer and round
    for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
        for i in 1 2 3 4; do
            local body="{\"pmks\":[{\"category\":\"FM\",\"count\":$i},{\"category\":\"LUT\",\"male\":$w,\"female\":$i}]}"
            local code
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
for a in acks:
    if a[0] == "put":
        _, kec, period, version, fm = a
        row = db.execute("""SELECT v.content FROM report_versions v JOIN reports r ON r.id = v.report_id
                            WHERE r.kecamatan = ? AND r.period = ? AND v.version = ?""", (kec, period, int(version))).fetchone()
        if row is None:
            problems.append(f"acknowledged {kec} {period} v{version} is missing")
            continue
        pm = {l["category"]: l for l in json.loads(row[0])["pmks"]}
        if pm.get("FM", {}).get("count") != int(fm):
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
print(f"  {len(acks)} acknowledged writes ({len(latest)} reports, {len(submitted)} submits) checked; {reports} reports in the database")
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
