#!/usr/bin/env python3
"""Fill a Pilar database with the whole country, for the dashboard benchmark.

    scripts/generate-national.py --db /tmp/national.db [--pilar .build-stats/release/pilar]
                                 [--months 36] [--end 2026-10] [--seed 1]

1. `pilar migrate` creates the schema (so the file is exactly what the service opens).
2. All regions of data/regions/regions.csv (this repository's copy of the national list).
3. For every kecamatan and each of the months ending at --end: a verified TKSK report (as the
   CSV backfill would store it: reports, report_versions, report_events, and the flat
   report_pmks_lines / report_psks_counts rows), every active PMKS category with plausible
   counts, PSKS counts for every type; about 1 in 12 submitted late.
4. A registry: one active TKSK per kecamatan and a few Karang Taruna / LKS.
5. Capacity building: PSM in most desa/kelurahan, trainings per kabupaten/kota and year with
   participants, PSM berprestasi awards (for GET /v1/stats/capacity).

The rows go through the same tables the service writes, so the triggers of 0004_stats.sql
fill the rollups as they would in production; at the end the script checks the rollup
totals against a plain SUM over the raw lines.
"""
import argparse, csv, json, os, random, sqlite3, subprocess, sys, time, zlib

REGIONS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "regions", "regions.csv")


def months_back(end, n):
    y, m = map(int, end.split("-"))
    out = []
    for _ in range(n):
        out.append(f"{y:04d}-{m:02d}")
        m -= 1
        if m == 0:
            y, m = y - 1, 12
    return list(reversed(out))


def due_at(period):
    # DueDatePolicy default: the 10th of the next month, 23:59:59 WIB (16:59:59Z).
    y, m = map(int, period.split("-"))
    y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return f"{y:04d}-{m:02d}-10T16:59:59.000Z"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True)
    ap.add_argument("--pilar", default=".build-stats/release/pilar")
    ap.add_argument("--regions", default=os.path.normpath(REGIONS))
    ap.add_argument("--months", type=int, default=36)
    ap.add_argument("--end", default="2026-10")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    if os.path.exists(a.db):
        sys.exit(f"{a.db} exists; give a new file")
    t0 = time.time()
    subprocess.run([a.pilar, "migrate", "--db", a.db], check=True, stdout=subprocess.DEVNULL)
    rnd = random.Random(a.seed)
    db = sqlite3.connect(a.db, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA cache_size = -1000000")

    # Regions, parents first (the file lists them in tree order).
    kecamatan = []
    with open(a.regions, newline="", encoding="utf-8") as f:
        rows = [(r["code"], r["name"], r["level"], r["parent_code"] or None) for r in csv.DictReader(f)]
    db.execute("BEGIN")
    db.executemany("INSERT INTO regions (code, name, level, parent_code) VALUES (?, ?, ?, ?) "
                   "ON CONFLICT (code) DO UPDATE SET name = excluded.name", rows)
    db.execute("COMMIT")
    kecamatan = [r[0] for r in rows if r[2] == "kecamatan"]
    desa = {}
    for r in rows:
        if r[2] in ("desa", "kelurahan"):
            desa.setdefault(r[3], []).append(r[0])
    print(f"regions: {len(rows)} ({len(kecamatan)} kecamatan) in {time.time() - t0:.1f}s", file=sys.stderr)

    cats = db.execute("SELECT code, unit, women_only FROM pmks_categories WHERE active = 1 ORDER BY rowid").fetchall()
    types = [r[0] for r in db.execute("SELECT code FROM psks_types WHERE active = 1 ORDER BY position")]
    periods = months_back(a.end, a.months)

    # A kecamatan's level per category (some places have many street children, some none),
    # drifting a little month to month.
    next_id = 1
    for i, period in enumerate(periods):
        t = time.time()
        reports, versions, events, lines, counts = [], [], [], [], []
        for kec in kecamatan:
            krnd = random.Random(zlib.crc32(f"{a.seed}/{kec}".encode()))
            late = rnd.random() < 1 / 12
            due = due_at(period)
            day = 11 + rnd.randrange(10) if late else 1 + rnd.randrange(10)
            y, m = map(int, due[:7].split("-"))
            submitted = f"{y:04d}-{m:02d}-{day:02d}T0{rnd.randrange(10)}:00:00.000Z"
            verified = f"{y:04d}-{m:02d}-{min(day + 2, 28):02d}T03:00:00.000Z"
            pmks, psks = [], []
            for code, unit, women in cats:
                base = krnd.choice([0, 1, 2, 5, 10, 25, 60, 150])
                n = max(0, int(base * (0.9 + 0.2 * rnd.random())))
                if unit == "person":
                    female = n // 2 + rnd.randrange(2) if n else 0
                    male = 0 if women else max(0, n - female)
                    pmks.append({"category": code, "male": male, "female": female})
                    lines.append((next_id, kec, period, "verified", code, None, male, female, None, 1))
                else:
                    pmks.append({"category": code, "count": n})
                    lines.append((next_id, kec, period, "verified", code, None, None, None, n, 1))
            for code in types:
                n = krnd.choice([0, 1, 1, 2, 3, 5, 8])
                psks.append({"type": code, "count": n})
                counts.append((next_id, kec, period, "verified", code, n))
            content = json.dumps({"pmks": pmks, "psks": sorted(psks, key=lambda p: p["type"]), "activities": [],
                                  "notes": {"kendala": None, "tindak_lanjut": None}}, separators=(",", ":"))
            reports.append((next_id, kec, period, "verified", due, submitted, verified, int(late), submitted,
                            "generator", verified, "generator", "generator", "generator"))
            versions.append((next_id, content, submitted))
            events.append((next_id, verified))
            next_id += 1
        db.execute("BEGIN")
        db.executemany("""INSERT INTO reports (id, kecamatan, period, status, version, due_at, submitted_at, verified_at,
                          late, created_at, created_by, updated_at, updated_by, submitted_by, verified_by, source)
                          VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'import')""", reports)
        db.executemany("INSERT INTO report_versions (report_id, version, content, created_at, created_by) "
                       "VALUES (?, 1, ?, ?, 'generator')", versions)
        db.executemany("INSERT INTO report_events (report_id, version, action, status, at, actor) "
                       "VALUES (?, 1, 'imported', 'verified', ?, 'generator')", events)
        db.executemany("""INSERT INTO report_pmks_lines (report_id, kecamatan, period, status, category, desa, male,
                          female, count, in_total) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", lines)
        db.executemany("INSERT INTO report_psks_counts (report_id, kecamatan, period, status, type, count) "
                       "VALUES (?, ?, ?, ?, ?, ?)", counts)
        db.execute("COMMIT")
        print(f"{period}: {len(reports)} reports, {len(lines)} lines in {time.time() - t:.1f}s", file=sys.stderr)

    # Registry: a TKSK per kecamatan, Karang Taruna in some desa, LKS per kabupaten/kota.
    now = "2026-01-01T00:00:00.000Z"
    records = []
    for kec in kecamatan:
        records.append(("TKSK", f"TKSK {kec}", kec, kec))
        for d in desa.get(kec, [])[: rnd.randrange(4)]:
            records.append(("KARTAR", f"Karang Taruna {d}", d, kec))
    for code, _, level, _ in rows:
        if level in ("kabupaten", "kota"):
            records += [("LKS", f"LKS {code} {j}", code, None) for j in range(rnd.randrange(1, 4))]
    db.execute("BEGIN")
    db.executemany("""INSERT INTO psks (type, name, name_folded, region, kecamatan, status, registered_on, created_at,
                      updated_at) VALUES (?, ?, lower(?), ?, ?, 'active', '2024-01-01', ?, ?)""",
                   [(t, n, n, r, k, now, now) for t, n, r, k in records])
    db.execute("COMMIT")

    # Capacity building (issue 7, GET /v1/stats/capacity): PSM in about 4 of 5 desa/kelurahan
    # (a third with an attested training date), a few trainings per kabupaten/kota and year
    # 2022-2026 (1 in 15 cancelled), half the PSM taking part (3 in 4 completing), 1 in 20 awarded.
    psm = []
    for kec in kecamatan:
        for d in desa.get(kec, []):
            if rnd.random() < 0.8:
                for j in range(rnd.choice((1, 1, 2))):
                    trained = f"20{rnd.randrange(15, 26)}-0{rnd.randrange(1, 10)}-15" if rnd.random() < 0.33 else None
                    psm.append(("PSM", f"PSM {d} {j}", d, kec, trained))
    db.execute("BEGIN")
    db.executemany("""INSERT INTO psks (type, name, name_folded, region, kecamatan, status, registered_on,
                      training_completed_on, created_at, updated_at)
                      VALUES (?, ?, lower(?), ?, ?, 'active', '2020-01-01', ?, ?, ?)""",
                   [(t, n, n, r, k, tr, now, now) for t, n, r, k, tr in psm])
    kabkota = [code for code, _, level, _ in rows if level in ("kabupaten", "kota")]
    events = []
    for year in range(2022, 2027):
        for code in kabkota:
            for _ in range(rnd.randrange(1, 4)):
                m = rnd.randrange(1, 12)
                events.append(("PELATIHAN_DASAR_PSM", f"Pelatihan Dasar PSM {code} {year}", "kabkota", code,
                               f"{year}-{m:02d}-10", f"{year}-{m:02d}-14", "cancelled" if rnd.random() < 1 / 15 else "scheduled"))
    db.executemany("""INSERT INTO trainings (programme, title, level, region, starts_on, ends_on, status, created_at, updated_at)
                      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""", [e + (now, now) for e in events])
    by_kab = {}
    for tid, region in db.execute("SELECT id, region FROM trainings"):
        by_kab.setdefault(region, []).append(tid)
    parts, awards = [], []
    for pid, region in db.execute("SELECT id, region FROM psks WHERE type = 'PSM'"):
        if rnd.random() < 0.5 and by_kab.get(region[:5]):
            done = rnd.random() < 0.75
            parts.append((rnd.choice(by_kab[region[:5]]), pid, 1, int(done), now, now))
        if rnd.random() < 0.05:
            awards.append((pid, "PSM_BERPRESTASI", rnd.choice(("kabkota", "provinsi", "nasional")), rnd.randrange(2022, 2027), now))
    db.executemany("INSERT INTO training_participants (training_id, psks_id, attended, completed, created_at, updated_at) "
                   "VALUES (?, ?, ?, ?, ?, ?)", parts)
    db.executemany("INSERT INTO psks_awards (psks_id, award, level, year, created_at) VALUES (?, ?, ?, ?, ?)", awards)
    db.execute("COMMIT")
    print(f"capacity: {len(psm)} PSM, {len(events)} trainings, {len(parts)} participants, {len(awards)} awards", file=sys.stderr)

    # The rollups must equal the raw sums.
    raw = db.execute("SELECT period, sum(coalesce(male, 0) + coalesce(female, 0) + coalesce(count, 0)) FROM report_pmks_lines "
                     "WHERE in_total = 1 AND status = 'verified' GROUP BY period ORDER BY period").fetchall()
    for depth in (1, 2, 3):
        rolled = db.execute("SELECT period, sum(v_total) FROM stats_pmks WHERE depth = ? GROUP BY period ORDER BY period",
                            (depth,)).fetchall()
        if rolled != raw:
            sys.exit(f"rollup at depth {depth} does not match the raw lines")
    active = db.execute("SELECT count(*) FROM psks WHERE status = 'active'").fetchone()[0]
    if db.execute("SELECT sum(subtree) FROM stats_psks WHERE depth = 1").fetchone()[0] != active:
        sys.exit("registry rollup does not match")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    print(f"done: {next_id - 1} reports, {len(records)} registry records, rollups verified, "
          f"{os.path.getsize(a.db) / 1e9:.2f} GB in {time.time() - t0:.0f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
