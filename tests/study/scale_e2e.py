#!/usr/bin/env python3
"""End-to-end checks of `fanout scale` and `--trace`, run by CTest (one case per test).

usage: scale_e2e.py FANOUT "MPIRUN ARGS" CASE
Checks what a user gets: the files in the study directory, the raw run documents, the plots,
the trace file, stdout, stderr and the exit code. Sweeps use tiny fib tasks to stay fast.
"""
import csv
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

FANOUT, MPIRUN = sys.argv[1], shlex.split(sys.argv[2])
CASE = sys.argv[3]
TMP = tempfile.mkdtemp(prefix="fanout-study-")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
TINY = ["--cpu.kernel", "fib", "--cpu.n", "16"]


def fail(msg, proc=None):
    if proc is not None:
        msg += f"\n--- exit {proc.returncode}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"
    print("FAIL:", msg)
    sys.exit(1)


def run(args, np=0, expect=0, env=None, timeout=240):
    cmd = ([] if np == 0 else MPIRUN + ["-q", "-np", str(np)]) + [FANOUT, *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL, env=env)
    if expect is not None and proc.returncode != expect:
        fail(f"{' '.join(cmd)}: expected exit {expect}", proc)
    return proc


def load_study(out, points_expected):
    for name in ("study.json", "study.csv", "speedup.gp", "efficiency.gp"):
        if not os.path.isfile(os.path.join(out, name)):
            fail(f"{name} missing from {out}: {sorted(os.listdir(out))}")
    doc = json.load(open(os.path.join(out, "study.json")))
    for key in ("mode", "work_scaling", "repetitions", "launcher", "launch_template", "measurement",
                "job", "environment", "base_case", "points", "fit", "stops_paying_off",
                "warnings", "plots", "incomplete"):
        if key not in doc:
            fail(f"study.json lacks '{key}'")
    if doc["incomplete"]:
        fail("study.json says incomplete after a complete study")
    env = doc["environment"]
    for key in ("hosts", "cores_per_node", "mpi_library", "compiler", "openmp", "binding",
                "driver_host", "driver_cores"):
        if key not in env:
            fail(f"study.json environment lacks '{key}'")
    keys = [p["key"] for p in doc["points"]]
    if keys != points_expected:
        fail(f"expected points {points_expected}, study.json has {keys}")
    rows = list(csv.DictReader(open(os.path.join(out, "study.csv"), newline="")))
    if [r["key"] for r in rows] != points_expected:
        fail(f"study.csv rows {[r['key'] for r in rows]}, expected {points_expected}")
    return doc, rows


def check_raw_runs(out, doc):
    """Every ok point's raw run document parses and describes that point."""
    for p in doc["points"]:
        if p["status"] != "ok":
            continue
        path = os.path.join(out, p["run_json"])
        run_doc = json.load(open(path))
        run = run_doc["runs"][0]
        if len(run_doc["runs"]) != 1 or run["model"] != p["model"] or run["ranks"] != p["ranks"]:
            fail(f"{path} does not describe point {p['key']}: {run['model']} x {run['ranks']}")
        if run["wall_s_reps"] != p["wall_s_reps"] or run["tasks"] != p["tasks"]:
            fail(f"{p['key']}: study.json and {path} disagree")
        if run_doc["base_case"] is not None:
            fail(f"{path}: a point's run should have no base case of its own")


def check_plots(out, doc):
    if shutil.which("gnuplot") is None:
        return
    want = ["speedup.png", "speedup.svg", "efficiency.png", "efficiency.svg"]
    if sorted(doc["plots"]) != sorted(want):
        fail(f"plots listed {doc['plots']}, expected {want}")
    for name in want:
        path = os.path.join(out, name)
        data = open(path, "rb").read()
        if name.endswith(".png"):
            if not data.startswith(PNG_MAGIC) or len(data) < 1000:
                fail(f"{name} is not a PNG ({len(data)} bytes)")
        else:
            root = ET.fromstring(data)
            if not root.tag.endswith("svg"):
                fail(f"{name}: root element {root.tag}, expected svg")


def case_sweep():
    """1, 2 and 3 ranks of fib: files present, S(1) = 1, raw runs parse, plots valid."""
    out = os.path.join(TMP, "study")
    proc = run(["scale", "--ranks", "1,2,3", "--threads", "1", *TINY, "--cpu.count", "24",
                "--repeat", "2", "--out", out])
    doc, rows = load_study(out, ["r1-t1", "r2-t1", "r3-t1"])
    base = doc["points"][0]
    if base["speedup"] != 1.0 or base["efficiency"] != 1.0 or base["karp_flatt"] is not None:
        fail(f"the base case should have S = 1, E = 1 and no Karp-Flatt: {base}")
    if doc["base_case"]["key"] != "r1-t1" or not doc["base_case"]["wall_s"] > 0:
        fail(f"base case {doc['base_case']}")
    for p in doc["points"]:
        if p["status"] != "ok" or p["model"] != "processes" or p["tasks"] != 24:
            fail(f"point {p['key']}: {p}")
        if len(p["wall_s_reps"]) != 2 or p["wall_ci95"]["level"] != 0.5:
            fail(f"{p['key']}: 2 repetitions give a [min, max] interval at 50 %: {p['wall_ci95']}")
        if p["workers"] > 1 and (p["speedup"] is None or p["karp_flatt"] is None):
            fail(f"{p['key']}: speedup and Karp-Flatt expected: {p}")
    if rows[0]["speedup"] != "1" or rows[0]["status"] != "ok":
        fail(f"study.csv base row {rows[0]}")
    fit = doc["fit"]
    if fit is None or fit["law"] != "amdahl" or not 0 <= fit["serial_fraction"] <= 1:
        fail(f"fit {fit}")
    check_raw_runs(out, doc)
    check_plots(out, doc)
    if (os.cpu_count() or 1) < 3:
        kinds = {(w["kind"], w["point"]) for w in doc["warnings"]}
        if ("oversubscribed", "r3-t1") not in kinds:
            fail(f"3 ranks on {os.cpu_count()} cores should warn oversubscribed: {doc['warnings']}")
    for text in ("fanout scale: job", "base case:", "fit: Amdahl", "r3-t1", "Karp-Flatt"):
        if text not in proc.stdout:
            fail(f"the table lacks '{text}'", proc)
    if "fanout scale: 3/3 points" not in proc.stderr:
        fail("no progress line per point on a non-terminal stderr", proc)


def case_weak():
    """Weak mode grows the tasks with the workers and fits Gustafson."""
    out = os.path.join(TMP, "weak")
    run(["scale", "--ranks", "1,2", "--mode", "weak", *TINY, "--cpu.count", "6", "--repeat", "1",
         "--out", out, "--quiet"])
    doc, _ = load_study(out, ["r1-t1", "r2-t1"])
    if doc["mode"] != "weak" or doc["fit"]["law"] != "gustafson":
        fail(f"weak study: mode {doc['mode']}, fit {doc['fit']}")
    tasks = [p["tasks"] for p in doc["points"]]
    if tasks != [6, 12] or [p["work_factor"] for p in doc["points"]] != [1, 2]:
        fail(f"weak scaling should run 6 x p tasks: {tasks}")
    if any(p["karp_flatt"] is not None for p in doc["points"]):
        fail("Karp-Flatt is for strong scaling only")
    raw = json.load(open(os.path.join(out, "runs", "r2-t1.json")))
    if raw["job"]["cpu"]["count"] != 12:
        fail(f"the 2-rank run's job has count {raw['job']['cpu']['count']}")


def fake_bin(fail_np):
    """A folder with an mpirun that forwards to the real one, failing for -np fail_np."""
    real = shutil.which("mpirun")
    bindir = os.path.join(TMP, "bin")
    os.makedirs(bindir, exist_ok=True)
    path = os.path.join(bindir, "mpirun")
    with open(path, "w") as f:
        f.write("#!/bin/sh\n")
        if fail_np is not None:
            f.write('prev=\nfor a in "$@"; do\n'
                    f'  if [ "$prev" = -np ] && [ "$a" = "{fail_np}" ]; then\n'
                    f'    echo "mpirun: simulated launch failure for -np {fail_np}" >&2; exit 3\n'
                    '  fi\n  prev=$a\ndone\n')
        f.write(f'exec {real} "$@"\n')
    os.chmod(path, 0o755)
    return bindir


def case_failed_point():
    """A failing point is recorded with its error; the study goes on and exits 1."""
    out = os.path.join(TMP, "failing")
    env = dict(os.environ, PATH=fake_bin(fail_np=2) + ":" + os.environ["PATH"])
    proc = run(["scale", "--ranks", "1,2,3", *TINY, "--cpu.count", "6", "--repeat", "1",
                "--out", out], expect=1, env=env)
    doc, rows = load_study(out, ["r1-t1", "r2-t1", "r3-t1"])
    bad = doc["points"][1]
    if bad["status"] != "failed" or bad["exit_code"] != 3 or \
            "simulated launch failure" not in bad["error"]:
        fail(f"the failed point: {bad}")
    if bad["log"] != "runs/r2-t1.log" or not os.path.isfile(os.path.join(out, bad["log"])):
        fail(f"the failed point's log: {bad['log']}")
    if doc["points"][2]["status"] != "ok" or rows[1]["status"] != "failed":
        fail("the study should go on after a failed point")
    if not any(w["kind"] == "failed_point" and w["point"] == "r2-t1" for w in doc["warnings"]):
        fail(f"no failed_point warning: {doc['warnings']}")
    if doc["fit"]["samples"] != 2:
        fail(f"the fit should use the 2 points that succeeded: {doc['fit']}")
    if "point failed (exit 3)" not in proc.stdout:
        fail("the table does not show the failed point", proc)


def path_without(program):
    """A PATH of one folder linking every program of PATH except `program`: mpirun still finds
    what it needs (ssh, orted, ...), fanout no longer finds `program`."""
    farm = os.path.join(TMP, "farm")
    os.makedirs(farm)
    for d in os.environ["PATH"].split(":"):
        if not os.path.isdir(d):
            continue
        for entry in os.scandir(d):
            target = os.path.join(farm, entry.name)
            if entry.name != program and not os.path.lexists(target):
                os.symlink(entry.path, target)
    return farm


def case_no_gnuplot():
    """Without gnuplot on PATH: one warning line, no images, everything else as usual."""
    out = os.path.join(TMP, "noplot")
    env = dict(os.environ, PATH=path_without("gnuplot"))
    proc = run(["scale", "--ranks", "1,2", *TINY, "--cpu.count", "6", "--repeat", "1",
                "--out", out], env=env)
    doc, _ = load_study(out, ["r1-t1", "r2-t1"])
    warnings = [l for l in proc.stderr.splitlines() if l.startswith("fanout: warning:")]
    others = [l for l in proc.stderr.splitlines()
              if l.strip() and not l.startswith("fanout: warning:") and not l.startswith("fanout scale:")]
    if len(warnings) != 1 or "gnuplot not found on PATH" not in warnings[0] or others:
        fail("expected exactly one warning line about gnuplot", proc)
    images = [n for n in os.listdir(out) if n.endswith((".png", ".svg"))]
    if images or doc["plots"]:
        fail(f"no plots expected without gnuplot: {images} {doc['plots']}")
    check_raw_runs(out, doc)


def case_bad_input():
    """One 'fanout: error:' line naming the flag, exit 2, nothing written."""
    out = os.path.join(TMP, "never")
    afile = os.path.join(TMP, "a-file")
    open(afile, "w").close()
    cases = [
        (["scale", "--ranks", "1,2"], "--out: scale needs a directory"),
        (["scale", "--ranks", "1,,2", "--out", out], "--ranks '1,,2': empty item"),
        (["scale", "--ranks", "0,1", "--out", out], "--ranks '0,1': 0 is out of range"),
        (["scale", "--ranks", "x", "--out", out], "--ranks 'x': 'x' is not a whole number"),
        (["scale", "--ranks", "2", "--threads", "1,,4", "--out", out], "--threads '1,,4'"),
        (["scale", "--ranks", "1,2", "--mode", "sideways", "--out", out],
         "--mode 'sideways': expected one of: strong, weak"),
        (["scale", "--ranks", "1,2", "--model", "async", "--out", out], "--model 'async'"),
        (["scale", "--ranks", "1,2", "--cpu.kernel", "nope", "--out", out], "--cpu.kernel 'nope'"),
        (["scale", "--ranks", "1,2", "--out", afile], "exists and is not a directory"),
        (["scale", "--ranks", "1,2", "--hosts", "n1:x", "--out", out],
         "--hosts n1:x: 'n1:x': the slots after ':' must be a whole number"),
        (["scale", "--ranks", "1,2", "--hosts", "n1:1", "--hostfile", afile, "--out", out],
         "--hosts/--hostfile: give one of them, not both"),
        (["scale", "--ranks", "1,2", "--hostfile", afile, "--out", out],
         f"--hostfile {afile}: names no host"),
        (["scale", "--ranks", "1,2", "--hosts", "n1:1", "--launcher", "srun", "--out", out],
         "--hosts/--hostfile: srun places the ranks on the allocation's nodes"),
        (["run", "--trace", "/nonexistent/t.json"],
         "--trace /nonexistent/t.json: directory '/nonexistent' does not exist"),
    ]
    for args, expected in cases:
        proc = run(args, expect=2)
        lines = [l for l in proc.stderr.splitlines() if l.strip()]
        if len(lines) != 1 or not lines[0].startswith("fanout: error: ") or expected not in lines[0]:
            fail(f"{args}: expected one 'fanout: error: ...{expected}...' line", proc)
        if proc.stdout:
            fail(f"{args}: printed on stdout", proc)
    # Under mpirun, scale refuses (it launches every point itself), printed once.
    proc = run(["scale", "--ranks", "1,2", "--out", out], np=2, expect=2)
    if proc.stderr.count("fanout: error: scale launches every point itself") != 1:
        fail("scale under mpirun should fail once, on rank 0", proc)
    if os.path.exists(out):
        fail("a failed scale created its output directory")


def case_stopped():
    """SIGTERM to scale while its first point runs: the point keeps the repetitions its run file
    holds (ok, with an ended_early warning, not failed with none), the study says incomplete,
    and scale exits 143."""
    out = os.path.join(TMP, "stopped")
    proc = subprocess.Popen([FANOUT, "scale", "--ranks", "1,2", "--cpu.kernel", "fib", "--cpu.n",
                             "27", "--cpu.count", "2000", "--repeat", "30", "--out", out,
                             "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, stdin=subprocess.DEVNULL)
    run_json = os.path.join(out, "runs", "r1-t1.json")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if json.load(open(run_json))["runs"][0]["repetitions"] >= 1:
                break
        except (OSError, ValueError):
            pass
        time.sleep(0.05)
    if proc.poll() is not None:
        fail("scale ended before it was stopped", subprocess.CompletedProcess(
            proc.args, proc.returncode, *proc.communicate()))
    proc.send_signal(signal.SIGTERM)
    out_text, err_text = proc.communicate(timeout=60)
    result = subprocess.CompletedProcess(proc.args, proc.returncode, out_text, err_text)
    if result.returncode != 143:
        fail("a stopped scale should exit 143", result)
    doc = json.load(open(os.path.join(out, "study.json")))
    first = doc["points"][0]
    if doc["incomplete"] is not True or first["status"] != "ok" or not 1 <= first["repetitions"] < 30:
        fail(f"the stopped point should keep its repetitions: incomplete {doc['incomplete']}, {first}")
    if not any(w["kind"] == "ended_early" and w["point"] == "r1-t1" and
               "stopped by SIGTERM while it ran" in w["message"] for w in doc["warnings"]):
        fail(f"no ended_early warning for the stopped point: {doc['warnings']}")
    if doc["points"][1]["status"] == "ok":
        fail(f"the second point should not have run: {doc['points'][1]}")


def trace_events(path):
    doc = json.load(open(path))
    if not isinstance(doc.get("traceEvents"), list):
        fail(f"{path}: no traceEvents list")
    return doc, [e for e in doc["traceEvents"] if e["ph"] == "X"], \
        [e for e in doc["traceEvents"] if e["ph"] == "M"]


def case_trace_run():
    """run --trace: one slice per task, pid = rank, tid = thread, named tracks."""
    trace = os.path.join(TMP, "run.trace.json")
    run(["run", "--model", "processes+threads", "--threads", "2", *TINY, "--cpu.count", "10",
         "--base", "none", "--trace", trace], np=2)
    _, slices, meta = trace_events(trace)
    ids = sorted(e["args"]["id"] for e in slices)
    if ids != list(range(10)):
        fail(f"expected one slice per task 0..9, got ids {ids}")
    for e in slices:
        if e["pid"] not in (0, 1) or e["tid"] not in (0, 1) or e["ts"] < 0 or e["dur"] < 0:
            fail(f"bad slice {e}")
        if e["args"]["status"] != "ok" or e["args"]["model"] != "processes+threads" or \
                e["args"]["rep"] != 1 or e["name"] != str(e["args"]["id"]):
            fail(f"bad slice args {e}")
    named = {e["pid"] for e in meta if e["name"] == "process_name"}
    if named != {0, 1}:
        fail(f"process_name metadata for pids {named}, expected 0 and 1")


def case_trace_compare():
    """compare --trace: every model and repetition its own pids, one slice per task each,
    matching the CSV joblog's rank and thread."""
    trace, joblog = os.path.join(TMP, "compare.trace.json"), os.path.join(TMP, "tasks.csv")
    run(["compare", *TINY, "--cpu.count", "8", "--repeat", "2", "--trace", trace,
         "--csv", joblog], np=2)
    doc, slices, _ = trace_events(trace)
    groups, pids = {}, {}
    for e in slices:
        key = (e["args"]["model"], e["args"]["rep"])
        groups.setdefault(key, []).append(e["args"]["id"])
        pids.setdefault(key, set()).add(e["pid"])
    if len(groups) != 10:
        fail(f"expected 5 models x 2 repetitions, got {sorted(groups)}")
    for key, ids in groups.items():
        if sorted(ids) != list(range(8)):
            fail(f"{key}: ids {sorted(ids)}, expected each of 0..7 once")
    keys = sorted(pids)
    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            if pids[a] & pids[b]:
                fail(f"{a} and {b} share pids {pids[a] & pids[b]}")
    stride = int(doc["otherData"]["pids"].split(" x ")[1].split(" ")[0])
    by_task = {(e["args"]["model"], e["args"]["rep"], e["args"]["id"]): e for e in slices}
    for row in csv.DictReader(open(joblog, newline="")):
        e = by_task[(row["model"], int(row["rep"]) + 1, int(row["id"]))]
        if e["pid"] % stride != int(row["rank"]) or e["tid"] != int(row["thread"]):
            fail(f"trace slice {e} disagrees with joblog row {row}")


CASES = {"sweep": case_sweep, "weak": case_weak, "failed_point": case_failed_point,
         "stopped": case_stopped,
         "no_gnuplot": case_no_gnuplot, "bad_input": case_bad_input,
         "trace_run": case_trace_run, "trace_compare": case_trace_compare}

if __name__ == "__main__":
    try:
        CASES[CASE]()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
    print(f"study {CASE}: ok")
