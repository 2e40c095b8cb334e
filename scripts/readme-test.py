#!/usr/bin/env python3
"""Runs every ```sh block of README.md, in order, against a fresh `pilar serve --demo` on
loopback, and checks each curl call's HTTP status against the status README names for it.

Usage: scripts/readme-test.py [path/to/pilar]   (default .build/debug/pilar)

What README promises and this checks:
- A block fenced ```sh is a recipe; prose and other fences are ignored. A block without a
  `curl` call (the two start-up commands) is shown, not run.
- Each curl call is announced by a `→ NNN` in a comment line of the same block, in order:
  `# Submit it. → 200`, or `→ 201 → 200` for two calls. Every call must have one, and the
  answers must match.
- The blocks run top to bottom in one bash shell (variables carry over), in an empty folder
  that sees the repository's data/ folder, with TOKEN set to the demo's admin token and
  README's http://127.0.0.1:8080 pointed at the test server. Nothing may be written to
  standard error and bash must end with status 0.
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
README_URL = "http://127.0.0.1:8080"
ARROW = re.compile(r"→\s*(\d{3})")
CALL = re.compile(r"(^|[\s$(|;&])curl\s")

# Wraps curl: each call reports its final status on bash's stderr as "@@status NNN". When the
# recipe prints the status itself (-w), the head is dumped to a file to read the status there.
WRAPPER = r'''
curl() {
    local a w=0 d=0
    for a in "$@"; do case "$a" in -w|--write-out) w=1;; -D|--dump-header) d=1;; esac; done
    if [ $w = 0 ]; then command curl "$@" -w '%{stderr}@@status %{http_code}\n'; return; fi
    if [ $d = 1 ]; then echo "@@error a recipe uses both -w and -D: its status cannot be read" >&2; return 1; fi
    local h rc; h=$(mktemp)
    command curl -D "$h" "$@"; rc=$?
    echo "@@status $(awk '/^HTTP\//{s=$2} END{print s}' "$h")" >&2
    rm -f "$h"; return $rc
}
'''


def blocks(text):
    """(line number, body) of every ```sh block."""
    out, lines, i = [], text.split("\n"), 0
    while i < len(lines):
        if lines[i].strip() == "```sh":
            start, body = i + 1, []
            i += 1
            while i < len(lines) and lines[i].strip() != "```":
                body.append(lines[i])
                i += 1
            out.append((start + 1, "\n".join(body)))
        i += 1
    return out


def expected(body):
    return [int(s) for line in body.split("\n") if line.lstrip().startswith("#") for s in ARROW.findall(line)]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start(binary, workdir):
    port = free_port()
    out = open(os.path.join(workdir, "server.out"), "w+")
    err = open(os.path.join(workdir, "server.err"), "w+")
    proc = subprocess.Popen([binary, "serve", "--demo", "--db", os.path.join(workdir, "demo.db"),
                             "--port", str(port), "--quiet"], stdout=out, stderr=err)
    deadline = time.time() + 60  # a generous bound for a hang, not a timing check
    while time.time() < deadline:
        out.seek(0)
        m = re.search(r"(?:Admin token \(shown once\)|Token admin \(hanya ditampilkan sekali\)): (\S+)", out.read())
        if m:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return proc, port, m.group(1)
            except OSError:
                pass
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    err.seek(0)
    proc.kill()
    sys.exit("the demo server did not start: " + err.read())


def run(recipes, port, token, workdir):
    """Runs the recipe blocks in one bash; returns the statuses per block, stderr and exit code."""
    script = ["set -u", WRAPPER]
    for n, (_, body) in enumerate(recipes):
        script.append(f'echo "@@block {n}" >&2')
        script.append(body.replace(README_URL, f"http://127.0.0.1:{port}"))
    env = dict(os.environ, TOKEN=token, LC_ALL="C.UTF-8")
    p = subprocess.run(["bash", "-c", "\n".join(script) + "\n"], cwd=workdir, env=env,
                       capture_output=True, text=True, timeout=600)
    statuses, other, current = [[] for _ in recipes], [], None
    for line in p.stderr.splitlines():
        if line.startswith("@@block "):
            current = int(line.split()[1])
        elif line.startswith("@@status ") and current is not None:
            statuses[current].append(int(line.split()[1] or 0))
        else:
            other.append(line)
    return statuses, other, p.returncode, p.stdout


def check(recipes, port, token, workdir):
    """The problems found: one line each, naming the block's line in README.md."""
    statuses, stderr, code, _ = run(recipes, port, token, workdir)
    problems = []
    for (line, body), got in zip(recipes, statuses):
        want = expected(body)
        calls = sum(1 for l in body.split("\n") if not l.lstrip().startswith("#") and CALL.search(l))
        if len(want) != calls:
            problems.append(f"README.md:{line}: {calls} curl calls but {len(want)} statuses (→ NNN) in the comments")
        if got != want:
            problems.append(f"README.md:{line}: README says {want}, the server answered {got}")
    if stderr:
        problems.append("standard error of the recipes: " + " | ".join(stderr[:10]))
    if code != 0:
        problems.append(f"bash ended with status {code}")
    return problems


def main():
    binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build/debug/pilar"))
    text = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    recipes = [(line, body) for line, body in blocks(text) if CALL.search(body)]
    if not recipes:
        sys.exit("README.md has no sh block with a curl call")
    workdir = tempfile.mkdtemp(prefix="pilar-readme-")
    os.symlink(os.path.join(ROOT, "data"), os.path.join(workdir, "data"))
    proc, port, token = start(binary, workdir)
    try:
        # The harness must be able to fail: a wrong status and a missing one are both caught.
        canary = [(0, "# → 404\ncurl -s $PILAR/healthz >/dev/null"), (0, "curl -s $PILAR/healthz >/dev/null")]
        caught = check([(0, "PILAR=" + README_URL)] + canary, port, token, workdir)
        if len(caught) != 3:  # 200 is not 404; a call without an arrow (twice: count and list)
            sys.exit("the harness did not catch a wrong status: " + repr(caught))
        problems = check(recipes, port, token, workdir)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    calls = sum(len(expected(b)) for _, b in recipes)
    if problems:
        print("README recipes: FAILED")
        for p in problems:
            print("  " + p)
        print(f"(server log and files in {workdir})")
        sys.exit(1)
    shutil.rmtree(workdir, ignore_errors=True)
    print(f"README recipes: {len(recipes)} blocks, {calls} calls, every status as README says")


if __name__ == "__main__":
    main()
