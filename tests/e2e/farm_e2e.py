"""End-to-end cases of `fanout farm`: the user's own commands under mpirun -np 1/2/3.

Run by CTest as farm_e2e.py FANOUT "MPIRUN ARGS" CASE [ARG...]. Every task writes a mark file
named after its task number, so "exactly once" is counted on disk, not taken from fanout's word.
Every process a case starts is ended in the finally of main(), the tasks' own process groups too
(found by the case's directory in their command lines).
"""
import json
import os
import random
import shutil
import signal
import subprocess
import time

from e2e_support import (FANOUT, MPIRUN, TMP, fail, finish, rank_pids, read_csv, run, start,
                          main, task_output)

PARALLEL = shutil.which("parallel")


def write(name, lines):
    path = os.path.join(TMP, name)
    with open(path, "w") as f:
        f.write("".join(line + "\n" for line in lines))
    return path


def marking(n, extra=""):
    """n commands; the one on line i appends i to marks/i (one line per run), after checking that
    fanout told it FANOUT_TASK_ID=i (GNU parallel, which does not, runs them too)."""
    os.makedirs(os.path.join(TMP, "marks"), exist_ok=True)
    return [f"{extra}[ \"${{FANOUT_TASK_ID:-{i}}}\" = {i} ] && echo {i} >> {TMP}/marks/{i}"
            for i in range(1, n + 1)]


def marks():
    """{task number: runs} from the mark files."""
    out = {}
    d = os.path.join(TMP, "marks")
    for name in os.listdir(d):
        out[int(name)] = len(open(os.path.join(d, name)).read().split())
    return out


def joblog(path):
    """The joblog's entries as dicts, GNU parallel's column names."""
    lines = open(path).read().split("\n")
    if lines[0] != "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand":
        fail(f"{path}: no joblog header: {lines[0]!r}")
    rows = []
    for line in lines[1:]:
        if not line:
            continue
        f = line.split("\t", 8)
        rows.append({"Seq": int(f[0]), "Host": f[1], "Exitval": int(f[6]), "Signal": int(f[7]),
                     "Command": f[8]})
    return rows


def output_list(logs):
    """{task: (attempts, stdout bytes, stderr bytes)} from `fanout farm-output LOGS`."""
    proc = run(0, "farm-output", logs)
    lines = proc.stdout.splitlines()
    if lines[0] != "task\tattempts\tstdout_bytes\tstderr_bytes\trank":
        fail(f"farm-output's listing has no header: {lines[0]!r}", proc)
    return {int(f[0]): (int(f[1]), int(f[2]), int(f[3])) for f in (l.split("\t") for l in lines[1:])}


def files_under(d):
    """Every file under d, relative to it, sorted."""
    return sorted(os.path.relpath(os.path.join(root, f), d)
                  for root, _, files in os.walk(d) for f in files)


def once_each(rows, n, what):
    seqs = sorted(r["Seq"] for r in rows)
    if seqs != list(range(1, n + 1)):
        fail(f"{what}: expected tasks 1..{n} once each, got {seqs}")


def farm(np, *args, expect=0, timeout=300):
    return run(np, "farm", *args, expect=expect, timeout=timeout)


def case_once(np, schedule, model):
    """Every task exactly once, on every rank's slots: marks, joblog and CSV agree."""
    np = int(np)
    tasks = write("tasks.txt", marking(45))
    logs = os.path.join(TMP, "logs")
    proc = farm(np, tasks, "--model", model, "--schedule", schedule, "--slots", "2", "--logs", logs,
                "--csv", os.path.join(TMP, "t.csv"), "--json", os.path.join(TMP, "t.json"))
    if marks() != {i: 1 for i in range(1, 46)}:
        fail(f"not every task ran once: {marks()}", proc)
    once_each(joblog(os.path.join(logs, "joblog")), 45, "joblog")
    rows = read_csv(os.path.join(TMP, "t.csv"))
    if sorted(int(r["seq"]) for r in rows) != list(range(1, 46)):
        fail("CSV rows are not tasks 1..45 once each")
    ranks = {r["rank"] for r in rows}
    if model.startswith("processes") and len(ranks) != np:
        fail(f"{model} on {np} ranks: tasks ran on ranks {sorted(ranks)} only")
    doc = json.load(open(os.path.join(TMP, "t.json")))
    r = doc["runs"][0]
    if (r["tasks_ok"], r["tasks_failed"], r["tasks_skipped"]) != (45, 0, 0):
        fail(f"figures: {r['tasks_ok']} ok, {r['tasks_failed']} failed, {r['tasks_skipped']} skipped")
    if not 0 < r["slot_utilisation"] <= 1.0001:
        fail(f"slot utilisation {r['slot_utilisation']}")
    if "fanout run: job tasks" not in proc.stdout or "slowest: task" not in proc.stdout:
        fail("no farm report on stdout", proc)


def case_exit_codes(np):
    """Exit codes, signals and a missing command recorded per task in CSV and joblog; exit 1."""
    np = int(np)
    tasks = write("tasks.txt", ["true", "exit 3", "kill -9 $$", "no-such-command-fanout",
                                "kill -USR1 $$", "echo fine"])
    logs = os.path.join(TMP, "logs")
    csv_path = os.path.join(TMP, "t.csv")
    proc = farm(np, tasks, "--logs", logs, "--csv", csv_path, expect=1)
    rows = {int(r["seq"]): r for r in read_csv(csv_path)}
    want = {1: ("0", "0", "ok"), 2: ("3", "0", "exit_status"), 3: ("0", "9", "signaled"),
            4: ("127", "0", "exit_status"), 5: ("0", "10", "signaled"), 6: ("0", "0", "ok")}
    got = {seq: (r["exit_code"], r["signal"], r["status"] if r["status"] == "ok" else r["error"])
           for seq, r in rows.items()}
    if got != want:
        fail(f"records: {got}, expected {want}", proc)
    log = {r["Seq"]: (r["Exitval"], r["Signal"]) for r in joblog(os.path.join(logs, "joblog"))}
    if log != {1: (0, 0), 2: (3, 0), 3: (0, 9), 4: (127, 0), 5: (0, 10), 6: (0, 0)}:
        fail(f"joblog: {log}")
    if b"not found" not in task_output(logs, 4, "err"):
        fail("the missing command's error is not in its output records")


def alive(pid):
    try:
        state = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def case_timeout(np):
    """Timeouts end the whole process group: nothing a task started survives it."""
    np = int(np)
    pids = os.path.join(TMP, "pids")
    os.makedirs(pids)
    tasks = write("tasks.txt", [f"sleep 1000 & echo $! > {pids}/$FANOUT_TASK_ID; sleep 1000"] * 4 +
                  [f"trap '' TERM; (sleep 1000; true) & echo $! > {pids}/t$FANOUT_TASK_ID; sleep 1000"] +
                  ["sleep 0.1"])
    logs = os.path.join(TMP, "logs")
    t0 = time.monotonic()
    proc = farm(np, tasks, "--model", "processes+async", "--slots", "3", "--timeout", "1s",
                "--kill-grace", "1s", "--logs", logs, expect=1)
    took = time.monotonic() - t0
    if took > 60:
        fail(f"timeouts of 1 s took {took:.1f} s", proc)
    log = {r["Seq"]: (r["Exitval"], r["Signal"]) for r in joblog(os.path.join(logs, "joblog"))}
    if [log[s] for s in (1, 2, 3, 4)] != [(-1, 15)] * 4 or log[5] != (-1, 9) or log[6] != (0, 0):
        fail(f"joblog of timeouts: {log}", proc)
    time.sleep(0.2)
    left = [f for f in os.listdir(pids) if alive(int(open(os.path.join(pids, f)).read()))]
    if left:
        fail(f"processes of timed-out tasks survived: {left}")


def case_retries(np):
    np = int(np)
    flaky = os.path.join(TMP, "flaky")
    os.makedirs(flaky)
    tasks = write("tasks.txt", [f"[ -e {flaky}/$FANOUT_TASK_ID ] || {{ touch {flaky}/$FANOUT_TASK_ID; exit 7; }}"] * 6 +
                  ["exit 2"])
    csv_path = os.path.join(TMP, "t.csv")
    farm(np, tasks, "--retries", "2", "--logs", os.path.join(TMP, "logs"), "--csv", csv_path, expect=1)
    rows = {int(r["seq"]): r for r in read_csv(csv_path)}
    if any(rows[s]["attempts"] != "2" or rows[s]["status"] != "ok" for s in range(1, 7)):
        fail(f"flaky tasks: {[(s, rows[s]['attempts'], rows[s]['status']) for s in rows]}")
    if rows[7]["attempts"] != "3" or rows[7]["exit_code"] != "2":
        fail(f"always failing task: {rows[7]}")


def case_halt(np, when):
    """--halt now,fail=2 ends the farm (and with now, its tasks in flight); exit 1; resume goes on."""
    np = int(np)
    tasks = write("tasks.txt", ["exit 1", "exit 1"] + ["sleep 2"] * 20)
    logs = os.path.join(TMP, "logs")
    t0 = time.monotonic()
    proc = farm(np, tasks, "--halt", f"{when},fail=2", "--slots", "2", "--schedule", "static",
                "--logs", logs, "--json", os.path.join(TMP, "t.json"), expect=1)
    took = time.monotonic() - t0
    doc = json.load(open(os.path.join(TMP, "t.json")))
    if doc["stopped_by"] != "halt" or "stopped by halt" not in proc.stderr:
        fail(f"not stopped by the halt: {doc['stopped_by']}", proc)
    rows = joblog(os.path.join(logs, "joblog"))
    if len(rows) >= 22:
        fail("the halt ran every task")
    if when == "now" and took > 30:
        fail(f"halt now took {took:.1f} s")


def case_logs_and_template(np):
    """A template over inputs with every replacement string; output as records and as files;
    20 MB from one task."""
    np = int(np)
    os.makedirs(os.path.join(TMP, "in dir"))
    names = ["a.txt", "b c.tar.gz", "it's.dat"]
    for n in names:
        open(os.path.join(TMP, "in dir", n), "w").write(n)
    inputs = write("inputs.txt", [os.path.join(TMP, "in dir", n) for n in names])
    for mode in ("records", "files"):
        logs = os.path.join(TMP, f"logs-{mode}")
        farm(np, "--command", "printf '%s|' {} {.} {/} {//} {/.} {#}; cat {} >&2", "--inputs",
             inputs, "--logs", logs, "--output", mode)
        for i, n in enumerate(names, 1):
            full = os.path.join(TMP, "in dir", n)
            stem = n.rsplit(".", 1)[0]
            want = f"{full}|{full.rsplit('.', 1)[0]}|{n}|{os.path.join(TMP, 'in dir')}|{stem}|{i}|"
            if mode == "records":
                got, err = task_output(logs, i).decode(), task_output(logs, i, "err").decode()
            else:
                got = open(os.path.join(logs, "0", f"{i}.out")).read()
                err = open(os.path.join(logs, "0", f"{i}.err")).read()
            if got != want:
                fail(f"{mode}: task {i}: {got!r}, expected {want!r}")
            if err != n:
                fail(f"{mode}: task {i}: stderr {err!r}, expected {n!r}")
    big = write("big.txt", ["head -c 20000000 /dev/zero", "echo small"])
    big_logs = os.path.join(TMP, "big-logs")
    proc = farm(np, big, "--logs", big_logs, "--csv", os.path.join(TMP, "big.csv"))
    if len(task_output(big_logs, 1)) != 20000000 or task_output(big_logs, 2) != b"small\n":
        fail("the 20 MB output is not in its record", proc)
    rows = {r["seq"]: r for r in read_csv(os.path.join(TMP, "big.csv"))}
    if rows["1"]["out_bytes"] != "20000000":
        fail(f"out_bytes {rows['1']['out_bytes']}")


def case_output_records(np):
    """Records: one file per rank whatever the task count, every task's output listed and printed,
    a retried task's attempts, and a torn last record ignored and said."""
    np = int(np)
    n = 300
    tasks = write("tasks.txt", [f"echo o {i}; echo e {i} >&2" for i in range(1, n + 1)] +
                  [f"echo try-$(ls {TMP}/mark 2>/dev/null | wc -l); [ -e {TMP}/mark ] || "
                   f"{{ touch {TMP}/mark; exit 5; }}"])
    logs = os.path.join(TMP, "logs")
    farm(np, tasks, "--slots", "3", "--retries", "1", "--logs", logs)
    # The run log and a start journal per rank (farm-explain's) are a few files too.
    want = ["joblog", "joblog.lock", "runs"] + [f"output/{r}.records" for r in range(np)] + \
        [f"starts/{r}" for r in range(np)]
    if files_under(logs) != sorted(want):
        fail(f"{n + 1} tasks on {np} ranks left {files_under(logs)}, expected {sorted(want)}")
    listed = output_list(logs)
    expected = {i: (1, len(f"o {i}\n"), len(f"e {i}\n")) for i in range(1, n + 1)}
    expected[n + 1] = (2, len("try-1\n"), 0)
    if listed != expected:
        fail(f"farm-output lists {len(listed)} tasks, unlike the {n + 1} run: "
             f"{sorted(set(listed.items()) ^ set(expected.items()))[:5]}")
    if task_output(logs, 57) != b"o 57\n" or task_output(logs, 57, "err") != b"e 57\n":
        fail("task 57's output is not what it printed")
    if (task_output(logs, n + 1) != b"try-1\n" or
            task_output(logs, n + 1, "out", "--attempt", "1") != b"try-0\n"):
        fail("a retried task: the last attempt by default, --attempt 1 the first")
    # A kill mid-write leaves a header whose bytes never came: ignored, and said.
    with open(os.path.join(logs, "output", "0.records"), "ab") as f:
        f.write(b"FOR1\x01\x00\x28\x00" + bytes(32)[:-8] + (1000).to_bytes(8, "little") + b"cut")
    proc = run(0, "farm-output", logs)
    if len(proc.stdout.splitlines()) != n + 2 or "cut short" not in proc.stderr:
        fail("a torn last record is not ignored and said", proc)
    refused = run(0, "farm-output", logs, "--task", "1", "--attempt", "2", expect=2)
    if "task 1 has 1 attempt" not in refused.stderr:
        fail("an attempt the task lacks is not refused", refused)


def case_parallel_joblog():
    """GNU parallel --resume accepts fanout's joblog, and fanout --resume accepts parallel's."""
    if not PARALLEL:
        fail("GNU parallel is not installed (cluster/deps.sh installs it)")
    tasks = write("tasks.txt", marking(20))
    log_a = os.path.join(TMP, "a.joblog")
    # fanout runs the first 8; parallel resumes the rest.
    farm(1, tasks, "--count", "8", "--joblog", log_a, "--logs", os.path.join(TMP, "la"))
    with open(tasks) as stdin:
        p = subprocess.run([PARALLEL, "--resume", "--joblog", log_a, "-j2"], stdin=stdin,
                           capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        fail(f"parallel --resume on fanout's joblog: exit {p.returncode}: {p.stderr}")
    if marks() != {i: 1 for i in range(1, 21)}:
        fail(f"fanout then parallel: {marks()}")
    once_each(joblog(log_a), 20, "fanout's joblog after parallel")
    # parallel runs the first 8 lines of a fresh list; fanout resumes, commands compared.
    shutil.rmtree(os.path.join(TMP, "marks"))
    tasks = write("tasks2.txt", marking(20))
    log_b = os.path.join(TMP, "b.joblog")
    head = subprocess.run(["head", "-8", tasks], capture_output=True, text=True).stdout
    p = subprocess.run([PARALLEL, "--joblog", log_b, "-j2"], input=head, capture_output=True,
                       text=True, timeout=120)
    if p.returncode != 0:
        fail(f"parallel: exit {p.returncode}: {p.stderr}")
    proc = farm(1, tasks, "--resume", "--joblog", log_b, "--logs", os.path.join(TMP, "lb"))
    if marks() != {i: 1 for i in range(1, 21)}:
        fail(f"parallel then fanout: {marks()}", proc)
    once_each(joblog(log_b), 20, "parallel's joblog after fanout")
    # A template: the commands parallel logs are the ones fanout builds, quoting included.
    inputs = write("inputs.txt", ["plain", "with space", "it's"])
    log_c = os.path.join(TMP, "c.joblog")
    p = subprocess.run([PARALLEL, "--joblog", log_c, "echo", "{}", "{#}", "::::", inputs],
                       capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        fail(f"parallel template: {p.stderr}")
    proc = farm(1, "--command", "echo {} {#}", "--inputs", inputs, "--resume", "--joblog", log_c,
                "--logs", os.path.join(TMP, "lc"), "--json", os.path.join(TMP, "c.json"))
    doc = json.load(open(os.path.join(TMP, "c.json")))
    if doc["job"]["shell"]["resumed_finished"] != 3 or doc["runs"][0]["tasks"] != 0:
        fail("fanout did not take parallel's template commands as its own", proc)


def case_resume_after_kill(seed):
    """SIGKILL of the whole job at a random moment, then --resume: every task recorded once, and
    only tasks in flight at the kill may have run twice."""
    rng = random.Random(int(seed))
    n = 80
    tasks = write("tasks.txt", marking(n, extra="echo out $FANOUT_TASK_ID; sleep 0.25; "))
    logs = os.path.join(TMP, "logs")
    proc = start_farm(tasks, logs)
    time.sleep(rng.uniform(0.5, 2.0))
    os.killpg(proc.pid, signal.SIGKILL)  # mpirun and its ranks
    proc.wait()
    kill_tasks()  # as a batch system ends what is left in the job's cgroup
    before = {r["Seq"] for r in joblog(os.path.join(logs, "joblog"))} if os.path.exists(
        os.path.join(logs, "joblog")) else set()
    ran_before = marks() if os.path.isdir(os.path.join(TMP, "marks")) else {}
    if len(before) == n:
        fail(f"seed {seed}: the kill came after the end; pick another moment")
    farm(2, tasks, "--slots", "3", "--logs", logs, "--resume")
    rows = joblog(os.path.join(logs, "joblog"))
    once_each(rows, n, f"seed {seed}: joblog after resume")
    m = marks()
    if set(m) != set(range(1, n + 1)):
        fail(f"seed {seed}: tasks never ran: {sorted(set(range(1, n + 1)) - set(m))}")
    twice = {t for t, runs in m.items() if runs > 1}
    if twice & before:
        fail(f"seed {seed}: tasks the joblog recorded as finished ran again: {sorted(twice & before)}")
    in_flight = {t for t in ran_before if t not in before}
    if not twice <= in_flight or len(twice) > 2 * 3:
        fail(f"seed {seed}: ran twice {sorted(twice)}; in flight at the kill {sorted(in_flight)}")
    listed = output_list(logs)
    if set(listed) != set(range(1, n + 1)):
        fail(f"seed {seed}: tasks without output records: {sorted(set(range(1, n + 1)) - set(listed))}")
    for t in (1, n, *sorted(twice)):
        if task_output(logs, t) != f"out {t}\n".encode():
            fail(f"seed {seed}: task {t}'s last output is {task_output(logs, t)!r}")
    print(f"seed {seed}: {len(before)} finished before the kill, {len(in_flight)} in flight, "
          f"{len(twice)} ran again")


def case_stop(np):
    """SIGTERM to every rank mid-farm (as Slurm's time limit sends it): tasks in flight get it,
    finished ones are kept, and --resume completes the farm with every task once."""
    np = int(np)
    tasks = write("tasks.txt", marking(30, extra="sleep 0.4; "))
    logs = os.path.join(TMP, "logs")
    p = start(np, "farm", tasks, "--slots", "2", "--logs", logs, "--json", os.path.join(TMP, "t.json"))
    time.sleep(1.5)
    for pid in rank_pids(p, np).values():
        os.kill(pid, signal.SIGTERM)
    done = finish(p)
    if done.returncode == 0:
        fail("a stopped farm exited 0", done)
    doc = json.load(open(os.path.join(TMP, "t.json")))
    if doc["stopped_by"] != "SIGTERM" or doc["runs"][0]["tasks_stopped"] + doc["runs"][0]["tasks_ok"] == 0:
        fail(f"stopped farm: {doc['stopped_by']}, runs {doc['runs'][0]}", done)
    farm(np, tasks, "--slots", "2", "--logs", logs, "--resume")
    once_each(joblog(os.path.join(logs, "joblog")), 30, "after the stop and resume")


def case_walltime(np):
    """FANOUT_END_TIME, as a chain's job sets it: no task starts that shell.time-request would
    carry past it; the tasks in flight finish and are logged; exit 75, stopped by walltime, said
    once. A resume whose end is too near for any task starts none; one without an end runs the
    rest, every task once. An end that is no time is refused: exit 2, one line."""
    np = int(np)
    n = 60
    tasks = write("tasks.txt", marking(n, extra="sleep 0.5; "))
    logs = os.path.join(TMP, "logs")
    out = os.path.join(TMP, "t.json")
    end = int(time.time()) + 4
    os.environ["FANOUT_END_TIME"] = str(end)
    try:
        proc = farm(np, tasks, "--slots", "2", "--logs", logs, "--time-request", "1s",
                    "--json", out, expect=75)
    finally:
        del os.environ["FANOUT_END_TIME"]
    doc = json.load(open(out))
    said = [m for m in doc["runs"][0]["error_messages"] if "no task starts: one may take 1 s" in m]
    # Each rank that met the end says so once; a rank the relayed stop reached first says nothing.
    if doc["stopped_by"] != "walltime" or not 1 <= len(said) <= np or \
            "fanout: stopped by walltime (no further task would end" not in proc.stderr:
        fail(f"not stopped by walltime: {doc['stopped_by']}, {doc['runs'][0]['error_messages']}",
             proc)
    cut = doc["runs"][0]["partial_repetition"]
    if cut["tasks_stopped"] != 0 or cut["failed"] != 0:
        fail(f"a task walltime kept from starting counts as failed: {doc['runs'][0]}", proc)
    rows = [l.split("\t") for l in open(os.path.join(logs, "joblog")).read().splitlines()[1:]]
    if len(rows) >= n or any(r[6] != "0" or r[7] != "0" for r in rows):
        fail(f"{len(rows)} tasks logged, expected fewer than {n}, each well: {rows}")
    late = [r for r in rows if float(r[2]) + 1 > end + 0.01]
    if late:
        fail(f"tasks started less than 1 s before FANOUT_END_TIME={end}: {late}")
    if sum(marks().values()) != len(rows):
        fail(f"{sum(marks().values())} tasks ran, {len(rows)} logged: one was cut")

    os.environ["FANOUT_END_TIME"] = str(int(time.time()) + 600)
    try:
        proc = farm(np, tasks, "--slots", "2", "--logs", logs, "--time-request", "1h",
                    "--resume", "--json", out, expect=75)
        bad = os.environ["FANOUT_END_TIME"] = "tomorrow"
        refused = farm(np, tasks, "--slots", "2", "--logs", logs, "--resume", expect=2)
    finally:
        del os.environ["FANOUT_END_TIME"]
    if "one may take 1 h (shell.time-request), and the end FANOUT_END_TIME gives is" not in \
            json.dumps(json.load(open(out))):
        fail("a resume 10 min before the end ran tasks of 1 h", proc)
    err = [l for l in refused.stderr.splitlines() if l.strip()]
    if len(err) != 1 or f"FANOUT_END_TIME={bad}: expected the allocation's end" not in err[0]:
        fail("an end that is no time was not refused with one line", refused)
    if len(open(os.path.join(logs, "joblog")).read().splitlines()) - 1 != len(rows):
        fail("a refused resume logged tasks")

    farm(np, tasks, "--slots", "12", "--logs", logs, "--resume")
    once_each(joblog(os.path.join(logs, "joblog")), n, "after walltime and resume")
    if marks() != {i: 1 for i in range(1, n + 1)}:
        fail("a task ran twice or not at all")


def case_progress():
    """The live progress line on rank 0 while the farm runs: done, failed, running, rate, ETA."""
    tasks = write("tasks.txt", ["sleep 0.3"] * 24 + ["exit 1"])
    proc = farm(1, tasks, "--slots", "2", "--logs", os.path.join(TMP, "logs"), "--progress", "plain",
                expect=1)
    lines = [l for l in proc.stderr.splitlines() if " tasks, " in l and " failed, " in l]
    if not lines or "running" not in lines[0] or "/25 tasks" not in lines[0]:
        fail("no live progress line", proc)
    if not any("ETA" in l for l in lines):
        fail("no ETA in the progress lines", proc)


def case_compare():
    """compare runs a sample once per model and slot count, classifies the tasks from their
    rusage and says how many slots per core; it refuses to rerun a whole small list."""
    tasks = write("tasks.txt", ["sleep 0.2"] * 64)
    proc = run(1, "compare", "--workload", "shell", "--shell.tasks", tasks, "--shell.sample", "16",
               "--shell.logs", os.path.join(TMP, "logs"), "--json", os.path.join(TMP, "c.json"))
    doc = json.load(open(os.path.join(TMP, "c.json")))
    rec = doc["recommendation"]
    if rec["bound"] != "io" or rec["workers_per_core"] is None or rec["workers_per_core"] < 1:
        fail(f"recommendation for sleeping tasks: {rec}", proc)
    if "slots per core" not in rec["why"]:
        fail(f"no slots per core in the why: {rec['why']}")
    if any(r["tasks"] != 16 for r in doc["runs"]):
        fail("compare did not run the sample")
    widths = sorted(r["workers_per_rank"] for r in doc["runs"] if r["model"] == "async")
    if len(widths) != 2 or widths[1] != 4 * widths[0]:
        fail(f"async slot counts measured: {widths}")
    if os.path.exists(os.path.join(TMP, "logs", "joblog")):
        fail("compare wrote a joblog")
    small = write("small.txt", ["true"] * 5)
    refused = run(1, "compare", "--workload", "shell", "--shell.tasks", small, expect=2)
    if "shell.rerun" not in refused.stderr:
        fail("compare of a whole list ran it once per model", refused)
    run(1, "run", "--workload", "shell", "--shell.tasks", small, "--repeat", "3", expect=2)


def case_scale():
    """scale on a farm: every point runs the same sample, its slots (--threads) count as workers,
    and no point writes a joblog that a later run would take for the farm's own."""
    tasks = write("tasks.txt", ["sleep 0.05"] * 64)
    logs = os.path.join(TMP, "logs")
    out = os.path.join(TMP, "study")
    proc = run(0, "scale", "--workload", "shell", "--shell.tasks", tasks, "--shell.logs", logs,
               "--ranks", "1,2", "--threads", "1,2", "--repeat", "1", "--out", out, timeout=600)
    doc = json.load(open(os.path.join(out, "study.json")))
    points = {p["key"]: p for p in doc["points"]}
    workers = {k: p["workers"] for k, p in points.items()}
    if workers != {"r1-t1": 1, "r2-t1": 2, "r1-t2": 2, "r2-t2": 4}:
        fail(f"workers of the points: {workers}", proc)
    if any(p["status"] != "ok" for p in points.values()):
        fail(f"points: {[(k, p['status']) for k, p in points.items()]}", proc)
    if os.path.exists(os.path.join(logs, "joblog")) or not os.path.isdir(os.path.join(logs, "sample")):
        fail("a study's sample wrote a joblog, or its logs are not in LOGS/sample")


def case_bad_input(np):
    """Bad input: one error line naming the file:line or flag, exit 2, nothing started."""
    np = int(np)
    good = write("good.txt", marking(3))
    bin_ = os.path.join(TMP, "bin.txt")
    open(bin_, "wb").write(b"echo a\n\x00\x01\x02\n")
    other = write("other.txt", ["echo x", "echo y"])
    other_log = os.path.join(TMP, "other.joblog")
    open(other_log, "w").write("Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\n"
                               "1\t:\t1.0\t1.0\t0\t0\t0\t0\techo x\n")
    cases = [
        ([os.path.join(TMP, "missing.txt")], "--shell.tasks '"),
        ([write("empty.txt", [])], "no commands"),
        ([write("comments.txt", ["# only", ""])], "no commands"),
        (["/proc/self/mem"], "cannot read it"),
        ([bin_], f"{bin_}:2: a NUL byte"),
        ([TMP], "not a regular file"),
        (["--command", "echo {x.} {/./} {2}", "--inputs", good], "{2}: fanout reads one input source"),
        (["--command", "echo {}", "--inputs", os.path.join(TMP, "noinputs.txt")], "--shell.inputs '"),
        (["--command", "echo {}"], "needs shell.inputs"),
        ([good, "--logs", "/etc/hostname/logs"], "--shell.logs /etc/hostname/logs: /etc/hostname is not a directory"),
        ([good, "--resume", "--joblog", other_log], f"{other_log}:2: task 1 ran 'echo x'"),
        ([good, "--halt", "sometimes"], "--shell.halt 'sometimes': expected never"),
        ([good, "--timeout", "-1s"], "--shell.timeout"),
        ([good, "--slots", "0"], "--shell.slots '0'"),
        ([good, "--workdir", os.path.join(TMP, "nowhere")], "--shell.workdir"),
        ([good, "--sample", "0"], "--shell.sample '0'"),
        ([good, "--time-request", "a while"], "--shell.time-request 'a while'"),
    ]
    for args, expected in cases:
        proc = farm(np, *args, expect=2)
        err = [l for l in proc.stderr.splitlines() if l.strip()]
        if len(err) != 1 or not err[0].startswith("fanout: error: ") or expected not in err[0]:
            fail(f"farm {' '.join(args)}: expected one error line with {expected!r}", proc)
    if os.path.isdir(os.path.join(TMP, "marks")) and os.listdir(os.path.join(TMP, "marks")):
        fail("a task ran despite bad input")
    if os.path.exists(os.path.join(TMP, "good.logs")):
        fail("bad input left a logs directory")
    # A joblog of an earlier run without --resume: refused, and the earlier records kept.
    logs = os.path.join(TMP, "logs")
    farm(np, good, "--logs", logs)
    before = open(os.path.join(logs, "joblog")).read()
    proc = farm(np, good, "--logs", logs, expect=2)
    if "records tasks of an earlier run" not in proc.stderr or open(os.path.join(logs, "joblog")).read() != before:
        fail("a second run over an old joblog was not refused", proc)


def start_farm(tasks, logs):
    """`tasks` farmed under mpirun -np 2 with 3 slots a rank, in a session of its own, unwaited."""
    return subprocess.Popen(MPIRUN + ["-q", "-np", "2", FANOUT, "farm", tasks, "--slots", "3",
                                      "--logs", logs],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL, start_new_session=True)


def run_cases(names, cleanup):
    """Runs the case named on the command line among the case_* functions of `names` (a script's
    globals()), then `cleanup` and the case's directory's removal, however the case ends."""
    try:
        main({name[5:]: fn for name, fn in names.items() if name.startswith("case_")})
    finally:
        cleanup()
        shutil.rmtree(TMP, ignore_errors=True)


def kill_tasks():
    """Ends every process whose command line names this case's directory (the farm's tasks run in
    process groups of their own, out of mpirun's reach), scanning again until a scan finds none:
    a child a killed rank was spawning can exec after one scan and still finish its task."""
    deadline = time.monotonic() + 10
    while kill_tasks_once() and time.monotonic() < deadline:
        time.sleep(0.1)


def kill_tasks_once():
    """One scan of kill_tasks; returns how many processes it signalled."""
    me = os.getpid()
    signalled = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == me:
            continue
        try:
            cmdline = open(f"/proc/{pid}/cmdline", "rb").read().decode(errors="replace")
        except OSError:
            continue
        if TMP in cmdline:
            try:
                # A task's shell leads its own process group: end what it started too.
                if os.getpgid(int(pid)) == int(pid) and int(pid) != os.getpgid(me):
                    os.killpg(int(pid), signal.SIGKILL)
                else:
                    os.kill(int(pid), signal.SIGKILL)
                signalled += 1
            except OSError:
                pass
    return signalled


if __name__ == "__main__":
    run_cases(globals(), kill_tasks)
