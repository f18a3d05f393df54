#!/usr/bin/env python3
"""Dispatch through node leaders on the namespace test cluster: at 3 to 9 ranks over the 3 nodes
every task runs exactly once, static and dynamic, and a dynamic run answers fewer requests on
rank 0 than one rank 0 would serve alone (the leaders take node-sized chunks); a leader killed
(SIGKILL) ends the run within 15 s, with one line naming the rank lost; node leaders in groups
under a further level (FANOUT_DISPATCH_FANOUT) still run every task once.
The io kind (against `fanout serve` on a node) and the farm (its joblog) run each task once with
leaders too.

usage: cluster_dispatch_e2e.py FANOUT CLUSTER_DIR CASE [ARG...]   (see cluster_support.py)
"""
import json
import os
import signal
import time

from cluster_e2e import check_each_task_once
from cluster_joblog_e2e import farm_args, joblog_lines, seqs_once, write_tasks
from cluster_support import (CLUSTER, FANOUT, FIRST, NODES, TMP, fail, finish, main, mpirun,
                             node_pids, read_csv, start, start_serve, wait_for)

TASKS = 60
JOB = ["run", "--cpu.kernel", "primes", "--cpu.count", str(TASKS), "--cpu.width", "20000",
       "--chunk", "1", "--model", "processes", "--base", "none", "--repeat", "1"]
FAULT_BOUND_S = 15
PORT = 8734  # inside node 1's own network namespace: nothing else listens there


def case_leaders(schedule):
    csv_path, json_path = os.path.join(TMP, "run.csv"), os.path.join(TMP, "run.json")
    for ranks in range(3, 10):
        mpirun("--oversubscribe", "-np", str(ranks), FANOUT, *JOB, "--schedule", schedule,
               "--csv", csv_path, "--json", json_path)
        rows = read_csv(csv_path)
        check_each_task_once(rows, TASKS, runs_expected=1)
        run = json.load(open(json_path))["runs"][-1]
        hosts = {int(r["rank"]): r["host"] for r in run["per_rank"]}
        if len(set(hosts.values())) < 2:
            fail(f"{ranks} ranks: all on one node ({hosts})")
        if schedule == "static":
            continue
        # One rank 0 serving alone answers a request for every task another rank ran, and each
        # other rank's last ("no more"); leaders ask once per node round.
        off_root = sum(1 for r in rows if int(r["rank"]) != 0)
        off_node = sum(1 for r in rows if hosts[int(r["rank"])] != hosts[0])
        flat = off_root + ranks - 1
        requests = run.get("dispatch", {}).get("requests", 0)
        if off_node >= 4 and not requests < flat:
            fail(f"{ranks} ranks: rank 0 answered {requests} requests, as many as without leaders "
                 f"({flat}; {off_node} tasks ran off rank 0's node)")
        print(f"{ranks} ranks: each of {TASKS} tasks once; rank 0 answered {requests} requests "
              f"(without leaders at least {flat})")


def case_groups():
    """Node leaders in groups: nodes of 2 ranks by rank (FANOUT_DISPATCH_NODE_SIZE) give 3 or 4
    node leaders at 7 and 9 ranks, more than FANOUT_DISPATCH_FANOUT=2, so they go in groups of 2
    led by each group's first; every task still runs once. A fan-out of 1 is refused: one line
    from rank 0, exit 2."""
    csv_path, json_path = os.path.join(TMP, "run.csv"), os.path.join(TMP, "run.json")
    knobs = ["-x", "FANOUT_DISPATCH_NODE_SIZE=2", "-x", "FANOUT_DISPATCH_FANOUT=2"]
    for ranks in (7, 9):
        mpirun("--oversubscribe", "-np", str(ranks), *knobs, FANOUT, *JOB, "--schedule",
               "dynamic", "--csv", csv_path, "--json", json_path)
        rows = read_csv(csv_path)
        check_each_task_once(rows, TASKS, runs_expected=1)
        run = json.load(open(json_path))["runs"][-1]
        ran_on = {int(r["rank"]) for r in rows}
        requests = run.get("dispatch", {}).get("requests", 0)
        print(f"{ranks} ranks, leaders in groups of 2: each of {TASKS} tasks once, on ranks "
              f"{sorted(ran_on)}; rank 0 answered {requests} requests")
    bad = mpirun("--oversubscribe", "-np", "3", "-x", "FANOUT_DISPATCH_FANOUT=1", FANOUT, *JOB,
                 "--schedule", "dynamic", expect=2)
    lines = [line for line in bad.stderr.splitlines() if "FANOUT_DISPATCH_FANOUT=1" in line]
    if len(lines) != 1:
        fail(f"FANOUT_DISPATCH_FANOUT=1: want one line naming it, got {lines}", bad)
    print(f"FANOUT_DISPATCH_FANOUT=1: exit 2, {lines[0].strip()}")


def case_io():
    """The io kind against `fanout serve` on the first node, leaders on (dynamic) at 4 and 9
    ranks, static and dynamic: each request once, every one answered."""
    requests = 40
    _, base = start_serve(PORT)
    urls = os.path.join(TMP, "urls.txt")
    with open(urls, "w") as f:
        for i in range(requests):
            f.write(f"{base}/delay/{5 + i % 3}?size={100 + i}\n")
    csv_path = os.path.join(TMP, "io.csv")
    for ranks in (4, 9):
        for schedule in ("static", "dynamic"):
            mpirun("--oversubscribe", "-np", str(ranks), FANOUT, "run", "--workload", "io",
                   "--io.url-file", urls, "--io.concurrency", "2", "--io.retries", "0",
                   "--model", "processes", "--base", "none", "--repeat", "1", "--chunk", "1",
                   "--schedule", schedule, "--csv", csv_path)
            rows = read_csv(csv_path)
            check_each_task_once(rows, requests, runs_expected=1)
            bad = [r for r in rows if r["status"] != "ok" or r["http_status"] != "200"]
            if bad:
                fail(f"{ranks} ranks, {schedule}: {len(bad)} requests failed, e.g. {bad[0]}")
            hosts = {r["host"] for r in rows}
            print(f"io, {ranks} ranks, {schedule}: each of {requests} requests once, answered, "
                  f"from {len(hosts)} nodes")


def case_farm():
    """A farm of `true` tasks, --schedule dynamic with leaders, at 5 and 9 ranks: the joblog
    holds each Seq once, every one of them."""
    n = 300
    tasks = os.path.join(TMP, "tasks.txt")
    write_tasks(tasks, n, "true")
    for ranks in (5, 9):
        logs = os.path.join(TMP, f"logs{ranks}")
        mpirun("--oversubscribe", "-np", str(ranks), *farm_args(tasks, logs), "--schedule",
               "dynamic")
        joblog = os.path.join(logs, "joblog")
        lines = joblog_lines(joblog)
        seqs = seqs_once(lines, joblog)
        if seqs != set(range(1, n + 1)):
            fail(f"{ranks} ranks: {joblog}: {len(seqs)} tasks recorded of {n}; missing "
                 f"{sorted(set(range(1, n + 1)) - seqs)[:10]}")
        hosts = {line.split("\t")[1] for line in lines}
        print(f"farm, {ranks} ranks, dynamic: each of {n} Seqs once in the joblog, from "
              f"{len(hosts)} nodes")


def rank_of(pid):
    env = open(f"/proc/{pid}/environ", "rb").read().split(b"\0")
    for item in env:
        if item.startswith(b"OMPI_COMM_WORLD_RANK="):
            return int(item.split(b"=", 1)[1])
    return None


def case_leader_killed():
    """A `fanout scale` point of 6 ranks, dynamic; the leader of the last node killed."""
    out = os.path.join(TMP, "study")
    point = f"r{2 * len(NODES)}-t1"
    hosts = ",".join(f"{n}:2" for n in NODES)
    study = start([os.path.join(CLUSTER, "on"), FIRST, "env",
                   f"OMPI_MCA_plm_rsh_agent={CLUSTER}/rsh", FANOUT, "scale", "--cpu.kernel", "fib",
                   "--cpu.n", "27", "--cpu.count", "3000", "--schedule", "dynamic", "--ranks",
                   str(2 * len(NODES)), "--repeat", "3", "--hosts", hosts, "--out", out,
                   "--progress", "none"])
    victim = NODES[-1]

    def leader():
        ranks = {}
        for pid in node_pids(victim, FANOUT):
            try:
                rank = rank_of(pid)
            except OSError:
                continue
            if rank is not None:
                ranks[rank] = pid
        return (min(ranks), ranks[min(ranks)]) if len(ranks) == 2 else None

    rank, pid = wait_for(f"both ranks on {victim}", lambda: study.poll() is not None or leader())
    if study.poll() is not None:
        fail("the study ended before the fault", finish(study, 10))
    # Well into the measurement: the leader serves its node.
    time.sleep(1.5)
    launcher = node_pids(FIRST, "orterun")
    faulted = time.monotonic()
    os.kill(pid, signal.SIGKILL)
    wait_for("the point's mpirun to end", lambda: not set(launcher) & set(node_pids(FIRST, "orterun")),
             timeout=FAULT_BOUND_S + 30)
    took = time.monotonic() - faulted
    result = finish(study, 60)
    if took > FAULT_BOUND_S:
        fail(f"the run took {took:.1f} s to end after the leader was killed", result)
    if result.returncode != 1:
        fail("scale should exit 1 after a point lost a rank", result)
    lost = f"rank {rank} on {victim} was killed by signal 9"
    lines = [line for line in result.stdout.splitlines() + result.stderr.splitlines() if lost in line]
    if not lines:
        fail(f"no line says {lost!r}", result)
    doc = json.load(open(os.path.join(out, "study.json")))
    entry = next(p for p in doc["points"] if p["key"] == point)
    if lost not in entry["error"]:
        fail(f"{point}'s error should name the leader lost: {entry['error']!r}")
    print(f"leader rank {rank} on {victim} killed: the run ended {took:.1f} s later; {lines[0].strip()}")


CASES = {"leaders": case_leaders, "groups": case_groups, "io": case_io,
         "farm": case_farm, "leader_killed": case_leader_killed}

if __name__ == "__main__":
    main(CASES)
