#!/usr/bin/env bash
# The OpenAPI contract checked by a client no one here wrote: schemathesis runs every
# operation of openapi.yaml against a demo server with an admin token, with its default
# checks (no 5xx, responses match their schemas, status codes documented, schema-valid
# requests accepted, schema-invalid ones refused, ...). Exits with schemathesis's status.
# Usage: scripts/contract-test.sh [path/to/pilar]   (default .build/debug/pilar)
# MAX_EXAMPLES=n changes the examples per operation (default 80, about 2 minutes on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-.build/debug/pilar}")
[ -x "$bin" ] || { echo "no pilar binary at $bin (swift build first)"; exit 2; }

if ! command -v schemathesis >/dev/null 2>&1; then
    python3 -m pip install -q schemathesis
fi
st=$(command -v schemathesis || echo "python3 -m schemathesis.cli")

dir=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" serve --demo --db "$dir/c.db" --port "$port" --quiet >"$dir/out.log" 2>"$dir/err.log" &
pid=$!
token=
for _ in $(seq 200); do
    token=$(sed -n -e 's/^Admin token (shown once): //p' -e 's/^Token admin (hanya ditampilkan sekali): //p' "$dir/out.log")
    [ -n "$token" ] && curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.05
done
[ -n "$token" ] || { echo "the server did not start"; cat "$dir/out.log" "$dir/err.log"; exit 1; }

# Auth comes from scripts/contract/hooks.py (the demo admin token, renewed with the CLI once the
# run revokes it through DELETE /v1/tokens/{id}); scripts/contract/schemathesis.toml says which
# statuses a schema-valid request may get where the spec cannot state a rule, and why.
# --workers 1: with 2 workers hypothesis on Python 3.11 hit an internal
# "AST constructor recursion depth mismatch" error. Deterministic generation makes every run
# send the same cases (a failure reproduces run to run); the seed is there for any draw it leaves.
status=0
PYTHONPATH=scripts/contract SCHEMATHESIS_HOOKS=hooks \
PILAR_BIN=$bin PILAR_DB=$dir/c.db PILAR_URL=http://127.0.0.1:$port PILAR_TOKEN=$token \
$st --no-color --config-file scripts/contract/schemathesis.toml run openapi.yaml \
    --url "http://127.0.0.1:$port" \
    --seed 1 --generation-deterministic \
    --workers 1 \
    --max-examples "${MAX_EXAMPLES:-80}" \
    --request-timeout 30 \
    || status=$?
if grep -q '"level":"error"' "$dir/err.log"; then
    echo "server logged errors:"; grep '"level":"error"' "$dir/err.log" | head -20
    [ "$status" -ne 0 ] || status=1
fi
exit "$status"
