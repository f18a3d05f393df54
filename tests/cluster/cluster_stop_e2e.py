#!/usr/bin/env python3
"""Stops across nodes on the namespace test cluster, 6 ranks on 3 nodes, CPU and I/O, static and
dynamic: SIGTERM to mpirun (which passes it to its own node's ranks a second later and to the
other nodes' only after it has killed its own), and SIGTERM to one rank on the last node. Either
way every rank stops within about one task, and rank 0 writes a whole JSON marked incomplete
that keeps every repetition finished so far.

usage: cluster_stop_e2e.py FANOUT CLUSTER_DIR CASE [ARG...]   (see cluster_support.py)
"""
import collections
import json
import os
import signal
import time

from cluster_support import (CLUSTER, FANOUT, NODES, RANKS, TMP, fail, finish, main, node_pids,
                             read_csv, start, wait_for)

CPU_TASKS = 16000  # fib 27: 2.5-3 s a repetition with 6 ranks on 2 cores
REQUESTS = 300    # 100 ms each, 4 in flight per node: about 2.5 s a repetition
# Generous: mpirun alone takes 4 x its 1 s kill timeout to end after a SIGTERM.
STOP_BOUND_S = 15


def job(workload):
    if workload == "cpu":
        return ["--cpu.kernel", "fib", "--cpu.n", "27", "--cpu.count", str(CPU_TASKS),
                "--model", "processes"], CPU_TASKS
    urls = os.path.join(TMP, "urls.txt")
    with open(urls, "w") as f:
        f.write("serve:/delay/100?size=2000\n")
    return ["--workload", "io", "--io.serve", "true", "--io.url-file", urls, "--io.repeat",
            str(REQUESTS), "--io.concurrency", "4", "--io.retries", "0",
            "--model", "processes+async"], REQUESTS


def start_run(schedule, workload):
    args, tasks = job(workload)
    json_path, csv_path = os.path.join(TMP, "stop.json"), os.path.join(TMP, "stop.csv")
    proc = start([os.path.join(CLUSTER, "mpirun"), "-q", "-np", str(RANKS), FANOUT, "run", *args,
                  "--schedule", schedule, "--repeat", "4", "--base", "none", "--json", json_path,
                  "--csv", csv_path])

    def first_repetition():
        if proc.poll() is not None:
            fail("the run ended before it was stopped", finish(proc, 10))
        try:
            doc = json.load(open(json_path))
        except (OSError, ValueError):  # not there yet; written atomically, so never half
            return None
        return doc if doc["runs"][0]["repetitions"] >= 1 else None

    before = wait_for("a first repetition in the JSON", first_repetition)
    # Into the next repetition, about half way, so that a stop there cuts it with some of it done:
    # the gap between two repetitions (the JSON written, the next one's collectives, dynamic
    # dispatch's set-up) took up to ~0.3 s on a loaded 2-core VM, more than a third of a
    # repetition of 4000 tasks (0.7 s), and the stop then came before the first task.
    time.sleep(0.5 * before["runs"][0]["wall_s"])
    return proc, json_path, csv_path, tasks, before["runs"][0]["repetitions"]


def check_kept(json_path, csv_path, tasks, reps_before):
    """A whole document, marked stopped, with every repetition finished before the stop; the
    CSV holds each of them whole."""
    doc = json.load(open(json_path))
    run_ = doc["runs"][0]
    if doc["incomplete"] is not True or doc["stopped_by"] != "SIGTERM":
        fail(f"expected incomplete and stopped_by SIGTERM: {doc['incomplete']}, {doc['stopped_by']}")
    if run_["repetitions"] < reps_before or run_["repetitions"] == 4:
        fail(f"{reps_before} repetitions were done before the stop, the JSON keeps "
             f"{run_['repetitions']} of 4")
    if len(run_["wall_s_reps"]) != run_["repetitions"] or run_["task_runs"] != run_["repetitions"] * tasks:
        fail(f"statistics not over the complete repetitions only: {run_}")
    rows = read_csv(csv_path)
    for rep in range(run_["repetitions"]):
        ids = sorted(int(r["id"]) for r in rows if r["rep"] == str(rep))
        if ids != list(range(tasks)):
            fail(f"repetition {rep} is not whole in the CSV: {len(ids)} of {tasks} tasks")
    return doc, rows


def case_stop_mpirun(schedule, workload):
    """SIGTERM to mpirun: rank 0 hears it first and passes it on to every rank at once."""
    proc, json_path, csv_path, tasks, before = start_run(schedule, workload)
    signalled = time.monotonic()
    os.kill(proc.pid, signal.SIGTERM)  # the fixture's wrapper execs into mpirun itself
    result = finish(proc, 60)
    took = time.monotonic() - signalled
    if result.returncode != 1:  # Open MPI 4 reports its own failure when it is the one signalled
        fail("expected exit 1 from a signalled mpirun", result)
    if took > STOP_BOUND_S:
        fail(f"the run took {took:.1f} s to end after SIGTERM", result)
    doc, _ = check_kept(json_path, csv_path, tasks, before)
    cut = doc["runs"][0]["partial_repetition"]
    print(f"{workload} {schedule}: mpirun ended {took:.1f} s after SIGTERM; kept "
          f"{doc['runs'][0]['repetitions']} repetitions (done before: {before}), cut one: "
          f"{cut and cut['tasks_done']} of {tasks} tasks")


def case_stop_one_rank(schedule, workload):
    """SIGTERM to one rank on the last node: the stop reaches every rank, and each ends its share
    after the tasks in flight instead of finishing it."""
    proc, json_path, csv_path, tasks, before = start_run(schedule, workload)
    victim = node_pids(NODES[-1], FANOUT)[0]
    signalled = time.monotonic()
    os.kill(victim, signal.SIGTERM)
    result = finish(proc, 60)
    took = time.monotonic() - signalled
    if result.returncode != 143:
        fail("expected exit 143: the ranks' own, as a SIGTERM ended them", result)
    if took > STOP_BOUND_S:
        fail(f"the run took {took:.1f} s to end after SIGTERM to one rank", result)
    if f"fanout: stopped by SIGTERM: what was measured is in {json_path}" not in result.stderr:
        fail("rank 0 did not report the stop", result)
    doc, rows = check_kept(json_path, csv_path, tasks, before)
    cut = doc["runs"][0]["partial_repetition"]
    if cut is None or not 0 < cut["tasks_done"] < tasks:
        fail(f"the repetition under way should be cut short, some of it done: {cut}")
    # Static: each rank (each node's driver, for I/O) ran less than its block of the cut one: none
    # went on to the end of its block while the others stopped. Dynamic hands out no blocks: a
    # rank on a less loaded core takes more than an even share before any stop (748 of 4000 at 6
    # ranks was seen), so there the cut repetition's total, checked above, is the bound.
    ran = collections.Counter(r["rank"] for r in rows if r["partial"] == "1")
    share = tasks // (RANKS if workload == "cpu" else len(NODES))
    if schedule == "static" and any(n >= share for n in ran.values()):
        fail(f"some rank ran its whole share ({share}) of the cut repetition: {dict(ran)}")
    print(f"{workload} {schedule}: ended {took:.1f} s after SIGTERM to rank pid {victim} on "
          f"{NODES[-1]}; cut repetition per rank {dict(sorted(ran.items()))} (share {share})")


CASES = {"stop_mpirun": case_stop_mpirun, "stop_one_rank": case_stop_one_rank}

if __name__ == "__main__":
    main(CASES)
