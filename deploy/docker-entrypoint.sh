#!/bin/sh
# The Docker image's entry: Pilar under Litestream when a replica is configured, plainly otherwise.
#   LITESTREAM_REPLICA_URL=file:///backup/pilar or s3://bucket/pilar   -> deploy/litestream.yml
#   LITESTREAM_CONFIG=/path/to/litestream.yml (mounted)                 -> that file
# With a replica and no database yet (a new machine), the database is first restored from the
# replica; an existing database is never overwritten. Arguments are pilar's (default: serve);
# only `serve` runs under Litestream: other commands (token create, backup, restore-check) run
# plainly, so a second Litestream never replicates the same file.
set -eu
[ $# -gt 0 ] || set -- serve
config=${LITESTREAM_CONFIG:-}
if [ -z "$config" ] && [ -n "${LITESTREAM_REPLICA_URL:-}" ]; then
    config=${PILAR_SHARE:-/usr/local/share/pilar}/litestream.yml
fi
if [ -z "$config" ] || [ "$1" != serve ]; then
    exec pilar "$@"
fi
: "${PILAR_DB:?PILAR_DB must name the database file}"
litestream restore -config "$config" -if-db-not-exists -if-replica-exists "$PILAR_DB"
# -exec runs pilar as Litestream's child: Pilar sees that and leaves checkpoints to Litestream,
# and Litestream stops (after a last sync) when pilar stops. Arguments are quoted for its parser.
command="pilar"
for arg in "$@"; do command="$command '$arg'"; done
exec litestream replicate -config "$config" -exec "$command"
