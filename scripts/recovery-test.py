#!/usr/bin/env python3
"""Recovery from a Litestream replica after the machine dies, with Pilar's own writers running.

Pilar runs under `litestream replicate -exec` with a file replica (sync interval 1 s). Report
writers (PUT versions of TKSK reports) and a registry writer (POST /v1/psks) record the moment of
every 2xx. At a random moment the whole process group (Litestream and Pilar) is killed with
SIGKILL; `litestream restore` then writes the replica to a new path, which must hold every write
acknowledged more than SYNC + MARGIN seconds before the kill, pass PRAGMA integrity_check, and be
served by a new `pilar serve` started on it. Repeats for --kills rounds (the original file is
reopened each round, as after a power cut). Then a point-in-time restore (-timestamp) to a moment
between two writes must hold exactly the first. Prints the figures BENCHMARKS.md records.

Usage: scripts/recovery-test.py [--kills 4] [--bin .build/debug/pilar] [--litestream litestream]
                                [--seed-db big.db]   # scripts/bench-recovery.sh: 1,000,000 records
"""
import argparse, atexit, http.client, json, os, random, signal, sqlite3, subprocess, sys, tempfile, threading, time
from datetime import datetime, timezone

SYNC = 1.0      # Litestream's sync-interval and monitor-interval (litestream.yml below)
MARGIN = 2.0    # stated margin: a write acknowledged more than SYNC + MARGIN before the kill is never lost

ap = argparse.ArgumentParser()
ap.add_argument("--kills", type=int, default=4)
ap.add_argument("--bin", default=".build/debug/pilar")
ap.add_argument("--litestream", default="litestream")
ap.add_argument("--report-writers", type=int, default=4)
ap.add_argument("--seed-db", help="start from a copy of this database (scripts/make-records.py) instead of an empty one")
args = ap.parse_args()
pilar = os.path.realpath(args.bin)
work = tempfile.mkdtemp(prefix="pilar-recovery-")
db, replica = f"{work}/live.db", f"{work}/replica"
config = f"{work}/litestream.yml"
with open(config, "w") as f:
    f.write(f"""dbs:
  - path: {db}
    monitor-interval: {SYNC:g}s
    replica:
      type: file
      path: {replica}
      sync-interval: {SYNC:g}s
""")
def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

port, restored_port = free_port(), free_port()
running = []        # process groups to kill if the test stops early

@atexit.register
def cleanup():
    for proc in running:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    subprocess.run(["rm", "-rf", work])   # restored copies hold (test) personal data and take space
problems, figures = [], []

def fail(msg):
    problems.append(msg)
    print("  PROBLEM:", msg, flush=True)

def run(cmd, **kw):
    done = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if done.returncode != 0:
        log = open(f"{work}/server.log").read()[-3000:] if os.path.exists(f"{work}/server.log") else ""
        sys.exit(f"{' '.join(cmd)} exited with {done.returncode}:\n{done.stdout}{done.stderr}\nserver log:\n{log}")
    return done

def wait_healthy(p, proc, log):
    for _ in range(200):
        if proc.poll() is not None:
            sys.exit(f"server exited early:\n{open(log).read()}")
        try:
            c = http.client.HTTPConnection("127.0.0.1", p, timeout=2)
            c.request("GET", "/healthz")
            if c.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.05)
    sys.exit(f"server on {p} did not start:\n{open(log).read()}")

def start_replicated():
    log = f"{work}/server.log"
    proc = subprocess.Popen(
        [args.litestream, "replicate", "-config", config,
         "-exec", f"{pilar} serve --db {db} --port {port} --quiet"],
        stdout=open(log, "a"), stderr=subprocess.STDOUT, start_new_session=True)  # its own process group
    running.append(proc)
    wait_healthy(port, proc, log)
    return proc

def request(conn, method, path, body=None, headers=None):
    h = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
    h.update(headers or {})
    conn.request(method, path, body=body, headers=h)
    r = conn.getresponse()
    return r.status, r.read()

acks = []           # (time acknowledged, kind, key...) of every 2xx
acks_lock = threading.Lock()

def report_writer(w, rnd, stop):
    kec, year = f"32.74.0{w % 5 + 1}", 2000 + rnd * 2 + w // 5
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        for month in range(1, 13):
            for i in range(1, 200):
                if stop.is_set():
                    return
                body = json.dumps({"pmks": [{"category": "FM", "count": i}, {"category": "LUT", "male": w, "female": i}]})
                status, data = request(conn, "PUT", f"/v1/reports/{kec}/{year}-{month:02d}", body)
                if status // 100 == 2:
                    with acks_lock:
                        acks.append((time.time(), "put", kec, f"{year}-{month:02d}", json.loads(data)["version"], i))
    except (OSError, http.client.HTTPException):
        return      # the server was killed

def registry_writer(rnd, stop):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        for i in range(1, 100000):
            if stop.is_set():
                return
            nik = f"327403{rnd:02d}0190{i:04d}"
            body = json.dumps({"type": "TAGANA", "name": f"Relawan {rnd} {i}", "nik": nik, "sex": "male",
                               "birth_date": f"1990-01-{rnd:02d}", "education": "SLTA", "region": "32.74.03"})
            status, data = request(conn, "POST", "/v1/psks", body)
            if status == 201:
                with acks_lock:
                    acks.append((time.time(), "psks", json.loads(data)["id"], nik))
    except (OSError, http.client.HTTPException):
        return

def present(c, ack):
    if ack[1] == "psks":
        row = c.execute("SELECT nik FROM psks WHERE id = ?", (ack[2],)).fetchone()
        return row is not None and row[0] == ack[3]
    # A draft saved again by the same token within minutes replaces its version (ReportLimits), so
    # a save is held when the report is at that save or a later one: each writer's FM count grows
    # with every save of a report, and versions only grow.
    _, _, kec, period, version, fm = ack
    row = c.execute("""SELECT r.version, v.content FROM reports r JOIN report_versions v ON v.report_id = r.id AND v.version = r.version
                       WHERE r.kecamatan = ? AND r.period = ?""", (kec, period)).fetchone()
    if row is None:
        return False
    count = next((l.get("count") for l in json.loads(row[1])["pmks"] if l["category"] == "FM"), -1)
    return (row[0], count) >= (version, fm)

def restore(target, timestamp=None):
    cmd = [args.litestream, "restore", "-o", target] + (["-timestamp", timestamp] if timestamp else []) + ["file://" + replica]
    started = time.monotonic()
    run(cmd)
    return time.monotonic() - started

def serve_restored(path, kec_period_version):
    log = f"{work}/restored.log"
    proc = subprocess.Popen([pilar, "serve", "--db", path, "--port", str(restored_port), "--quiet"],
                            stdout=open(log, "a"), stderr=subprocess.STDOUT, start_new_session=True)
    running.append(proc)
    try:
        wait_healthy(restored_port, proc, log)
        if kec_period_version:
            kec, period, version = kec_period_version
            conn = http.client.HTTPConnection("127.0.0.1", restored_port, timeout=10)
            status, data = request(conn, "GET", f"/v1/reports/{kec}/{period}")
            if status != 200 or json.loads(data)["version"] < version:
                fail(f"pilar on the restored file answered {status} for {kec} {period} (acknowledged v{version})")
    finally:
        proc.terminate()
        proc.wait(timeout=30)

if args.seed_db:
    run(["cp", args.seed_db, db])
run([pilar, "migrate", "--db", db])
token = run([pilar, "token", "create", "--role", "admin", "--name", "recovery-test", "--db", db]).stdout.strip().splitlines()[-1]

for rnd in range(1, args.kills + 1):
    acks.clear()
    started = time.monotonic()
    proc = start_replicated()
    if rnd == 1:    # the first copy of the whole file must be in the replica before a restore can work
        while "snapshot complete" not in open(f"{work}/server.log").read():
            if time.monotonic() - started > 900:
                sys.exit("no snapshot in the replica after 900 s")
            time.sleep(0.2)
        figures_first = time.monotonic() - started
        print(f"first snapshot of {os.path.getsize(db) / 1e6:.1f} MB in the replica {figures_first:.1f} s after start", flush=True)
    stop = threading.Event()
    threads = [threading.Thread(target=report_writer, args=(w, rnd, stop)) for w in range(args.report_writers)]
    threads.append(threading.Thread(target=registry_writer, args=(rnd, stop)))
    for t in threads: t.start()
    time.sleep(random.uniform(SYNC + MARGIN + 1, SYNC + MARGIN + 5))
    killed_at = time.time()
    os.killpg(proc.pid, signal.SIGKILL)   # Litestream and Pilar at once, as when the machine dies
    proc.wait()
    stop.set()
    for t in threads: t.join()

    target = f"{work}/restored-{rnd}.db"
    seconds = restore(target)
    c = sqlite3.connect(target)
    checking = time.monotonic()
    integrity = c.execute("PRAGMA integrity_check").fetchone()[0]
    integrity_s = time.monotonic() - checking
    if integrity != "ok":
        fail(f"round {rnd}: integrity_check of the restore: {integrity}")
    must = [a for a in acks if killed_at - a[0] > SYNC + MARGIN]
    missing_required = [a for a in must if not present(c, a)]
    missing = [a for a in acks if not present(c, a)]
    newest_kept = max((a[0] for a in acks if present(c, a)), default=None)
    behind = killed_at - newest_kept if newest_kept else float("nan")
    oldest_lost = max((killed_at - a[0] for a in missing), default=0.0)
    for a in missing_required[:5]:
        fail(f"round {rnd}: write acknowledged {killed_at - a[0]:.2f} s before the kill is not in the restore: {a[1:]}")
    last_put = max((a for a in acks if a[1] == "put" and present(c, a)), default=None, key=lambda a: a[0])
    c.close()
    serving = time.monotonic()
    serve_restored(target, last_put and (last_put[2], last_put[3], last_put[4]))
    serve_s = time.monotonic() - serving
    size = os.path.getsize(target)
    figures.append((seconds, behind, oldest_lost, len(missing), size, integrity_s, serve_s))
    print(f"round {rnd}: killed after {len(acks)} acknowledged writes; restore {seconds:.2f} s, {size / 1e6:.1f} MB, "
          f"integrity {integrity} ({integrity_s:.2f} s), pilar serving it {serve_s:.2f} s after start; {len(must)} writes older than {SYNC + MARGIN:g} s all there: {not missing_required}; "
          f"newest kept write {behind:.2f} s before the kill; {len(missing)} newer lost (oldest {oldest_lost:.2f} s before)", flush=True)

if "WAL checkpoints left to Litestream" not in open(f"{work}/server.log").read():
    fail("pilar under litestream -exec did not leave checkpoints to Litestream (no log line)")

# Point in time: version A, replicated; the moment T; then version B. -timestamp T holds A only.
proc = start_replicated()
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
versions = []
for fm in (101, 202):
    status, data = request(conn, "PUT", "/v1/reports/32.74.01/2000-06",
                           json.dumps({"pmks": [{"category": "FM", "count": fm}]}))
    assert status // 100 == 2, (status, data)
    versions.append(json.loads(data)["version"])
    time.sleep(SYNC + MARGIN)         # replicated by now
    if fm == 101:
        moment = datetime.now(timezone.utc)
        time.sleep(0.5)
os.killpg(proc.pid, signal.SIGKILL)
proc.wait()
stamp = moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
restore(f"{work}/point-in-time.db", stamp)
c = sqlite3.connect(f"{work}/point-in-time.db")
row = c.execute("SELECT version, (SELECT content FROM report_versions v WHERE v.report_id = r.id AND v.version = r.version) "
                "FROM reports r WHERE kecamatan = '32.74.01' AND period = '2000-06'").fetchone()
if row is None or row[0] != versions[0] or json.loads(row[1])["pmks"][0]["count"] != 101:
    fail(f"restore to {stamp} (between the saves FM 101 and FM 202) holds {row and (row[0], row[1])}, not exactly the first")
else:
    print(f"point in time: restore to {stamp} holds the first save (FM 101), not the second (FM 202)")
# The same moment through restore-check (docs/OPERATIONS.md section 7): it must name v2 as lost.
check = subprocess.run([pilar, "restore-check", "--from", "file://" + replica, "--timestamp", stamp, "--db", db,
                        "--max-loss", "3600"], capture_output=True, text=True)
lost = [l for l in check.stdout.splitlines() if "would lose" in l]
if check.returncode != 0 or not lost or "in report_versions" not in lost[0]:
    fail(f"restore-check --timestamp {stamp} exited {check.returncode} without naming the lost version:\n{check.stdout}{check.stderr}")
else:
    print(f"restore-check --timestamp: {lost[0]}")

# restore-check on the same replica, as an operator would run it: the live file is whole, the
# replica has everything (the last write was replicated before the kill).
check = subprocess.run([pilar, "restore-check", "--from", "file://" + replica, "--db", db], capture_output=True, text=True)
if check.returncode != 0 or "integrity_check: ok" not in check.stdout or "would lose nothing" not in check.stdout:
    fail(f"restore-check on the replica exited {check.returncode}:\n{check.stdout}{check.stderr}")
else:
    print("restore-check on the replica: ok, would lose nothing")

# A new machine, as the Docker image starts it: no database, only the replica URL. The entrypoint
# restores the replica, then runs Pilar under Litestream; the newest version must be served.
deploy = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "deploy")
env = dict(os.environ, PATH=os.path.dirname(pilar) + ":" + os.environ["PATH"], PILAR_SHARE=deploy,
           PILAR_DB=f"{work}/new-machine.db", LITESTREAM_REPLICA_URL="file://" + replica,
           PILAR_PORT=str(restored_port), LITESTREAM_METRICS_ADDR="")
env.pop("LITESTREAM_CONFIG", None)
log = f"{work}/new-machine.log"
proc = subprocess.Popen([os.path.join(deploy, "docker-entrypoint.sh"), "serve", "--quiet"], env=env,
                        stdout=open(log, "w"), stderr=subprocess.STDOUT, start_new_session=True)
running.append(proc)
wait_healthy(restored_port, proc, log)
status, data = request(http.client.HTTPConnection("127.0.0.1", restored_port, timeout=10), "GET", "/v1/reports/32.74.01/2000-06")
os.killpg(proc.pid, signal.SIGTERM)
proc.wait(timeout=60)
served = json.loads(data) if status == 200 else {}
if status != 200 or served.get("version") != versions[1] or served["pmks"][0]["count"] != 202 \
        or "WAL checkpoints left to Litestream" not in open(log).read():
    fail(f"the entrypoint on a new machine answered {status} {data[:200]!r}:\n{open(log).read()[-2000:]}")
else:
    print("new machine (deploy/docker-entrypoint.sh): restored from the replica, serving the newest save (FM 202) under Litestream")

restore_s = [f[0] for f in figures]
print(f"figures: {len(figures)} kills; restore {min(restore_s):.2f}-{max(restore_s):.2f} s; "
      f"newest kept write {min(f[1] for f in figures):.2f}-{max(f[1] for f in figures):.2f} s before the kill; "
      f"oldest lost write {max(f[2] for f in figures):.2f} s before the kill (required: none older than {SYNC + MARGIN:g} s); "
      f"database {max(f[4] for f in figures) / 1e6:.1f} MB; integrity_check {max(f[5] for f in figures):.2f} s; "
      f"pilar serving the restore {max(f[6] for f in figures):.2f} s after start")
if problems:
    sys.exit(f"recovery test FAILED: {len(problems)} problem(s)")
print(f"recovery test passed: {args.kills} kills, every write older than {SYNC + MARGIN:g} s restored, point in time exact")
