#!/usr/bin/env python3
"""The farm's joblog, written by rank 0 alone, at 6 ranks on the 3 nodes of the namespace test
cluster: every task of a farm of `true` tasks has exactly one whole line (the ranks' lines sent to
rank 0), every node's; and a SIGKILL of rank 0 mid-farm ends the whole run within 15 s, leaving
only whole lines, none twice.

usage: cluster_joblog_e2e.py FANOUT CLUSTER_DIR CASE   (see cluster_support.py)
"""
import collections
import json
import os
import signal
import time

from cluster_support import (CLUSTER, FANOUT, FIRST, NODES, RANKS, TMP, fail, finish, main,
                             mpirun, node_pids, start, wait_for)

# As the faults of cluster_fault_e2e.py.
FAULT_BOUND_S = 15


def joblog_lines(path):
    """The joblog's lines after its header; fails when the file ends inside a line."""
    text = open(path, encoding="utf-8", errors="replace").read()
    if text and not text.endswith("\n"):
        fail(f"{path} ends inside a line: {text[-80:]!r}")
    lines = text.splitlines()
    if not lines or not lines[0].startswith("Seq\t"):
        fail(f"{path}: no header line")
    for line in lines[1:]:
        if len(line.split("\t")) < 9:
            fail(f"{path}: not a whole joblog line: {line!r}")
    return lines[1:]


def seqs_once(lines, path):
    seqs = collections.Counter(int(line.split("\t")[0]) for line in lines)
    twice = sorted(s for s, n in seqs.items() if n > 1)
    if twice:
        fail(f"{path}: tasks with more than one line: {twice[:10]}")
    return set(seqs)


def farm_args(tasks, logs):
    return [FANOUT, "farm", tasks, "--logs", logs, "--quiet", "--progress", "none"]


def write_tasks(path, n, command):
    with open(path, "w") as f:
        f.write(f"{command}\n" * n)


def case_exactly_once():
    n = 3000
    tasks, logs, out = (os.path.join(TMP, x) for x in ("tasks.txt", "logs", "farm.json"))
    write_tasks(tasks, n, "true")
    started = time.monotonic()
    mpirun("-np", str(RANKS), *farm_args(tasks, logs), "--json", out)
    took = time.monotonic() - started
    joblog = os.path.join(logs, "joblog")
    lines = joblog_lines(joblog)
    seqs = seqs_once(lines, joblog)
    if seqs != set(range(1, n + 1)):
        fail(f"{joblog}: {len(seqs)} tasks recorded of {n}; missing "
             f"{sorted(set(range(1, n + 1)) - seqs)[:10]}")
    hosts = collections.Counter(line.split("\t")[1] for line in lines)
    if set(hosts) != set(NODES):
        fail(f"{joblog}: lines from hosts {dict(hosts)}, expected every node of {NODES}")
    run = json.load(open(out))["runs"][0]
    if run["tasks_ok"] != n:
        fail(f"the report counts {run['tasks_ok']} tasks ok of {n}")
    records = sorted(os.listdir(os.path.join(logs, "output")))
    if records != sorted(f"{r}.records" for r in range(RANKS)):
        fail(f"output records {records}, expected one per rank")
    print(f"{n} tasks, {len(lines)} joblog lines from {dict(hosts)} in {took:.1f} s "
          f"({n / took:.0f} tasks/s with launch)")


def rank_of(pid):
    try:
        env = open(f"/proc/{pid}/environ", "rb").read().split(b"\0")
    except OSError:
        return None
    for var in env:
        if var.startswith(b"OMPI_COMM_WORLD_RANK="):
            return int(var.split(b"=", 1)[1])
    return None


def case_rank0_killed():
    n = 20000
    tasks, logs = os.path.join(TMP, "tasks.txt"), os.path.join(TMP, "logs")
    write_tasks(tasks, n, "sleep 0.01")
    farm = start([os.path.join(CLUSTER, "mpirun"), "-q", "-np", str(RANKS),
                  *farm_args(tasks, logs)])
    joblog = os.path.join(logs, "joblog")

    def some_lines():
        if farm.poll() is not None:
            fail("the farm ended before the fault", finish(farm, 5))
        return os.path.isfile(joblog) and open(joblog, "rb").read().count(b"\n") > 200

    wait_for("200 joblog lines", some_lines, timeout=60)
    root = [p for p in node_pids(FIRST, FANOUT) if rank_of(p) == 0]
    if len(root) != 1:
        fail(f"rank 0 not found among {node_pids(FIRST, FANOUT)} on {FIRST}")
    before = joblog_lines(joblog)
    killed = time.monotonic()
    os.kill(root[0], signal.SIGKILL)
    wait_for("mpirun to end", lambda: farm.poll() is not None, timeout=FAULT_BOUND_S + 30)
    wait_for("every rank to end", lambda: not any(node_pids(node, FANOUT) for node in NODES),
             timeout=FAULT_BOUND_S + 30)
    took = time.monotonic() - killed
    result = finish(farm, 10)
    if took > FAULT_BOUND_S:
        fail(f"the ranks took {took:.1f} s to end after rank 0 died", result)
    if result.returncode == 0:
        fail("the farm exited 0 although rank 0 died", result)
    lines = joblog_lines(joblog)
    seqs = seqs_once(lines, joblog)
    if len(lines) < len(before) or len(seqs) >= n:
        fail(f"{len(lines)} lines after the kill, {len(before)} before, of {n} tasks")
    print(f"rank 0 killed after {len(before)} lines: every rank gone {took:.1f} s later, "
          f"mpirun exit {result.returncode}, {len(lines)} whole lines, none twice")


if __name__ == "__main__":
    main({"exactly_once": case_exactly_once, "rank0_killed": case_rank0_killed})
