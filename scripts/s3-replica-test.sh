#!/usr/bin/env bash
# deploy/litestream-s3.yml against an S3-compatible store on loopback (moto's S3 server from PyPI,
# standing in for MinIO, which neither Debian nor PyPI packages): Pilar started by the Docker
# entrypoint with LITESTREAM_CONFIG, a write, the process group killed with SIGKILL, a restore
# from the bucket to a new path holding the write, and `pilar restore-check` with the bucket URL.
# Usage: scripts/s3-replica-test.sh [pilar binary]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-.build/debug/pilar}")
command -v moto_server >/dev/null || python3 -m pip install -q --disable-pip-version-check "moto[server]"
PATH="$PATH:$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')"   # where pip put it
# A CA bundle meant for other tools makes Litestream's AWS client refuse a plain-HTTP endpoint.
unset AWS_CA_BUNDLE
dir=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 -- "-$p" 2>/dev/null || kill -9 "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
s3port=$(free_port); port=$(free_port)

setsid moto_server -H 127.0.0.1 -p "$s3port" >"$dir/s3.log" 2>&1 & pids+=($!)
export LITESTREAM_ENDPOINT=http://127.0.0.1:$s3port LITESTREAM_BUCKET=pilar-replica LITESTREAM_REGION=us-east-1
export LITESTREAM_ACCESS_KEY_ID=test LITESTREAM_SECRET_ACCESS_KEY=test LITESTREAM_METRICS_ADDR=
python3 - <<'PY'
import os, time, boto3
for _ in range(100):
    try:
        boto3.client("s3", endpoint_url=os.environ["LITESTREAM_ENDPOINT"], region_name="us-east-1",
                     aws_access_key_id="test", aws_secret_access_key="test").create_bucket(Bucket="pilar-replica")
        break
    except Exception:
        time.sleep(0.1)
else:
    raise SystemExit("the S3 server did not start")
PY

export PILAR_DB=$dir/pilar.db PILAR_PORT=$port LITESTREAM_CONFIG=$PWD/deploy/litestream-s3.yml PATH=$(dirname "$bin"):$PATH
"$bin" migrate >/dev/null
token=$("$bin" token create --role admin --name s3-test 2>/dev/null)
setsid deploy/docker-entrypoint.sh serve --quiet >"$dir/server.log" 2>&1 & server=$!; pids+=($server)
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
       --data '{"pmks":[{"category":"FM","count":7}]}' "http://127.0.0.1:$port/v1/reports/32.74.02/2000-07")
[[ $code == 2* ]] || { echo "PUT answered $code"; cat "$dir/server.log"; exit 1; }
sleep 4   # more than sync interval + margin (recovery-test.py)
kill -9 -- "-$server"

litestream restore -config "$LITESTREAM_CONFIG" -o "$dir/restored.db" "$PILAR_DB"
fm=$(sqlite3 "$dir/restored.db" "SELECT content FROM report_versions v JOIN reports r ON r.id = v.report_id
     WHERE r.kecamatan = '32.74.02' AND r.period = '2000-07'" | grep -o '"count":[0-9]*' | cut -d: -f2)
ic=$(sqlite3 "$dir/restored.db" 'PRAGMA integrity_check')
[ "$fm" = 7 ] && [ "$ic" = ok ] || { echo "restore from the bucket: FM '$fm', integrity '$ic'"; grep -v compaction "$dir/server.log"; exit 1; }
"$bin" restore-check --from "s3://pilar-replica/pilar?endpoint=$LITESTREAM_ENDPOINT&forcePathStyle=true&region=us-east-1" \
    --db "$PILAR_DB" >"$dir/check.log" || { cat "$dir/check.log"; exit 1; }
grep -q 'integrity_check: ok' "$dir/check.log"
echo "S3-compatible replica: the write acknowledged before the kill restored from the bucket, integrity ok, restore-check ok"
