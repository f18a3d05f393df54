"""What the end-to-end scripts share: the binary, the mpirun line, running it, reading what it wrote.

Imported by e2e.py, stop_e2e.py and failure_e2e.py, which CTest runs as SCRIPT FANOUT "MPIRUN ARGS" CASE [ARG...].
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

FANOUT, MPIRUN = sys.argv[1], shlex.split(sys.argv[2])
CASE, ARGS = sys.argv[3], sys.argv[4:]
TMP = tempfile.mkdtemp(prefix="fanout-e2e-")
# Open MPI's session directory of every mpirun a case starts goes in TMP too: one that a case kills
# (SIGKILL) would otherwise stay in the system's temporary folder.
os.environ["OMPI_MCA_orte_tmpdir_base"] = TMP
# And its shared-memory transport's backing files (/dev/shm by default), which a rank killed
# outright leaves behind.
os.environ["OMPI_MCA_btl_vader_backing_directory"] = TMP


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


def task_output(logs, seq, stream="out", *extra):
    """What `fanout farm-output LOGS --task SEQ --stream STREAM` prints of a farm's output
    records, as bytes."""
    cmd = [FANOUT, "farm-output", logs, "--task", str(seq), "--stream", stream, *extra]
    proc = subprocess.run(cmd, capture_output=True, timeout=120, stdin=subprocess.DEVNULL)
    if proc.returncode != 0:
        fail(f"{' '.join(cmd)}: exit {proc.returncode}: {proc.stderr.decode(errors='replace')}")
    return proc.stdout


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def start(np, *args, kill_grace_s=None, quiet=True):
    """Starts fanout in the background, in a process group of its own (finish() ends it if it
    hangs). kill_grace_s: seconds mpirun waits between the SIGTERM it sends the ranks (when it is
    signalled, or a rank exits nonzero) and its SIGKILL; 1 unset. quiet=False: without mpirun's
    -q, so that its own messages (which rank was lost) reach stderr."""
    launcher = MPIRUN + (["-q"] if quiet else []) + ["-np", str(np)]
    cmd = ([] if np == 0 else launcher) + [FANOUT, *args]
    env = dict(os.environ)
    if kill_grace_s is not None:
        env["OMPI_MCA_odls_base_sigkill_timeout"] = str(kill_grace_s)
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            stdin=subprocess.DEVNULL, env=env, start_new_session=True)


def descendants(pid):
    """Every process under pid (children, theirs, ...); ranks may sit in process groups of their own."""
    out = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for task in tasks:
        try:
            children = open(f"/proc/{pid}/task/{task}/children").read().split()
        except OSError:
            continue
        for child in map(int, children):
            out += [child, *descendants(child)]
    return out


def kill_tree(pid):
    """SIGKILL to pid, its process group and everything under it."""
    for p in [pid, *descendants(pid)]:
        try:
            os.kill(p, signal.SIGKILL)
        except ProcessLookupError:
            pass
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def start_serve(*args):
    """`fanout serve` on a free port (and `args`), in a session of its own; returns it and its
    base URL."""
    proc = subprocess.Popen([FANOUT, "serve", "--port", "0", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    first = proc.stdout.readline()
    if "http://" not in first:
        kill_tree(proc.pid)
        fail(f"fanout serve did not say where it listens: {first!r}")
    return proc, first.split()[-1].rstrip("/")


def finish(proc, timeout=120):
    """Waits for a started run; one still going after `timeout` s hangs: it is killed with every
    process of its group, and the case fails."""
    try:
        proc.stdout_text, proc.stderr_text = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_tree(proc.pid)
        out, err = proc.communicate()
        fail(f"still running {timeout} s later: it hangs",
             subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
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




def main(cases):
    cases[CASE](*ARGS)
    # A failed case keeps its files for a look; a passed one leaves nothing behind.
    shutil.rmtree(TMP, ignore_errors=True)
    print(f"{os.path.basename(sys.argv[0])} {CASE} {' '.join(ARGS)}: ok")
