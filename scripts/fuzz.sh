#!/usr/bin/env bash
# Builds the libFuzzer targets (HTTP parser, CSV reader) with AddressSanitizer and runs each
# for a set time over its seed corpus. New inputs go to .build-fuzz/corpus-*; crashes to
# .build-fuzz/crash-*. Usage: scripts/fuzz.sh [seconds per target, default 60]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
out=.build-fuzz
mkdir -p "$out/corpus-http" "$out/corpus-csv"
flags=(-sanitize=fuzzer,address -parse-as-library -O -g)
build() {  # the linker's warnings about sanitizer symbols are noise; show the log only on failure
    swiftc "${flags[@]}" "$@" >"$out/build.log" 2>&1 || { cat "$out/build.log"; exit 1; }
}
build -module-name HTTPServer Sources/HTTPServer/*.swift Fuzz/HTTPParserFuzzer.swift -o "$out/fuzz-http"
build -module-name PilarCSV Sources/PilarCore/CSV/CSVReader.swift Fuzz/CSVReaderFuzzer.swift -o "$out/fuzz-csv"
cp Tests/HTTPServerTests/Corpus/* "$out/corpus-http/" 2>/dev/null || true
cp Fuzz/corpus-csv/* "$out/corpus-csv/" 2>/dev/null || true
for t in http csv; do
    echo "== fuzz-$t for ${secs}s"
    "$out/fuzz-$t" "$out/corpus-$t" -max_total_time="$secs" -max_len=4096 -artifact_prefix="$out/crash-$t-" \
        -print_final_stats=1 2>&1 | grep -E 'stat::|DONE|Done|cov:' | tail -12
done
