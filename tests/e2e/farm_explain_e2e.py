"""End-to-end cases of `fanout farm-explain`: why each task of a farm is where it is, after a
halt, at a walltime and its resume, while the farm runs and after its mpirun was SIGKILLed, and
its bad input.

Run by CTest as farm_explain_e2e.py FANOUT "MPIRUN ARGS" CASE [ARG...]. Every process a case
starts is ended in the finally of run_cases, the tasks' own process groups and a killed mpirun's
ranks too (found by the case's directory in their command lines).
"""
import json
import os
import subprocess
import time

from e2e_support import FANOUT, MPIRUN, TMP, fail, run
from farm_e2e import farm, joblog, kill_tasks, run_cases, write


def explain(logs, *args, expect=0):
    return run(0, "farm-explain", logs, *args, expect=expect, timeout=60)


def tasks_of(logs, *args):
    """{task: its JSON object} from `fanout farm-explain LOGS --json`."""
    proc = explain(logs, "--json", *args)
    try:
        return {o["task"]: o for o in map(json.loads, proc.stdout.splitlines())}
    except ValueError:
        fail("farm-explain --json printed something other than a JSON object per line", proc)


def expect_state(tasks, seqs, state, *words):
    for seq in seqs:
        t = tasks.get(seq)
        if t is None or t["state"] != state or not all(w in t["why"] for w in words):
            fail(f"task {seq}: expected {state} saying {words}, got {t}")


def case_halt(np):
    """--halt soon,fail=2: the two failures say how they ended, where and where their output is;
    the tasks never started say the farm halted."""
    np = int(np)
    tasks = write("tasks.txt", ["exit 3", "exit 4"] + ["sleep 0.4"] * 10)
    logs = os.path.join(TMP, "logs")
    farm(np, tasks, "--halt", "soon,fail=2", "--slots", "1", "--schedule", "static", "--logs",
         logs, expect=1)
    got = tasks_of(logs)
    if sorted(got) != list(range(1, 13)):
        fail(f"farm-explain lists tasks {sorted(got)}, not 1..12")
    expect_state(got, [1], "failed", "exit 3")
    expect_state(got, [2], "failed", "exit 4")
    if got[1]["attempts"] != 1 or got[1]["last_start"]["rank"] != 0 or \
            got[1]["output"] != f"fanout farm-output {logs} --task 1":
        fail(f"task 1: not 1 attempt on rank 0 with its output named: {got[1]}")
    logged = {r["Seq"] for r in joblog(os.path.join(logs, "joblog"))}
    never = [s for s in range(1, 13) if s not in logged]
    if not never:
        fail("the halt let every task run")
    expect_state(got, never, "not started", "halted (its --halt rule")
    detail = explain(logs, "--task", "2").stdout
    for want in ("task 2: failed", "exit 4", "attempts: 1 started", "rank 0, slot 1",
                 f"output:   fanout farm-output {logs} --task 2"):
        if want not in detail:
            fail(f"--task 2 does not say {want!r}:\n{detail}")
    table = explain(logs).stdout.splitlines()
    if "halted" not in table[0] or not table[1].startswith("task") or len(table) != 14:
        fail("the table has no farm line, header and a line per task:\n" + "\n".join(table))
    failed = tasks_of(logs, "--state", "failed")
    if sorted(failed) != [1, 2]:
        fail(f"--state failed lists {sorted(failed)}")
    print("\n".join(table[:4]) + "\n" + detail)


def case_walltime(np):
    """FANOUT_END_TIME near: the tasks not started say walltime; the resume's explanation says
    which tasks the earlier run finished."""
    np = int(np)
    n = 30
    tasks = write("tasks.txt", ["sleep 0.4"] * n)
    logs = os.path.join(TMP, "logs")
    os.environ["FANOUT_END_TIME"] = str(int(time.time()) + 3)
    try:
        farm(np, tasks, "--slots", "2", "--logs", logs, "--time-request", "1s", expect=75)
    finally:
        del os.environ["FANOUT_END_TIME"]
    got = tasks_of(logs)
    done = {r["Seq"] for r in joblog(os.path.join(logs, "joblog"))}
    if not done or len(done) == n:
        fail(f"{len(done)} of {n} tasks done at the walltime")
    expect_state(got, sorted(done), "finished", "exit 0")
    expect_state(got, [s for s in range(1, n + 1) if s not in done], "not started", "walltime",
                 "--resume")
    first = explain(logs).stdout.splitlines()[0]
    if "stopped at the walltime" not in first:
        fail(f"the farm's line does not say walltime: {first}")
    farm(np, tasks, "--slots", "4", "--logs", logs, "--resume")
    got = tasks_of(logs)
    expect_state(got, sorted(done), "finished", "in an earlier run (the resume skipped it)")
    expect_state(got, [s for s in range(1, n + 1) if s not in done], "finished", "exit 0")
    if any(got[s]["end"]["earlier_run"] for s in range(1, n + 1) if s not in done):
        fail("a task the resume ran is said to be an earlier run's")
    first = explain(logs).stdout.splitlines()[0]
    if "2 runs" not in first or "completed" not in first or "resumed" not in first:
        fail(f"the farm's line does not say 2 runs, the last resumed and complete: {first}")


def case_killed(np):
    """While the farm runs: its running tasks say host, rank, slot, GPU and since when, the rest
    wait for a slot. After SIGKILL to mpirun: the tasks it was running are interrupted (no end
    recorded; a resume runs them again), the rest not started, and why."""
    np = int(np)
    n = 20
    slots = 2
    tasks = write("tasks.txt", ["sleep 30"] * n)
    logs = os.path.join(TMP, "logs")
    # A fake node of 4 GPUs, one per task: each running task says its own.
    env = dict(os.environ, CUDA_VISIBLE_DEVICES="0,1,2,3")
    proc = subprocess.Popen(MPIRUN + ["-q", "-np", str(np), FANOUT, "farm", tasks, "--slots",
                                      str(slots), "--gpus-per-task", "1", "--logs", logs],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL, start_new_session=True, env=env)
    deadline = time.monotonic() + 30
    running = {}
    while len(running) < np * slots:
        if time.monotonic() > deadline or proc.poll() is not None:
            fail(f"the farm never ran {np * slots} tasks at once: {running}")
        time.sleep(0.2)
        if os.path.exists(os.path.join(logs, "runs")):
            running = tasks_of(logs, "--state", "running")
    places = {(t["last_start"]["rank"], t["last_start"]["slot"]) for t in running.values()}
    if len(places) != np * slots or {r for r, _ in places} != set(range(np)):
        fail(f"running tasks not one per slot of every rank: {places}")
    gpus = sorted(t["last_start"]["gpus"] for t in running.values())
    if gpus != [str(g) for g in range(np * slots)]:
        fail(f"running tasks do not each say a GPU of their own: {gpus}")
    expect_state(running, list(running), "running", "since ", "attempt 1, on ", ", GPUs ")
    waiting = tasks_of(logs, "--state", "not-started")
    expect_state(waiting, list(waiting), "not started", "waiting for a free slot", "pid ")
    proc.kill()
    proc.wait()
    # The ranks outlive mpirun for seconds; the joblog's lock goes with the last of them.
    deadline = time.monotonic() + 30
    while "running now" in explain(logs).stdout.splitlines()[0]:
        if time.monotonic() > deadline:
            fail("the killed farm's ranks still hold its joblog 30 s later")
        time.sleep(0.2)
    got = tasks_of(logs)
    expect_state(got, sorted(running), "interrupted", "started, no end recorded",
                 "a --resume runs it again")
    # Its ranks may have written the end (they saw their launcher gone) or not (killed first).
    rest = [s for s in got if s not in running]
    for seq in rest:
        why = got[seq]["why"]
        if got[seq]["state"] != "not started" or not ("lost its launcher" in why or
                                                      "without recording its end" in why):
            fail(f"task {seq} after the kill: {got[seq]}")
    print(explain(logs, "--task", str(min(running))).stdout)


def case_bad_input():
    """No such LOGS, a task outside the list, an unknown state: one line, exit 2."""
    tasks = write("tasks.txt", ["true"] * 3)
    logs = os.path.join(TMP, "logs")
    farm(1, tasks, "--logs", logs)
    for args, want in (([os.path.join(TMP, "nowhere")], "no such directory"),
                       ([TMP], "not a farm's logs"),
                       ([logs, "--task", "9"], "--task 9: no such task"),
                       ([logs, "--state", "asleep"], "--state"),
                       ([logs, "--task", "0"], "--task")):
        proc = explain(*args, expect=2)
        err = [l for l in proc.stderr.splitlines() if l.strip()]
        if len(err) != 1 or want not in err[0] or proc.stdout:
            fail(f"farm-explain {' '.join(args)}: expected one line saying {want!r}", proc)


if __name__ == "__main__":
    run_cases(globals(), kill_tasks)
