#!/usr/bin/env python3
"""End-to-end checks of the fanout binary, run under mpirun by CTest (one case per test).

usage: e2e.py FANOUT "MPIRUN ARGS" CASE [ARG...]
The checks read what a user reads: the CSV joblog, the JSON document, stdout, stderr, exit code.
Stop signals are in stop_e2e.py.
"""
import json
import os

from e2e_support import TMP, fail, main, read_csv, run


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
    if not rec or rec["model"] not in [r["model"] for r in doc["runs"]] or rec["bound"] not in ("cpu", "io"):
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
    """The shipped job files and the README's own parse, and flags override them."""
    jobs = os.path.join(os.path.dirname(__file__), "..", "..", "jobs")
    json_path = f"{TMP}/job.json"
    readme = open(os.path.join(os.path.dirname(__file__), "..", "..", "README.md")).read()
    with open(f"{TMP}/readme.ini", "w") as f:
        f.write(readme.split("```ini\n", 1)[1].split("```", 1)[0])
    run(int(np), "run", f"{TMP}/readme.ini", "--cpu.n", "15", "--cpu.count", "3", "--repeat", "1",
        "--base", "none", "--json", json_path)
    doc = json.load(open(json_path))
    if doc["job"]["name"] != "fib" or doc["runs"][0]["model"] != "processes":
        fail(f"the README's job file read wrong: {doc['job']}")
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


CASES = {"schedule": case_schedule, "compare": case_compare, "bad_input": case_bad_input,
         "help": case_help, "job_file": case_job_file,
         "io": case_io, "io_bad_input": case_io_bad_input}

if __name__ == "__main__":
    main(CASES)
