#!/usr/bin/env bash
# Recovery point and recovery time on a large database (docs/OPERATIONS.md section 9): makes a
# database of RECORDS registry records (scripts/make-records.py, kept in bench-out/recovery/ for
# reruns), then runs scripts/recovery-test.py on a copy of it: Pilar under Litestream with a
# file replica, writers running, KILLS SIGKILLs, each followed by a timed restore,
# integrity_check and pilar start.
#
#   scripts/bench-recovery.sh                      # 1,000,000 records, 3 kills (~15 min on 2 cores)
#   RECORDS=100000 KILLS=2 scripts/bench-recovery.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RECORDS=${RECORDS:-1000000}
KILLS=${KILLS:-3}
PILAR_BIN=${PILAR_BIN:-.build/debug/pilar}
[ -x "$PILAR_BIN" ] || swift build --product pilar >/dev/null
out=bench-out/recovery
mkdir -p "$out"
seed=$out/records-$RECORDS.db
[ -f "$seed" ] || python3 scripts/make-records.py --db "$seed" --pilar "$PILAR_BIN" --records "$RECORDS"
echo "== $(date -u +%FT%TZ), load: $(cut -d' ' -f1-3 /proc/loadavg), litestream $(litestream version)"
python3 scripts/recovery-test.py --kills "$KILLS" --bin "$PILAR_BIN" --seed-db "$seed"
