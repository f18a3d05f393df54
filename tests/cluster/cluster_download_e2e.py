#!/usr/bin/env python3
"""io.download across the 3 nodes of the namespace test cluster, 6 ranks, against a server in
node 1 (the output directory is one folder every node sees, as a parallel file system):
kill_resume SEED mpirun|job: nginx (real Range and ETag, slow bodies), SIGKILL of mpirun (and of
  every rank, with job) at a random moment, then
  --io.resume: no complete file asked for again (nginx's access log), no truncated file under a
  final name at the kill or after, every checksum right;
per_host DRIVER: io.per-host holds across every rank of every node (fanout serve's peak of connections
  at once), and without the cap the server sees more (so the count means something).

usage: cluster_download_e2e.py FANOUT CLUSTER_DIR CASE [ARG...]   (see cluster_support.py)
"""
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from nginx_conf import write_nginx_conf  # noqa: E402
from cluster_support import (CLUSTER, FANOUT, FIRST, NODES, RANKS, TMP, fail, finish, main, mpirun,
                             node_pids, on_node, start, start_serve, wait_for)

PORT = 8731  # inside node 1's own network namespace: nothing else listens there


def in_first(*cmd):
    """A short command inside node 1; its stdout."""
    proc = finish(start(on_node(FIRST, *cmd)), 30)
    if proc.returncode != 0:
        fail(f"{' '.join(cmd)} in {FIRST}", proc)
    return proc.stdout


def fanout_pids():
    return [pid for node in NODES for pid in node_pids(node, FANOUT)]


def wait_ranks_gone():
    """After a SIGKILL of mpirun its daemons end their ranks: none may go on writing while the
    files are looked at."""
    wait_for("every rank gone after the kill", lambda: not fanout_pids(), timeout=30)


def start_nginx(prefix):
    conf = write_nginx_conf(prefix, f"0.0.0.0:{PORT}", "256k")
    # daemon off: nginx stays in the process group start() made, which cleanup ends.
    proc = start(on_node(FIRST, "nginx", "-p", prefix, "-c", conf, "-g", "daemon off;"))

    def up():
        if proc.poll() is not None:
            fail("nginx did not start", finish(proc, 5))
        probe = subprocess.run(on_node(FIRST, "curl", "-sfI", "-o", "/dev/null",
                                       f"http://127.0.0.1:{PORT}/d00.bin"), capture_output=True)
        return probe.returncode == 0

    wait_for("nginx answering in " + FIRST, up, timeout=20)
    return proc, f"http://{FIRST}:{PORT}"


def access_log(prefix):
    path = os.path.join(prefix, "access.log")
    return [line.split() for line in open(path)] if os.path.exists(path) else []


def sha(data):
    return hashlib.sha256(data).hexdigest()


def download_cmd(urls, out, json_path, *extra, concurrency=2):
    return [os.path.join(CLUSTER, "mpirun"), "-q", "-np", str(RANKS), FANOUT, "run", "--workload",
            "io", "--model", "processes+async", "--base", "none", "--io.url-file", urls,
            "--io.output", out, "--io.download", "--io.concurrency", str(concurrency), "--io.retries", "2",
            "--io.backoff", "10ms", "--json", json_path, *extra]


def check_final_names(out, files, when):
    """Every file under a final name is whole and right; returns their names."""
    names = set(os.listdir(out)) if os.path.isdir(out) else set()
    complete = {f for f in names if f in files}
    for name in complete:
        if open(os.path.join(out, name), "rb").read() != files[name]:
            fail(f"{when}: {name} under its final name is not the whole file")
    return complete, {f[:-len(".fanout-part")] for f in names if f.endswith(".fanout-part")}


def case_kill_resume(seed, what):
    """what: mpirun (SIGKILL to mpirun alone: its daemons end the ranks a moment later) or job
    (mpirun and every rank on every node at once, as a scheduler ends a job at its walltime)."""
    rng = random.Random(int(seed))
    prefix = os.path.join(TMP, "nginx")
    html = os.path.join(prefix, "html")
    os.makedirs(html)
    for d in (TMP, prefix, html):
        os.chmod(d, 0o755)  # nginx's worker runs as another user
    n, size = 48, 384 * 1024  # 1.5 s a file at 256 KiB/s; 3 nodes x 2 at once: about 12 s in all
    files = {}
    for i in range(n):
        files[f"d{i:02d}.bin"] = bytes(rng.getrandbits(8) for _ in range(64)) * (size // 64)
    for name, data in files.items():
        with open(os.path.join(html, name), "wb") as f:
            f.write(data)
    _, base = start_nginx(prefix)
    urls, out = os.path.join(TMP, "urls.txt"), os.path.join(TMP, "out")
    with open(urls, "w") as f:
        for name, data in files.items():
            f.write(f"{base}/{name} {name} size:{len(data)} sha256:{sha(data)}\n")
    seen = len(access_log(prefix))
    proc = start(download_cmd(urls, out, os.path.join(TMP, "killed.json")))
    kill_after = random.Random(f"kill {seed}").uniform(1.5, 7.0)
    time.sleep(kill_after)
    if proc.poll() is not None:
        fail("the run ended before the kill", finish(proc, 5))
    ranks = fanout_pids()
    os.kill(proc.pid, signal.SIGKILL)  # the fixture's wrapper execs into mpirun itself
    if what == "job":
        for pid in ranks:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    proc.wait()
    killed = time.monotonic()
    wait_ranks_gone()
    gone_s = time.monotonic() - killed
    complete, parts = check_final_names(out, files, f"seed {seed}, at the kill")
    if len(complete) == n:
        fail(f"seed {seed}: every file was complete at the kill; pick another moment")
    asked_before = {line[1] for line in access_log(prefix)[seen:]}
    seen = len(access_log(prefix))

    json_path = os.path.join(TMP, "resume.json")
    result = finish(start(download_cmd(urls, out, json_path, "--io.resume")), 120)
    if result.returncode != 0:
        fail(f"seed {seed}: the resumed run failed", result)
    asked = [line[1].lstrip("/") for line in access_log(prefix)[seen:]]
    again = sorted(set(asked) & complete)
    if again:
        fail(f"seed {seed}: complete files asked for again after the kill: {again}")
    done, _ = check_final_names(out, files, f"seed {seed}, after the resume")
    if done != set(files):
        fail(f"seed {seed}: missing after the resume: {sorted(set(files) - done)}")
    leftovers = [f for f in os.listdir(out) if ".fanout-part" in f]
    if leftovers:
        fail(f"seed {seed}: partial files left after the resume: {leftovers}")
    doc = json.load(open(json_path))
    t = doc["runs"][-1]["details"]["download"]
    if t["failed"] != 0 or t["done"] != n or t["skipped"] != len(complete):
        fail(f"seed {seed}: resume totals {t} ({len(complete)} complete at the kill)")
    hosts_resume = {r["host"] for r in doc["runs"][-1]["per_rank"]}
    if hosts_resume != set(NODES):
        fail(f"seed {seed}: the resumed run's ranks were on {hosts_resume}, not on all of {NODES}")
    print(f"seed {seed}: SIGKILL to {'mpirun' if what == 'mpirun' else 'mpirun and every rank'} after {kill_after:.1f} s, every rank gone {gone_s:.1f} s "
          f"later; {len(asked_before)} files asked for by then, {len(complete)} complete "
          f"and {len(parts)} partial at it; the resume asked for {len(asked)} ({t['resumed']} "
          f"resumed with Range), totals {t}")


def serve_stats():
    return json.loads(in_first("curl", "-sf", f"http://127.0.0.1:{PORT}/stats"))


def case_per_host(driver):
    """io.driver node (one curl-multi driver per node) or rank (one per rank)."""
    cap = RANKS
    urls = os.path.join(TMP, "urls.txt")
    peaks = {}
    for label, extra in (("no cap", []), (f"io.per-host {cap}", ["--io.per-host", str(cap)])):
        server, base = start_serve(PORT)  # a fresh server per run, so its peak is this run's
        with open(urls, "w") as f:
            for i in range(12 * RANKS):
                f.write(f"{base}/delay/200?size=20000&i={i} b{i:03d}.bin\n")
        out = os.path.join(TMP, f"out-{len(peaks)}")
        json_path = os.path.join(TMP, f"per-host-{len(peaks)}.json")
        result = finish(start(download_cmd(urls, out, json_path, "--io.driver", driver, *extra, concurrency=4)), 120)
        if result.returncode != 0:
            fail(f"{label}: the run failed", result)
        t = json.load(open(json_path))["runs"][-1]["details"]["download"]
        if t["done"] != 12 * RANKS or t["failed"] != 0:
            fail(f"{label}: totals {t}")
        peaks[label] = serve_stats()["peak_active_connections"]
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
    capped = peaks[f"io.per-host {cap}"]
    if capped > cap:
        fail(f"io.per-host {cap} across {len(NODES)} nodes: the server saw {capped} connections at once")
    # The cap is the job's: split over the ranks that drive transfers (one per node under io.driver
    # node), so with 200 ms answers the first wave fills it.
    if capped < cap:
        fail(f"io.per-host {cap} across {len(NODES)} nodes: the server saw only {capped} at once, the cap "
             f"left partly unused by ranks that drive no transfers")
    if peaks["no cap"] <= cap:
        fail(f"without a cap the server saw only {peaks['no cap']} at once: the test shows nothing")
    print(f"peak connections at the server, {RANKS} ranks on {len(NODES)} nodes, io.driver "
          f"{driver}: {peaks}")


CASES = {"kill_resume": case_kill_resume, "per_host": case_per_host}

if __name__ == "__main__":
    main(CASES)
