#!/usr/bin/env python3
"""End-to-end checks of `fanout submit`, `fanout status` and `fanout collect` against the real
single-node Slurm of the test fixture (cluster/slurm-up.sh), run by CTest (one case per test).

usage: batch_e2e.py FANOUT CASE      (SLURM_CONF in the environment)
Checks what a user gets: the scripts, DIR/submit.json, the jobs in Slurm, the collected
study.json and study.csv, stdout, stderr and exit codes. Polls squeue every 0.2 s, not sbatch --wait.
"""
import atexit
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

FANOUT, CASE = sys.argv[1], sys.argv[2]
TMP = tempfile.mkdtemp(prefix="fanout-batch-")
# Gone however the case ends: passed, failed (sys.exit), raised, or stopped by CTest's SIGTERM.
atexit.register(shutil.rmtree, TMP, ignore_errors=True)
signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
# Small fib tasks: a point's job runs for about a second.
QUICK = ["--cpu.kernel", "fib", "--cpu.n", "24", "--cpu.count", "16"]


def fail(msg, proc=None):
    if proc is not None:
        msg += f"\n--- exit {proc.returncode}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"
    print("FAIL:", msg)
    sys.exit(1)


def run(args, expect=0, timeout=120):
    cmd = [FANOUT, *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)
    if expect is not None and proc.returncode != expect:
        fail(f"{' '.join(cmd)}: expected exit {expect}", proc)
    return proc


def queued_jobs():
    out = subprocess.run(["squeue", "-h", "-o", "%i"], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def wait_gone(job_ids, limit_s):
    """Until none of the jobs is in squeue (array elements included)."""
    deadline = time.monotonic() + limit_s
    while True:
        out = subprocess.run(["squeue", "-h", "-o", "%i %A"], capture_output=True, text=True,
                             check=True).stdout.split()
        left = [j for j in job_ids if j in out]
        if not left:
            return
        if time.monotonic() > deadline:
            subprocess.run(["scancel", *job_ids])
            fail(f"jobs {left} still queued after {limit_s} s:\n"
                 + subprocess.run(["squeue"], capture_output=True, text=True).stdout)
        time.sleep(0.2)


def manifest(out):
    return json.load(open(os.path.join(out, "submit.json")))


def study(out):
    path = os.path.join(out, "study.json")
    if not os.path.isfile(path):
        log = os.path.join(out, "collect.log")
        fail(f"no study.json in {out}; collect.log:\n"
             + (open(log).read() if os.path.isfile(log) else "(none)"))
    return json.load(open(path))


def expect_one_error(proc, *needles):
    lines = [l for l in proc.stderr.splitlines() if l.strip()]
    if len(lines) != 1 or not lines[0].startswith("fanout: error: "):
        fail("expected exactly one 'fanout: error:' line on stderr", proc)
    for needle in needles:
        if needle not in lines[0]:
            fail(f"error line lacks '{needle}'", proc)


def submit_and_wait(out, extra, limit_s=120):
    proc = run(["submit", *QUICK, "--ranks-per-node", "1,2", "--time", "00:05:00",
                "--out", out, *extra])
    if "submitted 2 points to Slurm" not in proc.stdout:
        fail("submit did not say what it submitted", proc)
    m = manifest(out)
    ids = [m["collect"]["job_id"]] + [p["job_id"].split("_")[0] for p in m["points"]]
    wait_gone(sorted(set(ids)), limit_s)
    return m


def check_collected(out, m):
    doc = study(out)
    if doc["command"] != "collect" or doc["batch"]["scheduler"] != "slurm":
        fail(f"study.json: command {doc['command']}, batch {doc['batch']}")
    if doc["incomplete"]:
        fail("study.json says incomplete after every job ended")
    keys = [p["key"] for p in doc["points"]]
    if keys != ["n1-r1-t1", "n1-r2-t1"]:
        fail(f"points {keys}")
    for p, mp in zip(doc["points"], m["points"]):
        if p["status"] != "ok" or p["job_state"] != "COMPLETED" or p["job_id"] != mp["job_id"]:
            fail(f"point {p['key']}: status {p['status']}, job {p['job_id']} {p['job_state']}, "
                 f"error {p['error']!r}")
        if p["nodes"] != 1 or len(p["wall_s_reps"]) != 3 or p["tasks"] != 16:
            fail(f"point {p['key']}: nodes {p['nodes']}, reps {p['wall_s_reps']}, tasks {p['tasks']}")
    if doc["base_case"]["key"] != "n1-r1-t1" or doc["points"][1]["speedup"] is None:
        fail(f"base case {doc['base_case']}, speedup {doc['points'][1]['speedup']}")
    # Each rank count was really run: the run documents record the world size.
    for p in doc["points"]:
        run_doc = json.load(open(os.path.join(out, p["run_json"])))
        if run_doc["environment"]["world_size"] != p["ranks"]:
            fail(f"{p['key']}: world_size {run_doc['environment']['world_size']}")
    rows = open(os.path.join(out, "study.csv")).read().splitlines()
    if len(rows) != 3 or not rows[0].endswith(",nodes,job_id,job_state"):
        fail(f"study.csv:\n" + "\n".join(rows))
    return doc


def case_study():
    out = os.path.join(TMP, "study")
    m = submit_and_wait(out, [])
    for p in m["points"]:
        script = open(os.path.join(out, p["script"])).read()
        for line in ("#SBATCH --time=00:05:00", f"#SBATCH --ntasks-per-node={p['ranks_per_node']}",
                     "srun --mpi=pmix", "export OMP_NUM_THREADS=${SLURM_CPUS_PER_TASK:-1}"):
            if line not in script:
                fail(f"{p['script']} lacks {line!r}:\n{script}")
    collect_script = open(os.path.join(out, m["collect"]["script"])).read()
    deps = ":".join(p["job_id"] for p in m["points"])
    if f"#SBATCH --dependency=afterany:{deps}" not in collect_script:
        fail(f"collect script lacks the dependency on {deps}:\n{collect_script}")
    first = check_collected(out, m)
    status = run(["status", out])
    lines = status.stdout.splitlines()
    for p in m["points"]:
        row = next((l for l in lines if l.startswith(p["key"] + " ")), "")
        if p["job_id"] not in row or "COMPLETED" not in row or "3 repetitions" not in row:
            fail(f"status row of {p['key']}: {row!r}", status)
    if not any(l.startswith("collect ") and "COMPLETED" in l and "study.json" in l for l in lines):
        fail("status lacks the completed collect job", status)
    status_unanswered(out)
    # Collect again by hand: the same report, printed.
    again = run(["collect", out])
    if "fanout collect: job" not in again.stdout or "n1-r2-t1" not in again.stdout:
        fail("collect printed no table", again)
    second = study(out)
    if [p["wall_s_reps"] for p in second["points"]] != [p["wall_s_reps"] for p in first["points"]]:
        fail("a second collect changed the measurements")


def case_array():
    out = os.path.join(TMP, "array")
    m = submit_and_wait(out, ["--array"])
    if not m["array"] or [p["job_id"] for p in m["points"]] != [
            f"{m['array_job_id']}_0", f"{m['array_job_id']}_1"]:
        fail(f"array job ids: {m['array_job_id']}, {[p['job_id'] for p in m['points']]}")
    script = open(os.path.join(out, m["array_script"])).read()
    for line in ("#SBATCH --array=0-1", "#SBATCH --ntasks-per-node=2", "points=(n1-r1-t1 n1-r2-t1)"):
        if line not in script:
            fail(f"array script lacks {line!r}:\n{script}")
    check_collected(out, m)


def case_mpirun():
    """--launcher mpirun: Open MPI takes the ranks' places from the allocation, per point and in
    an array."""
    for extra in ([], ["--array"]):
        out = os.path.join(TMP, "mpirun" + "".join(extra))
        m = submit_and_wait(out, ["--launcher", "mpirun", *extra])
        script = open(os.path.join(out, m["points"][1]["script"])).read()
        if "mpirun --mca odls_base_sigkill_timeout 1 --mca oob_tcp_keepalive_time 1 " not in script:
            fail(f"no mpirun launch line in:\n{script}")
        check_collected(out, m)


def case_time_limit():
    """A point whose job hits its time limit keeps the repetitions it finished, marked incomplete,
    and collect reports it. Slurm enforces limits in whole minutes and checks them about every
    30 s, so this case takes two to three minutes."""
    out = os.path.join(TMP, "time-limit")
    # About 15 s per repetition on one rank, 20 repetitions: the first ends well inside the
    # 1-minute limit and the last far beyond its 60-90 s enforcement, even if the machine runs
    # three times faster or slower than when calibrated (other tests share it).
    cal = os.path.join(TMP, "cal.json")
    run(["run", "--cpu.kernel", "fib", "--cpu.n", "30", "--cpu.count", "200", "--quiet",
         "--json", cal])
    task_s = json.load(open(cal))["runs"][0]["task_duration_s"]["mean"]
    count = max(100, int(15 / task_s))
    proc = run(["submit", "--name", "long", "--cpu.kernel", "fib", "--cpu.n", "30",
                "--cpu.count", str(count), "--repeat", "20", "--ranks-per-node", "1,2",
                "--partition", "short", "--time", "00:01:00", "--out", out])
    m = manifest(out)
    wait_gone([m["collect"]["job_id"]] + [p["job_id"] for p in m["points"]], 300)
    doc = study(out)
    base = doc["points"][0]
    if base["job_state"] != "TIMEOUT":
        fail(f"base point: job state {base['job_state']}, expected TIMEOUT")
    run_doc = json.load(open(os.path.join(out, base["run_json"])))
    if not run_doc["incomplete"] or run_doc.get("stopped_by") != "SIGTERM":
        fail(f"run document: incomplete {run_doc['incomplete']}, stopped_by "
             f"{run_doc.get('stopped_by')}")
    reps = run_doc["runs"][0]["wall_s_reps"]
    if not 1 <= len(reps) < 20:
        fail(f"expected some but not all of 20 repetitions before the limit, got {len(reps)}")
    if base["status"] != "ok" or len(base["wall_s_reps"]) != len(reps):
        fail(f"collect did not keep the finished repetitions: {base}")
    if not any(w["kind"] == "incomplete" and w["point"] == "n1-r1-t1" for w in doc["warnings"]):
        fail(f"no incomplete warning for the cut point: {doc['warnings']}")
    for p in doc["points"]:
        if p["job_state"] not in ("TIMEOUT", "COMPLETED"):
            fail(f"{p['key']}: job state {p['job_state']}")


def case_bad_options():
    before = queued_jobs()
    out = os.path.join(TMP, "bad")
    cases = [
        (["--time", "00:05:00", "--partition", "nope"], ("invalid partition", "nothing was submitted")),
        (["--time", "00:05:00", "--partition", "short"], ("time limit", "nothing was submitted")),
        (["--time", "00:05:00", "--nodes", "2"], ("node", "nothing was submitted")),
    ]
    for extra, needles in cases:
        args = ["submit", *QUICK, "--ranks-per-node", "1,2", "--out", out, *extra]
        proc = run(args, expect=2)
        expect_one_error(proc, *needles)
        if os.path.exists(out):
            fail(f"{' '.join(extra)}: {out} was created", proc)
    for args, needle in [
        (["--scheduler", "lsf"], "--scheduler 'lsf': expected one of: slurm, pbs"),
        (["--time", "99"], "--nodes/--ranks-per-node/--threads"),
        (["--scheduler", "pbs"], "qsub is not on PATH"),
    ]:
        base = ["submit", *QUICK, "--time", "00:05:00", "--ranks-per-node", "1,2", "--out", out]
        if args[0] == "--time":
            base = ["submit", *QUICK, "--out", out]
        proc = run(base + args, expect=2)
        expect_one_error(proc, needle)
    if queued_jobs() != before:
        fail(f"bad options submitted jobs: {queued_jobs() - before}")
    # A directory with a submission already, and commands on a directory without one.
    good = os.path.join(TMP, "good")
    m = submit_and_wait(good, [])
    proc = run(["submit", *QUICK, "--ranks-per-node", "1,2", "--time", "00:05:00", "--out", good],
               expect=2)
    expect_one_error(proc, "holds a submitted study already")
    for command in ("status", "collect"):
        proc = run([command, TMP], expect=2)
        expect_one_error(proc, "submit.json: not found")
    check_collected(good, m)


def case_dry_run():
    out = os.path.join(TMP, "dry")
    before = queued_jobs()
    proc = run(["submit", *QUICK, "--nodes", "1", "--ranks-per-node", "1,2", "--time", "00:05:00",
                "--array", "--partition", "debug", "--module", "openmpi", "--out", out,
                "--dry-run"])
    for needle in ("# ==> " + out + "/jobs/array.sbatch <==", "#SBATCH --array=0-1",
                   "#SBATCH --partition=debug", "module load openmpi", "collect.sbatch",
                   "#SBATCH --dependency=afterany:", "nothing written or submitted"):
        if needle not in proc.stdout:
            fail(f"dry run lacks {needle!r}", proc)
    if os.path.exists(out) or queued_jobs() != before:
        fail("dry run wrote or submitted something", proc)
    # The printed script is what sbatch takes: submitted by hand it runs the point.
    script = proc.stdout.split("<==\n", 1)[1].split("# ==> ")[0]
    check = subprocess.run(["sbatch", "--test-only"], input=script, capture_output=True, text=True)
    if check.returncode != 0:
        fail(f"sbatch --test-only refused the printed script: {check.stderr}")


def case_partial():
    """collect before the jobs ran, and after one was cancelled: the report covers what is there
    and names every missing point with why."""
    out = os.path.join(TMP, "partial")
    # The base point holds the node for a few seconds, so the others are still queued below.
    run(["submit", "--cpu.kernel", "fib", "--cpu.n", "30", "--cpu.count", "300",
         "--ranks-per-node", "1,2", "--time", "00:05:00", "--out", out])
    m = manifest(out)
    early = run(["collect", out, "--quiet"], expect=1)
    doc = study(out)
    if not doc["incomplete"] or doc["points"][1]["status"] != "not_run":
        fail(f"early collect: incomplete {doc['incomplete']}, points "
             f"{[(p['key'], p['status'], p['error']) for p in doc['points']]}", early)
    if "not run yet: job " + m["points"][1]["job_id"] not in early.stderr:
        fail("early collect did not say the point has not run yet", early)
    subprocess.run(["scancel", m["points"][1]["job_id"]], check=True)
    wait_gone([m["collect"]["job_id"], m["points"][0]["job_id"]], 120)
    doc = study(out)
    first, second = doc["points"]
    if first["status"] != "ok" or second["status"] != "failed" or second["job_state"] != "CANCELLED":
        fail(f"after the cancel: {[(p['key'], p['status'], p['job_state'], p['error']) for p in doc['points']]}")
    if "was cancelled" not in second["error"] or doc["incomplete"]:
        fail(f"cancelled point: {second['error']!r}, incomplete {doc['incomplete']}")
    log = open(os.path.join(out, "collect.log")).read()
    if "point n1-r2-t1 has no result: job " not in log or "collected 1 of 2 points" not in log:
        fail("collect job log does not name the missing point:\n" + log)
    status = run(["status", out])
    if "CANCELLED" not in status.stdout:
        fail("status does not show the cancelled job", status)


def sbatch_wrap(args, command):
    """Submits `command` as a batch script; returns its job id."""
    out = subprocess.run(["sbatch", "--parsable", *args, "--wrap", command], capture_output=True,
                         text=True, cwd=TMP)
    if out.returncode != 0:
        fail(f"sbatch {args}: {out.stderr}")
    return out.stdout.strip().split(";")[0]


def case_allocation():
    """run, compare and scale typed inside an allocation use what it provides."""
    d = os.path.join(TMP, "alloc")
    os.makedirs(d)
    tiny = " ".join(QUICK)
    jobs = {
        # Two tasks: run starts itself again over both with srun.
        "run": sbatch_wrap(["-n", "2", "--output", f"{d}/run.out"],
                           f"{FANOUT} run {tiny} --model processes --json {d}/run.json"),
        # Two CPUs per task: threads default to them.
        "threads": sbatch_wrap(["-n", "1", "-c", "2", "--output", f"{d}/threads.out"],
                               f"{FANOUT} compare {tiny} --models threads --json {d}/threads.json"),
        # --allocation ignore: one process, as typed.
        "ignore": sbatch_wrap(["-n", "2", "--output", f"{d}/ignore.out"],
                              f"{FANOUT} run {tiny} --model processes --allocation ignore "
                              f"--json {d}/ignore.json"),
        # scale makes every point a step of the allocation, and refuses points it cannot hold.
        "scale": sbatch_wrap(["-n", "2", "--output", f"{d}/scale.out"],
                             f"{FANOUT} scale {tiny} --ranks 1,2 --quiet --out {d}/scale"),
        "too_big": sbatch_wrap(["-n", "2", "--output", f"{d}/too_big.out"],
                               f"{FANOUT} scale {tiny} --ranks 1,4 --quiet --out {d}/too_big"),
    }
    wait_gone(list(jobs.values()), 120)

    def doc(name):
        path = os.path.join(d, name + ".json")
        if not os.path.isfile(path):
            fail(f"{name}: no {path}; job output:\n" + open(os.path.join(d, name + ".out")).read())
        return json.load(open(path))

    run_doc = doc("run")
    if run_doc["environment"]["world_size"] != 2:
        fail(f"run inside a 2-task allocation ran {run_doc['environment']['world_size']} rank(s)")
    if "running as srun --mpi=pmix --ntasks=2" not in open(os.path.join(d, "run.out")).read():
        fail("run did not say how it started itself again")
    allocation = run_doc["environment"]["allocation"] or ""
    if not allocation.startswith(f"Slurm job {jobs['run']}: 1 node, 2 tasks"):
        fail(f"the run document does not record its allocation: {allocation!r}")
    threads = next(r for r in doc("threads")["runs"] if r["model"] == "threads")
    if threads["workers_per_rank"] != 2:
        fail(f"threads inside -c 2: {threads['workers_per_rank']} workers")
    if doc("ignore")["environment"]["world_size"] != 1:
        fail("--allocation ignore did not run one process")
    study_doc = json.load(open(os.path.join(d, "scale", "study.json")))
    if [p["status"] for p in study_doc["points"]] != ["ok", "ok"] or study_doc["launcher"] != "srun":
        fail(f"scale inside the allocation: {study_doc['launcher']}, "
             f"{[(p['key'], p['status'], p['error']) for p in study_doc['points']]}")
    too_big = open(os.path.join(d, "too_big.out")).read()
    if "point r4-t1 needs 4 CPUs" not in too_big or os.path.exists(os.path.join(d, "too_big")):
        fail(f"scale of a point larger than the allocation: {too_big}")


def status_unanswered(out):
    """`fanout status` when Slurm does not answer (its controller's port closed): one error
    line, exit 1, no table of UNKNOWN states. The time it took is printed, not checked."""
    conf = os.path.join(TMP, "unreachable.conf")
    with open(os.environ["SLURM_CONF"]) as f, open(conf, "w") as g:
        g.write(f.read() + "SlurmctldPort=9\n")
    t0 = time.monotonic()
    proc = subprocess.run([FANOUT, "status", out], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "SLURM_CONF": conf}, stdin=subprocess.DEVNULL)
    took = time.monotonic() - t0
    err = [l for l in proc.stderr.splitlines() if l.strip()]
    if proc.returncode != 1 or len(err) != 1 or proc.stdout or \
            f"fanout: error: status {out}: Slurm did not answer (scontrol: " not in err[0]:
        fail("status against a Slurm that does not answer", proc)
    print(f"status without an answer from Slurm: exit 1 after {took:.1f} s: {err[0]}")


def case_farm_chain():
    """A farm of 90 task-seconds on 2 slots under a 2-minute time limit: each job starts no task
    that would not end before its FANOUT_END_TIME (the limit less the 10 s warning and the
    minute by which Slurm may send it early), exits 75 once none fits (or 143 when Slurm's
    warning came first and stopped tasks in flight), and submits the next job with --resume; the
    chain ends when the joblog holds every task, each exactly once, and `fanout status` shows the
    chain and no task left. Prints the tasks killed at walltimes and their seconds of lost work.
    Two jobs of about 50 s each."""
    os.chdir(TMP)
    marks = os.path.join(TMP, "marks")
    spans = os.path.join(TMP, "spans")
    os.makedirs(marks)
    os.makedirs(spans)
    n = 36
    with open("tasks.txt", "w") as f:
        for i in range(1, n + 1):
            # Each attempt notes when it started, and when a stop's SIGTERM killed it.
            f.write(f"trap 'echo k $(date +%s.%N) >> {spans}/{i}; exit 143' TERM; "
                    f"echo s $(date +%s.%N) >> {spans}/{i}; sleep 5 & wait $!; "
                    f"echo {i} >> {marks}/{i}\n")
    out = os.path.join(TMP, "chain")
    proc = run(["submit-farm", "--shell.tasks", "tasks.txt", "--threads", "2", "--time", "2",
                "--warn-before", "10s", "--exclusive", "false", "--out", out])
    if "submitted the farm (36 of 36 tasks to run)" not in proc.stdout:
        fail("no submission line", proc)
    chain = json.load(open(os.path.join(out, "farm.json")))
    deadline = time.monotonic() + 540
    while chain["state"] == "running":
        if time.monotonic() > deadline:
            subprocess.run(["scancel", *[j["job_id"] for j in chain["jobs"]]])
            fail(f"the chain still runs after 540 s: {json.dumps(chain['jobs'])}")
        time.sleep(2)
        chain = json.load(open(os.path.join(out, "farm.json")))
    wait_gone([j["job_id"] for j in chain["jobs"]], 60)
    if chain["state"] != "done":
        logs = "".join(open(os.path.join(out, j["log"])).read()[-800:] for j in chain["jobs"]
                       if os.path.exists(os.path.join(out, j["log"])))
        fail(f"chain {chain['state']}: {chain['reason']}\n{logs}")
    jobs = chain["jobs"]
    if len(jobs) < 2:
        fail(f"a farm of 90 task-seconds finished in one job of 50 s of tasks: {jobs}")
    if any(j["exit"] not in (75, 143) for j in jobs[:-1]) or jobs[-1]["exit"] != 0:
        fail(f"exits of the chain: {[j['exit'] for j in jobs]}, expected 75 (or 143) ... 0")
    lefts = [j["tasks_left_after"] for j in jobs]
    if lefts[-1] != 0 or any(b > a for a, b in zip(lefts, lefts[1:])):
        fail(f"tasks left after each job: {lefts}")
    rows = [l.split("\t") for l in open(os.path.join(out, "logs", "joblog")).read().splitlines()[1:]]
    seqs = sorted(int(r[0]) for r in rows)
    if seqs != list(range(1, n + 1)) or any(r[6] != "0" or r[7] != "0" for r in rows):
        fail(f"the joblog does not record every task once, well: {seqs}")
    if sorted(int(f) for f in os.listdir(marks)) != list(range(1, n + 1)):
        fail("not every task ran")
    status = run(["status", out]).stdout
    for needle in ("farm in ", "farm-1", f"farm-{len(jobs)}", "tasks left: 0 of 36", "chain: done"):
        if needle not in status:
            fail(f"status lacks '{needle}':\n{status}")
    killed, lost_s = killed_task_seconds(spans)
    print(f"chain of {len(jobs)} jobs, tasks left after each: {lefts}; {killed} tasks killed at "
          f"walltimes, {lost_s:.1f} task-seconds of work lost")


def killed_task_seconds(spans):
    """Attempts a stop killed, and the seconds they had run: each 'k' line of a task's span file
    against the 's' line before it. A line the kill cut short (a task's shell ended mid-write) is
    left out: these figures are printed, not checked."""
    killed, lost_s = 0, 0.0
    for name in os.listdir(spans):
        started = None
        for fields in (l.split() for l in open(os.path.join(spans, name)).read().splitlines()):
            if len(fields) != 2:
                continue
            kind, at = fields
            if kind == "s":
                started = float(at)
            elif started is not None:
                killed += 1
                lost_s += float(at) - started
                started = None
    return killed, lost_s


CASES = {"farm_chain": case_farm_chain, "study": case_study, "array": case_array, "time_limit": case_time_limit,
         "bad_options": case_bad_options, "dry_run": case_dry_run, "allocation": case_allocation,
         "partial": case_partial, "mpirun": case_mpirun}

if __name__ == "__main__":
    if "SLURM_CONF" not in os.environ:
        fail("SLURM_CONF is not set; run under the slurm fixture (tests/batch/CMakeLists.txt)")
    CASES[CASE]()
    print("ok:", CASE)
