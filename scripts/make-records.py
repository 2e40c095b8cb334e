#!/usr/bin/env python3
"""A Pilar database of N registry records (TAGANA volunteers in Kota Cirebon's kecamatan, one
audit entry each, as an import writes them), made in SQL in about a minute, for the recovery
benchmark (scripts/bench-recovery.sh): what it measures depends on the file's size, not on how
the rows came in. `pilar migrate` makes the schema, so the file is what the service opens.

    scripts/make-records.py --db /tmp/million.db --pilar .build/release/pilar [--records 1000000]
"""
import argparse, os, sqlite3, subprocess, time

ap = argparse.ArgumentParser()
ap.add_argument("--db", required=True)
ap.add_argument("--pilar", default=".build/debug/pilar")
ap.add_argument("--records", type=int, default=1_000_000)
args = ap.parse_args()
if os.path.exists(args.db):
    raise SystemExit(f"{args.db} exists; give a new path")
subprocess.run([args.pilar, "migrate", "--db", args.db], check=True, capture_output=True)
started = time.monotonic()
c = sqlite3.connect(args.db)
c.execute("PRAGMA foreign_keys = ON")
with c:
    c.execute("""
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
        INSERT INTO psks (type, name, name_folded, nik, sex, birth_date, education, region, kecamatan,
                          phone, status, registered_on, created_at, updated_at)
        SELECT 'TAGANA', 'Relawan ' || i, 'relawan ' || i, printf('3274%012d', i),
               CASE i % 2 WHEN 0 THEN 'male' ELSE 'female' END,
               printf('19%02d-%02d-%02d', 60 + i % 40, 1 + i % 12, 1 + i % 28), 'SLTA',
               '32.74.0' || (1 + i % 5), '32.74.0' || (1 + i % 5), printf('08%010d', i), 'active',
               '2026-01-01', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'
        FROM n""", (args.records,))
    c.execute("""
        INSERT INTO audit_log (at, token_id, actor, entity, entity_key, action, region, before, after)
        SELECT created_at, NULL, 'cli', 'psks', id, 'create', region, NULL,
               json_object('type', type, 'name', name, 'nik', substr(nik, 1, 6) || '**********', 'region', region)
        FROM psks""")
c.close()
size = os.path.getsize(args.db)
print(f"{args.records} records in {args.db}: {size / 1e6:.0f} MB, made in {time.monotonic() - started:.0f} s")
