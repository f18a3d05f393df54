"""End-to-end cases of GPUs per task: a fake node's GPU list (CUDA_VISIBLE_DEVICES set for the
farm), tasks that print what they were given, and the joblog's start and runtime to find the tasks
that ran at the same time, which must never share a GPU. Bad GPU input: one line, exit 2.

Run by CTest as farm_gpu_e2e.py FANOUT "MPIRUN ARGS" CASE [ARG...]; `real` runs on a machine's own
GPUs (nvidia-smi) and checks that each task sees its own.
"""
import os
import subprocess

from e2e_support import TMP, fail, run, task_output
from farm_e2e import joblog, kill_tasks, run_cases, write


TOLERANCE_S = 0.01


def farm(np, *args, expect=0):
    return run(np, "farm", *args, expect=expect)


def given(logs, n):
    """{task: (CUDA_VISIBLE_DEVICES, ROCR_VISIBLE_DEVICES, start, end)} from the logs and joblog."""
    rows = {r["Seq"]: r for r in joblog_times(os.path.join(logs, "joblog"))}
    out = {}
    for seq in range(1, n + 1):
        cuda, rocr = task_output(logs, seq).decode().split()
        out[seq] = (cuda, rocr, rows[seq]["start"], rows[seq]["start"] + rows[seq]["runtime"])
    return out


def joblog_times(path):
    rows = []
    for line in open(path).read().split("\n")[1:]:
        if line:
            f = line.split("\t", 8)
            rows.append({"Seq": int(f[0]), "start": float(f[2]), "runtime": float(f[3])})
    return rows


def check_no_sharing(tasks, per_task, node, what):
    """Each task got per_task GPUs of the node, the same in CUDA_ and ROCR_VISIBLE_DEVICES, and
    no two tasks whose runs overlap got one GPU both. Returns the most tasks that overlapped."""
    for seq, (cuda, rocr, _, _) in tasks.items():
        ids = cuda.split(",")
        if cuda != rocr or len(ids) != per_task or not set(ids) <= set(node):
            fail(f"{what}: task {seq} got CUDA {cuda!r}, ROCR {rocr!r} of the node's {node}")
    for a, (cuda_a, _, start_a, end_a) in tasks.items():
        for b, (cuda_b, _, start_b, end_b) in tasks.items():
            # The joblog keeps milliseconds: a slot's next task may seem to start 1 ms before its
            # last one ended. Tasks that truly overlap do so by their whole sleep.
            if a != b and start_a + TOLERANCE_S < end_b and start_b + TOLERANCE_S < end_a:
                shared = set(cuda_a.split(",")) & set(cuda_b.split(","))
                if shared:
                    fail(f"{what}: tasks {a} and {b} ran at once on GPU {sorted(shared)}")
    # The most tasks running at one moment, each taken as running from TOLERANCE_S after its
    # start to TOLERANCE_S before its end (a slot's next task may seem to start as its last ends).
    spans = [(s + TOLERANCE_S, e - TOLERANCE_S) for (_, _, s, e) in tasks.values()]
    most = max(sum(1 for (s, e) in spans if s <= t < e) for (t, _) in spans)
    return most


def case_fake_node(np):
    """Four fake GPUs on the node, one or two per task, slots asked for far beyond them: the slots
    are cut to what the GPUs feed, and tasks that ran at once never shared one."""
    np = int(np)
    node = ["0", "1", "2", "3"]
    os.environ["CUDA_VISIBLE_DEVICES"] = ",".join(node)
    n = 24
    tasks = write("tasks.txt", ['echo "$CUDA_VISIBLE_DEVICES $ROCR_VISIBLE_DEVICES"; sleep 0.3'] * n)
    for per_task in (1, 2):
        if per_task * np > len(node):
            continue
        logs = os.path.join(TMP, f"logs{per_task}")
        farm(np, tasks, "--gpus-per-task", str(per_task), "--threads", "8", "--logs", logs)
        most = check_no_sharing(given(logs, n), per_task, node, f"{per_task} per task")
        slots = len(node) // per_task
        if most > slots:
            fail(f"{per_task} per task: {most} tasks at once on {slots} slots' worth of GPUs: "
                 f"{sorted(given(logs, n).items(), key=lambda kv: kv[1][2])}")
        print(f"np {np}, {per_task} GPU per task: at most {most} tasks at once, no GPU shared")
    # Without gpus-per-task the tasks keep fanout's own CUDA_VISIBLE_DEVICES.
    logs = os.path.join(TMP, "logs0")
    plain = write("plain.txt", ['echo "$CUDA_VISIBLE_DEVICES x"'])
    farm(np, plain, "--logs", logs)
    if task_output(logs, 1).decode().split()[0] != "0,1,2,3":
        fail("a farm without gpus-per-task changed its tasks' CUDA_VISIBLE_DEVICES")


def case_bad_input(np):
    """Bad GPU input: one line naming the flag and what would do, exit 2, no task run."""
    np = int(np)
    good = write("good.txt", [f"touch {TMP}/ran"])
    cases = [
        ("0,1", ["--gpus-per-task", "-1"], "--shell.gpus-per-task '-1'"),
        ("0,1", ["--gpus-per-task", "3"], "has 2 GPUs (CUDA_VISIBLE_DEVICES=0,1); give at most 2"),
        ("", ["--gpus-per-task", "1"], "--shell.gpus-per-task 1: no GPU found on "),
        ("0,1", ["--gpus-per-task", "1", "--slots", str(2 // np + 1)], "give at most that many slots"),
        ("NoDevFiles", ["--gpus-per-task", "1"], "no GPU found"),
    ]
    if np > 1:
        cases.append(("0", ["--gpus-per-task", "1"], "run fewer ranks per node"))
    for gpus, args, expected in cases:
        os.environ["CUDA_VISIBLE_DEVICES"] = gpus
        proc = farm(np, good, "--logs", os.path.join(TMP, "logs"), *args, expect=2)
        err = [l for l in proc.stderr.splitlines() if l.strip()]
        if len(err) != 1 or not err[0].startswith("fanout: error: ") or expected not in err[0]:
            fail(f"CUDA_VISIBLE_DEVICES={gpus} farm {' '.join(args)}: expected one line with "
                 f"{expected!r}", proc)
        if os.path.exists(os.path.join(TMP, "ran")) or os.path.exists(os.path.join(TMP, "logs")):
            fail(f"{args}: a task ran, or its logs directory was made, despite bad input")


def case_real():
    """On a machine with GPUs: one GPU per task, each task checks with nvidia-smi that it sees
    exactly the one it was given, and no two tasks at once share one."""
    os.environ.pop("CUDA_VISIBLE_DEVICES", None)
    listed = subprocess.run(["nvidia-smi", "-L"], capture_output=True, text=True, timeout=60)
    node = [l.split(":")[0].split()[1] for l in listed.stdout.splitlines() if l.startswith("GPU ")]
    if not node:
        fail(f"no GPU listed: {listed.stdout} {listed.stderr}")
    n = 4 * len(node)
    check = ('echo "$CUDA_VISIBLE_DEVICES $ROCR_VISIBLE_DEVICES"; '
             'seen=$(nvidia-smi --query-gpu=index --format=csv,noheader | wc -l); '
             '[ "$seen" = 1 ] || { echo "sees $seen GPUs" >&2; exit 3; }; sleep 0.5')
    tasks = write("tasks.txt", [check] * n)
    logs = os.path.join(TMP, "logs")
    farm(1, tasks, "--gpus-per-task", "1", "--threads", str(2 * len(node)), "--logs", logs)
    most = check_no_sharing(given(logs, n), 1, node, "real GPUs")
    print(f"{len(node)} GPUs: {n} tasks, at most {most} at once, each saw its own GPU alone")


if __name__ == "__main__":
    run_cases(globals(), kill_tasks)
