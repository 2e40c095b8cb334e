#!/usr/bin/env bash
# Long form of the hostile-client suite (issue 12): every attack test that runs under
# `Hostile.attack` (Tests/PilarAPITests/HostileHarness.swift) for SECONDS with twice its
# connections, on a release build, each test in its own process so the peak resident memory
# (the server runs in the test process) is that attack's alone. The server keeps its default
# limits except 8 handler threads (the service's default on 2 cores). Each test fails on a
# normal-client timeout, a p99 over 1 s, a peak over PILAR_HOSTILE_MAX_RSS_MB or /metrics growth;
# the HOSTILE lines (normal-client p50/p99 per attack, peak RSS) go to standard output.
# Usage: scripts/hostile.sh [seconds=25] [filter=Hostile]
set -euo pipefail
cd "$(dirname "$0")/.."
export PILAR_HOSTILE_SECONDS=${1:-25}
filter=${2:-Hostile}
export PILAR_HOSTILE_SCALE=${PILAR_HOSTILE_SCALE:-2}
export PILAR_HOSTILE_MAX_RSS_MB=${PILAR_HOSTILE_MAX_RSS_MB:-200}
scratch=${PILAR_HOSTILE_SCRATCH:-.build-hostile}
swift build -c release --build-tests -Xswiftc -enable-testing --scratch-path "$scratch" >/dev/null
tests=$(swift test -c release --skip-build --scratch-path "$scratch" list 2>/dev/null | grep -E "^PilarAPITests\.[A-Za-z]*$filter" || true)
failed=0
for t in $tests; do
    # Only classes that run attacks under the harness (file named as the class).
    class=${t#PilarAPITests.}; class=${class%%/*}
    grep -qs "Hostile.attack(" "Tests/PilarAPITests/$class.swift" || continue
    out=$(swift test -c release --skip-build --scratch-path "$scratch" --filter "^$t\$" 2>&1) || failed=1
    echo "$out" | grep -E "^HOSTILE|error:" || true
done
exit $failed
