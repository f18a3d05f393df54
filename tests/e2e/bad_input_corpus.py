#!/usr/bin/env python3
"""The bad-input corpus: every case of bad_inputs/*.cases must fail before any work starts.

usage: bad_input_corpus.py FANOUT "MPIRUN ARGS" corpus CORPUS_DIR
Each case runs in a fresh directory it sets up (files, FIFOs, sockets, device nodes of its own,
links, study records), and must end with exit 2, exactly one 'fanout: error: ' line on stderr
holding the expected text, nothing on stdout, and that directory exactly as it was: nothing
written, nothing replaced. The format of the case files is bad_inputs/FORMAT.txt.
"""
import json
import os
import resource
import shlex
import shutil
import socket
import stat
import subprocess
import sys
import tempfile

from e2e_support import FANOUT, MPIRUN, TMP, fail, main

IS_ROOT = os.geteuid() == 0


def base_manifest():
    """A submit.json as fanout submit writes it: two points of a cpu job on Slurm."""
    point = {"key": "n1-r1-t1", "nodes": 1, "ranks": 1, "ranks_per_node": 1, "threads": 1,
             "model": "processes", "workers": 1, "work_factor": 1,
             "script": "jobs/n1-r1-t1.sbatch", "job_id": "4", "run_json": "runs/n1-r1-t1.json",
             "log": "runs/n1-r1-t1.log", "command": ["srun", "fanout", "run"]}
    second = dict(point, key="n1-r2-t1", ranks=2, ranks_per_node=2, workers=2,
                  run_json="runs/n1-r2-t1.json", log="runs/n1-r2-t1.log", job_id="5")
    return {"fanout_version": "0.1.0", "submitted_at": "2026-11-25T01:21:49Z",
            "command_line": "fanout submit", "workdir": "/tmp", "fanout": FANOUT,
            "scheduler": "slurm", "launcher": "srun", "array": False, "array_script": "",
            "array_job_id": "", "time_limit_s": 600, "partition": "", "account": "",
            "exclusive": True, "modules": [], "setup": [],
            "study": {"mode": "strong", "repeat": 3, "model": None, "efficiency_threshold": 0.8,
                      "nodes": [1], "ranks_per_node": [1, 2], "threads": [1],
                      "run_args": ["--cpu.kernel", "noop"], "job_args": ["--cpu.kernel", "noop"],
                      "notes": []},
            "launch_template": "srun", "points": [point, second],
            "collect": {"script": "jobs/collect.sbatch", "job_id": "6", "log": "collect.log"}}


def set_path(doc, dotted, value):
    keys = dotted.split(".")
    for key in keys[:-1]:
        doc = doc[int(key)] if isinstance(doc, list) else doc[key]
    last = keys[-1]
    if isinstance(doc, list):
        doc[int(last)] = value
    elif value == "<delete>":
        del doc[last]
    else:
        doc[last] = value


class Case:
    def __init__(self, name, line):
        self.name, self.line = name, line
        self.setup, self.args, self.expect, self.np, self.nofile = [], None, None, 0, None
        self.needs_root = False


def parse_corpus(path):
    cases, case, block = [], None, None
    for number, raw in enumerate(open(path, encoding="utf-8"), 1):
        line = raw.rstrip("\n")
        if block is not None and line.startswith("  "):
            block.append(line[2:])
            continue
        block = None
        if not line.strip() or line.startswith("#"):
            continue
        word, _, rest = line.partition(" ")
        if word == "==":
            case = Case(rest, f"{os.path.basename(path)}:{number}")
            cases.append(case)
        elif case is None:
            fail(f"{path}:{number}: a directive before the first '== name'")
        elif word == "file":
            block = []
            case.setup.append(("file", rest, block))
        elif word in ("fifo", "socket", "dir", "device", "symlink", "hardlink", "bigfile",
                      "manifest"):
            case.setup.append((word, rest, None))
            case.needs_root = case.needs_root or word == "device"
        elif word == "run":
            case.args = shlex.split(rest)
        elif word == "expect":
            case.expect = rest
        elif word == "np":
            case.np = int(rest)
        elif word == "nofile":
            case.nofile = int(rest)
        else:
            fail(f"{path}:{number}: unknown directive '{word}'")
    for c in cases:
        if c.args is None or c.expect is None:
            fail(f"{c.line}: case '{c.name}' needs 'run' and 'expect'")
    return cases


def set_up(case, root):
    for kind, rest, block in case.setup:
        if kind == "file":
            path = os.path.join(root, rest)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write("".join(l + "\n" for l in block))
        elif kind == "fifo":
            os.mkfifo(os.path.join(root, rest))
        elif kind == "socket":
            s = socket.socket(socket.AF_UNIX)
            s.bind(os.path.join(root, rest))
            s.close()
        elif kind == "dir":
            os.makedirs(os.path.join(root, rest), exist_ok=True)
        elif kind == "device":
            name, major, minor = rest.split()
            os.mknod(os.path.join(root, name), 0o666 | stat.S_IFCHR,
                     os.makedev(int(major), int(minor)))
        elif kind == "symlink":
            name, _, target = rest.partition(" -> ")
            os.symlink(target, os.path.join(root, name))
        elif kind == "hardlink":
            name, _, target = rest.partition(" -> ")
            os.link(os.path.join(root, target), os.path.join(root, name))
        elif kind == "bigfile":
            name, size, text = rest.split(" ", 2)
            with open(os.path.join(root, name), "w") as f:
                f.write(text + "x" * int(size) + "\n")
        elif kind == "manifest":
            where, *overrides = shlex.split(rest)
            doc = base_manifest()
            for item in overrides:
                key, _, value = item.partition("=")
                set_path(doc, key, json.loads(value) if value != "<delete>" else value)
            path = os.path.join(root, where, "submit.json")
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                json.dump(doc, f)


def snapshot(root):
    """Every entry under root with its type, size, modification time and inode, links unfollowed."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            # A directory's own times change when a probe file comes and goes in it; its
            # entries say whether anything stayed.
            mtime = None if stat.S_ISDIR(st.st_mode) else st.st_mtime_ns
            out[os.path.relpath(path, root)] = (stat.S_IFMT(st.st_mode), st.st_size, mtime,
                                                st.st_ino)
    return out


def run_case(case):
    root = tempfile.mkdtemp(prefix="fanout-bad-")
    try:
        set_up(case, root)
        before = snapshot(root)
        args = [a.replace("{dir}", root).replace("\\n", "\n") for a in case.args]
        cmd = ([] if case.np == 0 else MPIRUN + ["-q", "-np", str(case.np)]) + [FANOUT, *args]
        limit = case.nofile

        def preexec():
            if limit is not None:
                resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))

        try:
            proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=60,
                                  stdin=subprocess.DEVNULL, preexec_fn=preexec)
        except subprocess.TimeoutExpired:
            return f"{case.name}: still running after 60 s: {shlex.join(args)}"
        lines = [l for l in proc.stderr.splitlines() if l.strip()]
        expect = case.expect.replace("{dir}", root)
        problems = []
        if proc.returncode != 2:
            problems.append(f"exit {proc.returncode}, expected 2")
        if len(lines) != 1 or not lines[0].startswith("fanout: error: "):
            problems.append(f"expected one 'fanout: error: ' line, got {len(lines)}")
        elif expect not in lines[0]:
            problems.append(f"the error lacks {expect!r}")
        if proc.stdout:
            problems.append("printed on stdout")
        after = snapshot(root)
        if after != before:
            changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
            problems.append(f"the directory changed: {changed}")
        if problems:
            return (f"{case.name} ({case.line}): {'; '.join(problems)}\n  $ {shlex.join(args)}"
                    f"\n  stderr: {proc.stderr.strip()[:500]}\n  stdout: {proc.stdout[:200]!r}")
        return None
    finally:
        shutil.rmtree(root, ignore_errors=True)


def case_corpus(folder):
    cases = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".cases"):
            cases += parse_corpus(os.path.join(folder, name))
    if len(cases) < 60:
        fail(f"the corpus has {len(cases)} cases, fewer than 60")
    failures, skipped = [], 0
    for case in cases:
        if case.needs_root and not IS_ROOT:
            skipped += 1
            continue
        problem = run_case(case)
        if problem:
            failures.append(problem)
    for device in ("/dev/null", "/dev/full", "/dev/zero"):
        if not stat.S_ISCHR(os.lstat(device).st_mode):
            failures.append(f"{device} is no longer a character device")
    print(f"{len(cases) - skipped - len(failures)} passed, {len(failures)} failed, {skipped} skipped")
    if failures:
        fail("\n".join(failures))


if __name__ == "__main__":
    try:
        main({"corpus": case_corpus})
    finally:
        # e2e_support makes a case folder when imported; this script's cases have their own.
        shutil.rmtree(TMP, ignore_errors=True)
