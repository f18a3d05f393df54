#!/usr/bin/env python3
"""End-to-end checks of what a stop signal leaves behind: SIGTERM (a time limit) or SIGINT to
mpirun, to every rank, to one rank, before the first measurement, twice; and during slow I/O.

usage: stop_e2e.py FANOUT "MPIRUN ARGS" CASE [ARG...]
"""
import json
import os
import signal
import time

from e2e_support import (TMP, check_stopped, fail, finish, main, rank_pids, read_csv, start,
                         wait_for_repetitions)


def case_stop(how, np, signame):
    """SIGTERM (a time limit) or SIGINT after the first complete round of measurements: the run
    ends within seconds, after the tasks in flight, and writes what it measured, marked."""
    np, sig = int(np), getattr(signal, signame)
    json_path, csv_path = f"{TMP}/stop.json", f"{TMP}/stop.csv"
    model = "processes" if np else "threads"
    # Signalled, mpirun gives the ranks 1 s before SIGKILL; 3 s here, as a loaded test machine
    # may need more. It then also waits about twice that long before it exits itself.
    proc = start(np, "run", "--model", model, "--cpu.n", "28", "--cpu.count", "4000",
                 "--repeat", "3", "--json", json_path, "--csv", csv_path,
                 kill_grace_s=3 if how == "mpirun" else None)
    wait_for_repetitions(proc, json_path, 1)
    if how == "mpirun":  # mpirun passes SIGTERM to every rank, then SIGKILLs them
        targets = [proc.pid]
    else:  # the ranks themselves, as Slurm signals every process of a step; or one rank only
        pids = rank_pids(proc, np) if np else {0: proc.pid}
        targets = [pids[np - 1]] if how == "one_rank" else list(pids.values())
    signalled = time.monotonic()
    for pid in targets:
        os.kill(pid, sig)
    result = finish(proc)
    took = time.monotonic() - signalled
    # The ranks exit 128 + N. mpirun passes that on when the ranks were signalled; signalled
    # itself, Open MPI 4 reports its own failure, 1.
    expect = 1 if how == "mpirun" else 128 + sig
    if result.returncode != expect:
        fail(f"{how}: expected exit {expect}", result)
    if f"fanout: stopped by {signame}: what was measured is in {json_path}, {csv_path}" not in result.stderr:
        fail("rank 0 did not get to write and report before it ended", result)
    # Generous: the rest of the run would take two more rounds of several seconds each.
    if took > 15:
        fail(f"the run took {took:.1f} s to stop after {signame}", result)
    if f"[INCOMPLETE: stopped by {signame}]" not in result.stdout:
        fail("the table does not say it was stopped", result)
    doc = check_stopped(json_path, csv_path, signame, 3, 4000)
    if doc["runs"][-1]["repetitions"] < 1:
        fail(f"the complete first repetition was lost: {doc['runs'][-1]}")


def case_stop_early(signame):
    """A signal before the first measurement ends still leaves a document: no complete
    repetition, stopped_by, exit 128 + N."""
    sig = getattr(signal, signame)
    json_path = f"{TMP}/early.json"
    proc = start(0, "run", "--model", "threads", "--cpu.n", "27", "--cpu.count", "40000",
                 "--json", json_path)
    time.sleep(1.5)
    proc.send_signal(sig)
    result = finish(proc)
    if result.returncode != 128 + sig:
        fail(f"expected exit {128 + sig}", result)
    doc = check_stopped(json_path, None, signame, 1, 40000)
    if any(run_["repetitions"] for run_ in doc["runs"]):
        fail(f"a 30-second repetition completed within 1.5 s: {doc['runs']}")


def case_stop_insist():
    """A second signal within a second is the same request (mpirun and Slurm both send one): the
    run still ends cleanly once the task in flight is done. One more than a second later kills."""
    json_path = f"{TMP}/insist.json"
    args = ("run", "--model", "serial", "--base", "none", "--cpu.n", "45", "--cpu.count", "1",
            "--repeat", "3", "--json", json_path)
    proc = start(0, *args)
    wait_for_repetitions(proc, json_path, 1)
    proc.send_signal(signal.SIGTERM)
    time.sleep(0.1)
    proc.send_signal(signal.SIGTERM)
    result = finish(proc)
    if result.returncode != 143:
        fail("a repeated SIGTERM within a second should still end cleanly with 143", result)
    doc = json.load(open(json_path))
    # The one task in flight finished, so its repetition is complete and counts.
    if doc["stopped_by"] != "SIGTERM" or doc["runs"][0]["repetitions"] != 2:
        fail(f"expected 2 complete repetitions, stopped by SIGTERM: {doc['runs'][0]}")

    os.unlink(json_path)
    proc = start(0, *args)
    wait_for_repetitions(proc, json_path, 1)
    proc.send_signal(signal.SIGTERM)
    time.sleep(1.5)
    proc.send_signal(signal.SIGINT)
    result = finish(proc)
    if result.returncode != -signal.SIGINT:
        fail("a second signal after more than a second should kill the process by that signal", result)
    if json.load(open(json_path))["runs"][0]["repetitions"] != 1:
        fail("the partial results written before the kill are gone")


def case_stop_io(model, np, which="ranks"):
    """SIGTERM to the ranks while slow requests are in flight: no new request starts, the run ends
    within one request's time (well within the timeout), and the document is marked incomplete.
    which="one_rank": only the last rank is signalled (for processes+async one that runs no
    driver): the stop still reaches the driver."""
    np = int(np)
    json_path, csv_path = f"{TMP}/io.json", f"{TMP}/io.csv"
    tasks, timeout_s = 200, 4
    proc = start(np, "run", "--workload", "io", "--io.serve", "--io.url", "serve:/delay/800",
                 "--io.repeat", str(tasks), "--io.concurrency", "4", "--io.timeout",
                 f"{timeout_s}s", "--model", model, "--base", "none", "--json", json_path,
                 "--csv", csv_path)
    time.sleep(3)  # start-up, then requests in flight
    if proc.poll() is not None:
        fail("the run ended before it was signalled", finish(proc))
    pids = rank_pids(proc, np) if np else {0: proc.pid}
    targets = [pids[max(pids)]] if which == "one_rank" else list(pids.values())
    signalled = time.monotonic()
    for pid in targets:
        os.kill(pid, signal.SIGTERM)
    result = finish(proc)
    took = time.monotonic() - signalled
    if result.returncode != 128 + signal.SIGTERM:
        fail(f"expected exit {128 + signal.SIGTERM}", result)
    # Before, the I/O engines checked the stop only between chunks: 25 requests of 0.8 s each.
    if took > timeout_s + 3:
        fail(f"{model}: the run took {took:.1f} s to stop, more than one request timeout", result)
    doc = check_stopped(json_path, csv_path, "SIGTERM", 1, tasks)
    cut = doc["runs"][0]["partial_repetition"]
    if cut is None or not 0 < cut["tasks_done"] < tasks:
        fail(f"{model}: expected a cut repetition with some requests done: {cut}")
    bad = [r for r in read_csv(csv_path) if r["status"] != "ok"]
    if bad:
        fail(f"{model}: requests in flight at the stop did not finish normally: {bad[:3]}")


CASES = {"stop": case_stop, "stop_early": case_stop_early, "stop_insist": case_stop_insist,
         "stop_io": case_stop_io}

if __name__ == "__main__":
    main(CASES)
