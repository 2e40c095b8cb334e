#!/usr/bin/env bash
# Long form of the hostile-client suite (issue 12): every test that runs an attack under
# `Hostile.attack` (Tests/PilarAPITests/HostileHarness.swift) for SECONDS with twice its
# connections, on a release build, each test in its own process. In the long form the harness
# serves each attack from `pilar-test-server` in a process of its own, so the peak resident
# memory reported (VmHWM) is the server's alone, not its attackers'. The server keeps its
# default limits except 8 handler threads where the test sets them (the service's default on
# 2 cores). Each test fails on a normal-client timeout, a p99 over 1 s, a server peak over
# PILAR_HOSTILE_MAX_RSS_MB or /metrics growth; the HOSTILE lines (normal-client p50/p99 per
# attack, server peak RSS) go to standard output.
# Usage: scripts/hostile.sh [seconds=25] [filter=.]   (filter: a regex on Class/testMethod)
set -euo pipefail
cd "$(dirname "$0")/.."
export PILAR_HOSTILE_SECONDS=${1:-25}
filter=${2:-.}
export PILAR_HOSTILE_SCALE=${PILAR_HOSTILE_SCALE:-2}
export PILAR_HOSTILE_MAX_RSS_MB=${PILAR_HOSTILE_MAX_RSS_MB:-200}
scratch=${PILAR_HOSTILE_SCRATCH:-.build-hostile}
swift build -c release --build-tests -Xswiftc -enable-testing --scratch-path "$scratch" >/dev/null
tests=$(swift test -c release --skip-build --scratch-path "$scratch" list 2>/dev/null | grep -E "^PilarAPITests\." | grep -E "$filter" || true)
failed=0
for t in $tests; do
    # Only test methods whose body runs Hostile.attack (from `func testX(` to the next `func`).
    method=${t##*/}
    grep -l "func $method()" Tests/PilarAPITests/*.swift | xargs awk -v m="func $method()" '
        index($0, m) { inside = 1; next }
        inside && /^    (override )?func / { inside = 0 }
        inside && /Hostile\.attack\(/ { found = 1 }
        END { exit !found }' || continue
    out=$(swift test -c release --skip-build --scratch-path "$scratch" --filter "^$t\$" 2>&1) || failed=1
    echo "$out" | grep -E "^HOSTILE|error:" || true
done
exit $failed
