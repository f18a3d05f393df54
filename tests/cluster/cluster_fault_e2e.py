#!/usr/bin/env python3
"""Faults on the namespace test cluster, through fanout's own launch lines (a `fanout scale` over
the 3 nodes): a rank on the last node killed with SIGKILL, that node's Open MPI daemon killed,
that node's link cut at the switch. Each time the point's run ends within 15 s, scale exits 1,
and the point keeps the repetitions it finished, with one line that names what was lost.

usage: cluster_fault_e2e.py FANOUT CLUSTER_DIR CASE [ARG...]   (see cluster_support.py)
"""
import json
import os
import signal
import time

from cluster_support import (CLUSTER, FANOUT, FIRST, NODES, TMP, cut_link, fail, finish, main,
                             node_pids, start, wait_for)

# The bound; measured here: about 4 s (rank), 3 s (daemon), 7 s (link).
FAULT_BOUND_S = 15
POINT = f"r{2 * len(NODES)}-t1"


def start_study(out):
    hosts = ",".join(f"{n}:2" for n in NODES)
    return start([os.path.join(CLUSTER, "on"), FIRST, "env", f"OMPI_MCA_plm_rsh_agent={CLUSTER}/rsh",
                  FANOUT, "scale", "--cpu.kernel", "fib", "--cpu.n", "27", "--cpu.count", "3000",
                  "--ranks", f"1,{2 * len(NODES)}", "--repeat", "3", "--hosts", hosts,
                  "--out", out, "--progress", "none"])


def inject(kind, node):
    if kind == "rank":
        os.kill(node_pids(node, FANOUT)[0], signal.SIGKILL)
    elif kind == "daemon":
        os.kill(node_pids(node, "orted")[0], signal.SIGKILL)
    else:
        cut_link(node)


def case_fault(kind):
    out = os.path.join(TMP, "study")
    victim = NODES[-1]
    study = start_study(out)
    run_json = os.path.join(out, "runs", POINT + ".json")
    # The point has measured a repetition, and is in its next one.
    wait_for(f"{POINT}'s first repetition", lambda: study.poll() is not None or os.path.isfile(run_json))
    if study.poll() is not None:
        fail("the study ended before the fault", finish(study, 10))
    launcher = node_pids(FIRST, "orterun")
    faulted = time.monotonic()
    inject(kind, victim)
    wait_for("the point's mpirun to end", lambda: not set(launcher) & set(node_pids(FIRST, "orterun")),
             timeout=FAULT_BOUND_S + 30)
    took = time.monotonic() - faulted
    result = finish(study, 60)
    if took > FAULT_BOUND_S:
        fail(f"the run took {took:.1f} s to end after the fault", result)
    if result.returncode != 1:
        fail("scale should exit 1 after a point lost a rank or a node", result)
    doc = json.load(open(os.path.join(out, "study.json")))
    point = next(p for p in doc["points"] if p["key"] == POINT)
    lost = (f"on {victim} was killed by signal 9" if kind == "rank" else f"lost node {victim}")
    if lost not in point["error"] or point["exit_code"] == 0:
        fail(f"{POINT}'s error should name what was lost ({lost!r}): {point['error']!r}, exit "
             f"{point['exit_code']}")
    if point["status"] != "ok" or point["repetitions"] < 1:
        fail(f"{POINT} should keep the repetitions it finished: {point}")
    if not any(w["kind"] == "ended_early" and lost in w["message"] for w in doc["warnings"]):
        fail(f"no ended_early warning naming the loss: {doc['warnings']}")
    if lost not in result.stdout:
        fail("the table does not say what was lost", result)
    print(f"{kind} fault on {victim}: the run ended {took:.1f} s later (exit {point['exit_code']}); "
          f"{POINT} kept {point['repetitions']} repetitions; error: {point['error']}")


CASES = {"fault": case_fault}

if __name__ == "__main__":
    main(CASES)
