"""End-to-end cases of one farm per joblog: a second farm on a joblog in use is refused, and the
ranks of a farm whose mpirun was killed start no new task while its resume runs.

Run by CTest as farm_lock_e2e.py FANOUT "MPIRUN ARGS" CASE [ARG...]. Every process a case starts
is ended in the finally below, the tasks' own process groups and a killed mpirun's ranks too
(found by the case's directory in their command lines).
"""
import os
import random
import shutil
import signal
import subprocess
import time

from e2e_support import FANOUT, MPIRUN, TMP, fail, run
from farm_e2e import joblog, kill_tasks, marking, marks, once_each, run_cases, start_farm, write

REFUSED = "another farm is writing it"
STALE = "another farm wrote to it while this one read it"


def farm_pids():
    """Pids of the fanout processes of this case (the ranks of every farm it started)."""
    out = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            argv = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")
        except OSError:
            continue
        if argv and argv[0] == FANOUT.encode() and TMP.encode() in b" ".join(argv):
            out.append(int(pid))
    return out


def resume_until_accepted(np, tasks, logs, deadline_s=120):
    """Runs the farm with --resume as a user would after a crash: refused (exit 2, one line naming
    the farm still writing the joblog) while the old farm's ranks live, again until it runs.
    Returns how many times it was refused; None (said on stdout) when it failed otherwise."""
    refusals = 0
    deadline = time.monotonic() + deadline_s
    while True:
        proc = run(np, "farm", tasks, "--slots", "3", "--logs", logs, "--resume", expect=None)
        if proc.returncode == 0:
            return refusals
        err = [l for l in proc.stderr.splitlines() if l.strip()]
        if proc.returncode != 2 or len(err) != 1 or not (REFUSED in err[0] or STALE in err[0]):
            print(f"the resume failed otherwise than by a refusal (exit {proc.returncode}): "
                  f"{proc.stderr.strip()}")
            return None
        refusals += 1
        print(f"  refused: {err[0]}")
        if time.monotonic() > deadline:
            fail(f"still refused after {deadline_s} s: {err[0]}")
        time.sleep(0.1)


def case_kill_launcher(tries):
    """SIGKILL to mpirun alone (its ranks live on, each in a process group of its own), then at
    once the same farm with --resume, `tries` times: every task recorded exactly once in the
    joblog, no task run again that the joblog recorded, and none of the killed farm's ranks alive
    at the end."""
    rng = random.Random(24)
    n = 80
    problems = []
    for attempt in range(1, int(tries) + 1):
        for sub in ("marks", "logs"):
            shutil.rmtree(os.path.join(TMP, sub), ignore_errors=True)
        tasks = write("tasks.txt", marking(n, extra="sleep 0.25; "))
        logs = os.path.join(TMP, "logs")
        proc = start_farm(tasks, logs)
        time.sleep(rng.uniform(1.5, 3.0))
        proc.kill()  # mpirun alone: what a lost login node or an OOM killer does
        proc.wait()
        before = {r["Seq"] for r in joblog(os.path.join(logs, "joblog"))}
        if len(before) == n:
            fail(f"try {attempt}: the kill came after the end")
        refusals = resume_until_accepted(2, tasks, logs)
        if refusals is None:
            problems.append(attempt)
            kill_tasks()
            continue
        rows = joblog(os.path.join(logs, "joblog"))
        seqs = sorted(r["Seq"] for r in rows)
        twice = sorted({s for s in seqs if seqs.count(s) > 1})
        missing = sorted(set(range(1, n + 1)) - set(seqs))
        ran_twice = sorted(t for t, runs in marks().items() if runs > 1)
        left = farm_pids()
        print(f"try {attempt}: {len(before)} in the joblog at the kill, resume refused "
              f"{refusals} times; logged twice: {twice}; missing: {missing}; ran twice: "
              f"{ran_twice}; ranks left: {left}")
        # Only tasks in flight at the kill (3 slots on each of 2 ranks) may have run twice: they
        # were cut and run again; none may be logged twice or never.
        if twice or missing or left or len(ran_twice) > 2 * 3:
            problems.append(attempt)
        kill_tasks()
    if problems:
        fail(f"tries {problems} of {tries}: a task logged twice or never, too many run twice, or "
             "ranks of the killed farm left")


def case_second_farm(np):
    """A farm on a joblog another farm is writing: one line naming the holder (pid and host), exit
    2, nothing started or written; the first farm ends with every task once, and a resume after it
    runs."""
    np = int(np)
    n = 12
    tasks = write("tasks.txt", marking(n, extra="sleep 2; "))
    logs = os.path.join(TMP, "logs")
    first = subprocess.Popen(MPIRUN + ["-q", "-np", str(np), FANOUT, "farm", tasks, "--slots", "1",
                                       "--logs", logs],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             stdin=subprocess.DEVNULL, start_new_session=True)
    lock = os.path.join(logs, "joblog.lock")
    deadline = time.monotonic() + 60
    while not (os.path.exists(lock) and len(open(lock).read().splitlines()) == np):
        if time.monotonic() > deadline or first.poll() is not None:
            fail("the first farm never held its joblog")
        time.sleep(0.05)
    holders = open(lock).read().splitlines()
    joblog_then = open(os.path.join(logs, "joblog")).read()
    second = run(np, "farm", tasks, "--slots", "1", "--logs", logs, "--resume", expect=2)
    err = [l for l in second.stderr.splitlines() if l.strip()]
    if len(err) != 1 or not err[0].startswith("fanout: error: --shell.joblog ") or \
            REFUSED not in err[0] or holders[0] not in err[0]:
        fail(f"expected one line naming the holder {holders[0]!r}", second)
    # Without --resume too: the lock is named, not the records of an earlier run.
    third = run(np, "farm", tasks, "--slots", "1", "--logs", logs, expect=2)
    if REFUSED not in third.stderr:
        fail("a second farm without --resume was not refused for the lock", third)
    # Another joblog is another farm: it may run beside.
    other = write("other.txt", ["true"])
    run(np, "farm", other, "--logs", os.path.join(TMP, "other-logs"))
    out, errs = first.communicate(timeout=120)
    if first.returncode != 0:
        fail(f"the first farm: exit {first.returncode}\n{errs}")
    once_each(joblog(os.path.join(logs, "joblog")), n, "the first farm's joblog")
    if not open(os.path.join(logs, "joblog")).read().startswith(joblog_then):
        fail("the refused farms changed the joblog")
    if marks() != {i: 1 for i in range(1, n + 1)}:
        fail(f"a refused farm ran tasks: {marks()}")
    run(np, "farm", tasks, "--slots", "1", "--logs", logs, "--resume")
    print(f"refused while held by {holders}")


def end_everything():
    """The killed farms' ranks first (they would start tasks), then every task left."""
    for pid in farm_pids():
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    kill_tasks()


if __name__ == "__main__":
    run_cases(globals(), end_everything)
