#!/usr/bin/env python3
"""End-to-end checks of the fanout binary, run under mpirun by CTest (one case per test).

usage: e2e.py FANOUT "MPIRUN ARGS" CASE [ARG...]
The checks read what a user reads: the CSV joblog, the JSON document, stdout, stderr, exit code.
"""
import csv
import json
import os
import shlex
import signal
import subprocess
import sys
import tempfile
import time

FANOUT, MPIRUN = sys.argv[1], shlex.split(sys.argv[2])
CASE, ARGS = sys.argv[3], sys.argv[4:]
TMP = tempfile.mkdtemp(prefix="fanout-e2e-")


def fail(msg, proc=None):
    if proc is not None:
        msg += f"\n--- exit {proc.returncode}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"
    print("FAIL:", msg)
    sys.exit(1)


def run(np, *args, expect=0, timeout=300):
    cmd = ([] if np == 0 else MPIRUN + ["-q", "-np", str(np)]) + [FANOUT, *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)
    if expect is not None and proc.returncode != expect:
        fail(f"{' '.join(cmd)}: expected exit {expect}", proc)
    return proc


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def check_each_task_once(rows, tasks, runs_expected):
    by_run = {}
    for row in rows:
        by_run.setdefault((row["run"], row["rep"]), []).append(row)
    if len({r for r, _ in by_run}) != runs_expected:
        fail(f"expected {runs_expected} runs in the CSV, found {sorted(by_run)}")
    for (run, rep), group in by_run.items():
        ids = sorted(int(r["id"]) for r in group)
        if ids != list(range(tasks)):
            missing = set(range(tasks)) - set(ids)
            dup = len(ids) - len(set(ids))
            fail(f"run {run} rep {rep}: ids not exactly once (missing {sorted(missing)[:10]}, "
                 f"{dup} duplicates)")
        bad = [r for r in group if r["status"] != "ok"]
        if bad:
            fail(f"run {run} rep {rep}: {len(bad)} failed tasks, e.g. {bad[0]}")


def check_json(path, model_ranks):
    doc = json.load(open(path))
    for key in ("fanout_version", "command", "job", "environment", "runs", "warnings",
                "recommendation", "incomplete", "base_case"):
        if key not in doc:
            fail(f"JSON lacks '{key}'")
    if doc["incomplete"]:
        fail("JSON says incomplete after a complete run")
    env = doc["environment"]
    for key in ("hosts", "cores_per_node", "mpi_library", "compiler", "openmp", "binding"):
        if key not in env:
            fail(f"JSON environment lacks '{key}'")
    runs = {r["model"]: r for r in doc["runs"]}
    for model, ranks in model_ranks.items():
        run = runs.get(model)
        if run is None:
            fail(f"JSON has no run of {model}: {list(runs)}")
        for key in ("model", "ranks", "workers_per_rank", "tasks", "failed", "wall_s",
                    "speedup", "efficiency", "imbalance", "per_rank", "task_duration_s"):
            if key not in run:
                fail(f"JSON run {model} lacks '{key}'")
        if run["ranks"] != ranks or len(run["per_rank"]) != ranks:
            fail(f"{model}: expected {ranks} ranks, JSON says {run['ranks']} with "
                 f"{len(run['per_rank'])} per_rank entries")
        if sum(r["tasks"] for r in run["per_rank"]) != run["tasks"]:
            fail(f"{model}: per-rank task counts do not add up to {run['tasks']}")
        if run["failed"] != 0:
            fail(f"{model}: {run['failed']} failed tasks")
        for stat in ("median", "p90", "p99", "max"):
            if stat not in run["task_duration_s"]:
                fail(f"{model}: task_duration_s lacks {stat}")
    return doc


def expect_one_error(np, cases):
    """Each (args, expected) fails with exit 2, one 'fanout: error: ...' line holding expected,
    and nothing on stdout."""
    for args, expected in cases:
        proc = run(np, *args, expect=2)
        lines = [l for l in proc.stderr.splitlines() if l.strip()]
        if len(lines) != 1 or not lines[0].startswith("fanout: error: ") or expected not in lines[0]:
            fail(f"{args}: expected one 'fanout: error: ...{expected}...' line", proc)
        if proc.stdout:
            fail(f"{args}: printed on stdout", proc)


def case_schedule(np, schedule, kernel="primes", count="41"):
    """Every task exactly once, results correct, for processes and processes+threads."""
    np = int(np)
    csv_path, json_path = f"{TMP}/tasks.csv", f"{TMP}/run.json"
    for model in ("processes", "processes+threads"):
        run(np, "run", "--model", model, "--schedule", schedule, "--cpu.kernel", kernel,
            "--cpu.count", count, "--cpu.width", "3000", "--cpu.n", "18", "--chunk", "2",
            "--csv", csv_path, "--json", json_path, "--threads", "2")
        check_each_task_once(read_csv(csv_path), int(count), runs_expected=2)  # serial base + model
        doc = check_json(json_path, {"serial": 1, model: np})
        if doc["base_case"] is None or doc["base_case"]["model"] != "serial":
            fail(f"base case should be the serial run: {doc['base_case']}")
        rows = read_csv(csv_path)
        ranks_used = {r["rank"] for r in rows if r["model"] == model}
        if np <= int(count) and schedule == "static" and len(ranks_used) != np:
            fail(f"static split of {count} tasks over {np} ranks used ranks {ranks_used}")


def case_compare(np):
    np = int(np)
    csv_path, json_path = f"{TMP}/tasks.csv", f"{TMP}/compare.json"
    proc = run(np, "compare", "--cpu.n", "20", "--cpu.count", "16", "--repeat", "2",
               "--csv", csv_path, "--json", json_path)
    check_each_task_once(read_csv(csv_path), 16, runs_expected=5)
    doc = check_json(json_path, {"serial": 1, "threads": 1, "async": 1, "processes": np,
                                 "processes+threads": np})
    rec = doc["recommendation"]
    if not rec or rec["fastest"] not in [r["model"] for r in doc["runs"]] or rec["bound"] not in ("cpu", "io"):
        fail(f"bad recommendation {rec}")
    for run_ in doc["runs"]:
        if len(run_["wall_s_reps"]) != 2:
            fail(f"{run_['model']}: expected 2 repetitions, got {run_['wall_s_reps']}")
    for word in ("serial", "threads", "async", "processes+threads", "recommendation"):
        if word not in proc.stdout:
            fail(f"the table lacks '{word}'", proc)
    if proc.stderr.strip():
        fail("compare printed on stderr", proc)


def case_bad_input(np):
    """One line on stderr naming the flag or file:line, exit 2, printed once, nothing written."""
    np = int(np)
    job = f"{TMP}/bad.ini"
    with open(job, "w") as f:
        f.write("workload = cpu\n[cpu]\nkernel = fib\nn = -4\n")
    unknown = f"{TMP}/unknown.ini"
    with open(unknown, "w") as f:
        f.write("[cpu]\ncount = 3\nspeed = 9\n")
    malformed = f"{TMP}/malformed.ini"
    with open(malformed, "w") as f:
        f.write("[cpu]\ncount 3\n")
    json_path = f"{TMP}/never.json"
    cases = [
        (["run", "--cpu.n", "-3"], "--cpu.n '-3': must be a whole number from 1 to 92"),
        (["run", "--cpu.count", "0"], "--cpu.count '0'"),
        (["run", "--cpu.kernel", "mandelbrot"], "expected one of: fib, primes, triad, noop"),
        (["run", "--model", "fibers"], "--model 'fibers': expected one of: serial"),
        (["run", "--workload", "gpu"], "--workload 'gpu': expected one of: cpu, io"),
        (["run", "--schedule", "guided"], "expected one of: static, dynamic"),
        (["run", "--bogus"], "unknown option '--bogus'"),
        (["launch"], "unknown command 'launch'"),
        (["run", job], f"{job}:4: cpu.n = -4: must be a whole number from 1 to 92"),
        (["run", unknown], f"{unknown}:3: unknown key 'cpu.speed'; valid keys in [cpu]"),
        (["run", malformed], f"{malformed}:2: expected 'key = value' or '[section]'"),
        (["run", f"{TMP}/missing.ini"], "missing.ini: cannot read job file: No such file"),
        (["run", "--json", "/nonexistent/out.json"], "--json /nonexistent/out.json"),
        (["run", "--cpu.count", "-1", "--json", json_path], "--cpu.count '-1'"),
    ]
    expect_one_error(np, cases)
    if os.path.exists(json_path):
        fail("a failed run left a JSON file behind")


def case_help(np):
    proc = run(0, "--help")
    for word in ("run", "compare", "serve", "mpirun"):
        if word not in proc.stdout:
            fail(f"--help lacks {word}", proc)
    proc = run(int(np), "run", "--help")
    if proc.stdout.count("usage: fanout run") != 1 or "--cpu.kernel" not in proc.stdout:
        fail("run --help should print once, listing the job keys", proc)
    proc = run(0, "--version")
    if not proc.stdout.startswith("fanout "):
        fail("--version", proc)


def case_job_file(np):
    """The shipped job files parse, and flags override them."""
    jobs = os.path.join(os.path.dirname(__file__), "..", "..", "jobs")
    json_path = f"{TMP}/job.json"
    for name in ("fib.ini", "primes.ini", "triad.ini"):
        run(int(np), "run", os.path.join(jobs, name), "--cpu.count", "3", "--cpu.n", "15",
            "--cpu.width", "100", "--cpu.array", "64KiB", "--base", "none", "--model",
            "processes", "--json", json_path)
        doc = json.load(open(json_path))
        if doc["job"]["cpu"]["count"] != 3 or doc["runs"][0]["tasks"] != 3:
            fail(f"{name}: the command line did not win: {doc['job']['cpu']}")
        if doc["base_case"] is not None:
            fail(f"{name}: --base none still has a base case {doc['base_case']}")


def case_io(np):
    """The I/O half under mpirun against the embedded server: every request once, right statuses
    and bytes, a failing route counted (not fatal), I/O figures in the JSON."""
    np = int(np)
    urls = f"{TMP}/urls.txt"
    with open(urls, "w") as f:
        f.write("# a comment, then URLs\n\nserve:/delay/20?size=3000\nserve:/bytes/5000\n"
                "serve:/status/404\n")
    csv_path, json_path = f"{TMP}/io.csv", f"{TMP}/io.json"
    proc = run(np, "compare", "--workload", "io", "--io.serve", "--io.url-file", urls,
               "--io.repeat", "4", "--io.concurrency", "8", "--io.retries", "0",
               "--csv", csv_path, "--json", json_path)
    rows = read_csv(csv_path)
    models = ("serial", "threads", "async", "processes", "processes+async")
    for model in models:
        mine = [r for r in rows if r["model"] == model]
        if sorted(int(r["id"]) for r in mine) != list(range(12)):
            fail(f"{model}: request ids not exactly once: {sorted(int(r['id']) for r in mine)}")
        for r in mine:
            want = {0: ("200", 3000), 1: ("200", 5000), 2: ("404", None)}[int(r["id"]) % 3]
            if r["http_status"] != want[0] or (want[1] is not None and int(r["bytes"]) != want[1]):
                fail(f"{model}: task {r['id']} got status {r['http_status']} bytes {r['bytes']}, "
                     f"expected {want}")
            if want[0] == "404" and r["error"] != "http_4xx":
                fail(f"{model}: a 404 should be class http_4xx: {r}")
    doc = json.load(open(json_path))
    for run_ in doc["runs"]:
        if run_["failed"] != 4 or run_["errors_by_class"]["http_4xx"] != 4:
            fail(f"{run_['model']}: expected 4 failed (404) requests: {run_['errors_by_class']}")
        for key in ("requests_per_s", "bytes_per_s", "latency_s"):
            if key not in run_:
                fail(f"{run_['model']}: JSON lacks {key}")
    if "req/s" not in proc.stdout:
        fail("the I/O table lacks req/s", proc)


def case_io_bad_input(np):
    np = int(np)
    urls = f"{TMP}/bad-urls.txt"
    with open(urls, "w") as f:
        f.write("http://127.0.0.1:1/ok\n# fine\nftp://127.0.0.1/file\n")
    malformed = f"{TMP}/malformed-urls.txt"
    with open(malformed, "w") as f:
        f.write("http://127.0.0.1:1/ok\nhttp://bad host/\n")
    cases = [
        (["run", "--workload", "io", "--io.url-file", urls], f"{urls}:3: "),
        (["run", "--workload", "io", "--io.url-file", malformed], f"{malformed}:2: "),
        (["run", "--workload", "io", "--io.url", "gopher://127.0.0.1/"], "--io.url gopher://127.0.0.1/"),
        (["run", "--workload", "io", "--io.url", "serve:/x"], "io.serve"),
        (["run", "--workload", "io", "--io.url-file", f"{TMP}/none.txt"], "none.txt"),
        (["run", "--workload", "io", "--io.url", "http://127.0.0.1:1/", "--io.timeout", "0"],
         "--io.timeout '0'"),
    ]
    expect_one_error(np, cases)


def start(np, *args, kill_grace_s=None):
    """Starts fanout in the background. kill_grace_s: seconds mpirun waits between the SIGTERM it
    sends the ranks (when it is signalled, or a rank exits nonzero) and its SIGKILL; 1 unset."""
    cmd = ([] if np == 0 else MPIRUN + ["-q", "-np", str(np)]) + [FANOUT, *args]
    env = dict(os.environ)
    if kill_grace_s is not None:
        env["OMPI_MCA_odls_base_sigkill_timeout"] = str(kill_grace_s)
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            stdin=subprocess.DEVNULL, env=env)


def finish(proc, timeout=120):
    proc.stdout_text, proc.stderr_text = proc.communicate(timeout=timeout)
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout_text,
                                       proc.stderr_text)


def wait_for_repetitions(proc, path, reps):
    """Polls the JSON rank 0 rewrites after every measurement until its last run has `reps`
    complete repetitions. Written atomically, so it is absent or whole, never half."""
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            fail("the run ended before it was signalled", finish(proc))
        try:
            text = open(path).read()
        except FileNotFoundError:
            text = None
        if text is not None:
            try:
                doc = json.loads(text)
            except ValueError:
                fail(f"{path} is half-written: {text[-200:]!r}")
            if doc["runs"][-1]["repetitions"] >= reps:
                return doc
        time.sleep(0.05)
    fail(f"no repetition in {path} after 240 s")


def rank_pids(launcher, np):
    """{rank: pid} of the ranks mpirun started: its children, named by OMPI_COMM_WORLD_RANK."""
    pids = {}
    for task in os.listdir(f"/proc/{launcher.pid}/task"):
        for pid in open(f"/proc/{launcher.pid}/task/{task}/children").read().split():
            for var in open(f"/proc/{pid}/environ", "rb").read().split(b"\0"):
                if var.startswith(b"OMPI_COMM_WORLD_RANK="):
                    pids[int(var.split(b"=")[1])] = int(pid)
    if len(pids) != np:
        fail(f"expected {np} ranks under mpirun {launcher.pid}, found {pids}")
    return pids


def check_stopped(json_path, csv_path, signame, repeat, tasks):
    """The final files of a stopped run: whole, incomplete, stopped_by, complete repetitions only
    in the statistics, the cut one apart and flagged in the CSV."""
    leftovers = [f for f in os.listdir(TMP) if ".tmp." in f]
    if leftovers:
        fail(f"temporary files left behind: {leftovers}")
    doc = json.load(open(json_path))
    if doc["incomplete"] is not True or doc["stopped_by"] != signame:
        fail(f"expected incomplete and stopped_by {signame}: {doc['incomplete']}, {doc['stopped_by']}")
    if not doc["warnings"] or not doc["warnings"][0]["message"].startswith(f"incomplete: stopped by {signame} after"):
        fail(f"no incomplete warning first: {doc['warnings']}")
    if all(run_["repetitions"] == repeat for run_ in doc["runs"]):
        fail("every repetition is there: the run was not stopped")
    rows = read_csv(csv_path) if csv_path else []
    for index, run_ in enumerate(doc["runs"]):
        if len(run_["wall_s_reps"]) != run_["repetitions"] or run_["task_runs"] != run_["repetitions"] * tasks:
            fail(f"{run_['model']}: statistics not over the complete repetitions only: {run_}")
        cut = run_["partial_repetition"]
        if cut is not None and not (cut["rep"] == run_["repetitions"] and cut["tasks_done"] < tasks == cut["tasks_planned"]):
            fail(f"{run_['model']}: bad partial_repetition {cut}")
        for rep in range(run_["repetitions"] + (cut is not None)):
            mine = [r for r in rows if r["run"] == str(index) and r["rep"] == str(rep)]
            want = cut["tasks_done"] if rep == run_["repetitions"] else tasks
            flag = "1" if rep == run_["repetitions"] else "0"
            if csv_path and (len(mine) != want or any(r["partial"] != flag for r in mine)):
                fail(f"{run_['model']} rep {rep}: expected {want} CSV rows with partial={flag}")
    return doc


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


CASES = {"schedule": case_schedule, "compare": case_compare, "bad_input": case_bad_input,
         "help": case_help, "job_file": case_job_file,
         "io": case_io, "io_bad_input": case_io_bad_input, "stop": case_stop,
         "stop_early": case_stop_early, "stop_insist": case_stop_insist}

if __name__ == "__main__":
    CASES[CASE](*ARGS)
    print(f"e2e {CASE} {' '.join(ARGS)}: ok")
