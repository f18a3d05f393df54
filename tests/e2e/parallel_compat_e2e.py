"""GNU parallel and `fanout farm` side by side on the same lists: the commands each runs (from
their joblogs), what the tasks print, which tasks a resume runs, where a halt stops.

Run by CTest as parallel_compat_e2e.py FANOUT "MPIRUN ARGS" CASE. One slot each (parallel -j1,
fanout --slots 1), so {%} and the order of failures are the same; parallel under SHELL=/bin/sh,
the shell fanout runs tasks in. Exits 77 (CTest: skipped) when `parallel` is not installed.
"""
import os
import shutil
import subprocess
import sys

from e2e_support import TMP, fail, main, run, task_output

PARALLEL = shutil.which("parallel")
PARALLEL_ENV = dict(os.environ, SHELL="/bin/sh", PARALLEL_HOME=os.path.join(TMP, "parallel-home"),
                    TMPDIR=TMP)


def write(name, data):
    path = os.path.join(TMP, name)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    return path


def joblog(path):
    """{Seq: [(Exitval, Signal, Command bytes), ...]} in file order."""
    out = {}
    with open(path, "rb") as f:
        lines = f.read().split(b"\n")
    if not lines[0].startswith(b"Seq\tHost\t"):
        fail(f"{path}: no joblog header: {lines[0]!r}")
    for line in lines[1:]:
        if line:
            f = line.split(b"\t", 8)
            out.setdefault(int(f[0]), []).append((int(f[6]), int(f[7]), f[8]))
    return out


def commands(log):
    return {seq: runs[-1][2] for seq, runs in log.items()}


def parallel(*args, expect=0, stdin=None):
    cmd = [PARALLEL, "--will-cite", "-j1", "-k", *args]
    p = subprocess.run(cmd, env=PARALLEL_ENV, capture_output=True, timeout=60, input=stdin)
    if expect is not None and p.returncode != expect:
        fail(f"{cmd}: exit {p.returncode}, expected {expect}\n{p.stderr.decode(errors='replace')}")
    return p


def fanout(*args, expect=0, name="f"):
    """`fanout farm ARGS` on one slot, no mpirun; its logs in TMP/NAME.logs."""
    logs = os.path.join(TMP, f"{name}.logs")
    proc = run(0, "farm", *args, "--slots", "1", "--logs", logs, expect=expect)
    return proc, logs


def outputs(logs, seqs):
    return b"".join(task_output(logs, s) for s in sorted(seqs))


def same_template(name, template, inputs):
    """The template over the inputs with each tool: the same commands and the same output."""
    path = write(f"{name}.txt", "".join(line + "\n" for line in inputs))
    pj, fj = os.path.join(TMP, f"{name}.p.joblog"), os.path.join(TMP, f"{name}.f.joblog")
    p = parallel("--joblog", pj, template, "::::", path, expect=None)
    proc, logs = fanout("--command", template, "--inputs", path, "--joblog", fj, name=name,
                        expect=None)
    if not os.path.exists(fj):
        fail(f"{template!r}: fanout ran nothing", proc)
    pc, fc = commands(joblog(pj)), commands(joblog(fj))
    if pc != fc:
        diff = {s: (pc.get(s), fc.get(s)) for s in sorted(set(pc) | set(fc))
                if pc.get(s) != fc.get(s)}
        fail(f"{template!r}: commands differ (parallel, fanout): {diff}", proc)
    if p.stdout != outputs(logs, fc):
        fail(f"{template!r}: output differs: parallel {p.stdout!r}, fanout {outputs(logs, fc)!r}")
    return fc


def case_dot_names():
    """{.} and {/.} of names ending in a dot (parallel: s:\\.[^/.]*$::)."""
    got = same_template("dots", "echo {} {.} {/.}",
                        ["a.", "foo.tar.", ".", "..", "a..", "dir.d/x.", ".bashrc", "a.b/c", "a/."])
    if got[1] != b"echo a. a a":
        fail(f"{{.}} of 'a.': {got[1]!r}")


def case_dirname():
    """{//} of paths with trailing or doubled slashes: parallel follows dirname."""
    got = same_template("dirs", "echo {//}",
                        ["a/b/", "a//b", "a/b//", "/", "//a", "a///b///c///", "/a/", "a", "", "a/"])
    if got[1] != b"echo a" or got[2] != b"echo a":
        fail(f"{{//}} of 'a/b/' and 'a//b': {got[1]!r}, {got[2]!r}")


def case_seq_slot_only():
    """A template that names only {#} or {%}: nothing appended, in either tool."""
    for i, template in enumerate(("echo {#}", "echo {%}", "echo {#}-{%}")):
        got = same_template(f"seq{i}", template, ["x", "y z"])
        if b"x" in got[1]:
            fail(f"{template!r}: the input was appended: {got[1]!r}")


def case_first_word():
    """A template that starts with a replacement string: none is quoted (the input runs)."""
    got = same_template("first", "{}", ["echo a  b", "printf %s- x y"])
    if got[1] != b"echo a  b":
        fail(f"'{{}}': {got[1]!r}")
    same_template("first2", "{} | tr a-z A-Z", ["echo up", "echo 'a b'"])
    same_template("first3", "x={} echo {}", ["a b"])  # after "=": quoted again


def case_unknown_braces():
    """Braces parallel does not know stay text (and the input is appended)."""
    got = same_template("braces", "echo {..} {foo} {///} {+.} {{}}", ["a b"])
    if not got[1].startswith(b"echo {..} {foo}"):
        fail(f"unknown braces: {got[1]!r}")


def case_multi_line():
    """A template of several lines runs as one command; the joblog holds its newlines as NULs,
    and each tool resumes from the other's joblog with nothing left to run."""
    got = same_template("multi", "echo {}\necho done {#}", ["x", "y z"])
    if got[2] != b"echo 'y z'\0echo done 2":
        fail(f"multi-line command in the joblog: {got[2]!r}")
    inputs = os.path.join(TMP, "multi.txt")
    proc, _ = fanout("--command", "echo {}\necho done {#}", "--inputs", inputs, "--resume",
                     "--joblog", os.path.join(TMP, "multi.p.joblog"), name="multi-resume")
    if len(joblog(os.path.join(TMP, "multi.p.joblog"))) != 2:
        fail("fanout --resume on parallel's joblog of a multi-line template ran tasks again", proc)
    parallel("--resume", "--joblog", os.path.join(TMP, "multi.f.joblog"), "echo {}\necho done {#}",
             "::::", inputs)
    if len(joblog(os.path.join(TMP, "multi.f.joblog"))) != 2:
        fail("parallel --resume on fanout's joblog of a multi-line template ran tasks again")


def case_crlf():
    """A CRLF task file: parallel keeps the carriage return in the command, fanout drops it (on
    purpose: README); each resumes the other's joblog, running only what it lacks."""
    lines = [f"echo {i}" for i in range(1, 5)]
    path = write("crlf.txt", "".join(line + "\r\n" for line in lines))
    head = write("crlf-head.txt", "".join(line + "\r\n" for line in lines[:2]))
    # parallel runs the first two lines, fanout resumes the rest.
    pj = os.path.join(TMP, "crlf.p.joblog")
    p = parallel("--joblog", pj, "::::", head)
    if p.stdout != b"1\r\n2\r\n":
        fail(f"parallel no longer keeps the carriage return: {p.stdout!r}: update the README")
    if commands(joblog(pj)) != {1: b"echo 1\r", 2: b"echo 2\r"}:
        fail(f"parallel's commands: {commands(joblog(pj))}")
    proc, logs = fanout(path, "--resume", "--joblog", pj, name="crlf")
    got = joblog(pj)
    if sorted(got) != [1, 2, 3, 4] or any(len(r) != 1 for r in got.values()):
        fail(f"fanout --resume on parallel's joblog: {got}", proc)
    if got[3][0][2] != b"echo 3" or outputs(logs, [3, 4]) != b"3\n4\n":
        fail(f"fanout kept the carriage return: {got[3]}, {outputs(logs, [3, 4])!r}", proc)
    # fanout runs the first two, parallel resumes the rest.
    fj = os.path.join(TMP, "crlf.f.joblog")
    fanout(path, "--count", "2", "--joblog", fj, name="crlf2")
    p = parallel("--resume", "--joblog", fj, "::::", path)
    got = joblog(fj)
    if sorted(got) != [1, 2, 3, 4] or any(len(r) != 1 for r in got.values()):
        fail(f"parallel --resume on fanout's joblog: {got}")
    if p.stdout != b"3\r\n4\r\n":
        fail(f"parallel after fanout: {p.stdout!r}")


def marked_tasks(n):
    """n commands: task i appends i to marks/i, then succeeds only while ok/i exists."""
    for d in ("marks", "ok"):
        os.makedirs(os.path.join(TMP, d), exist_ok=True)
    return [f"echo {i} >> {TMP}/marks/{i}; test -e {TMP}/ok/{i}" for i in range(1, n + 1)]


def ran_since(before):
    """{task: runs} since `before` (a dict of the same)."""
    now = {int(n): len(open(os.path.join(TMP, "marks", n)).read().split())
           for n in os.listdir(os.path.join(TMP, "marks"))}
    return sorted(t for t in now if now[t] > before.get(t, 0))


def set_ok(*tasks):
    for name in os.listdir(os.path.join(TMP, "ok")):
        os.remove(os.path.join(TMP, "ok", name))
    for t in tasks:
        open(os.path.join(TMP, "ok", str(t)), "w").close()


def resume_failed_both(log, path, what):
    """parallel --resume-failed and fanout --resume-failed on copies of `log`: the same tasks."""
    runs = {}
    for tool in ("parallel", "fanout"):
        copy = shutil.copy(log, os.path.join(TMP, f"{os.path.basename(log)}.{tool}"))
        before = {int(n): len(open(os.path.join(TMP, "marks", n)).read().split())
                  for n in os.listdir(os.path.join(TMP, "marks"))}
        if tool == "parallel":
            parallel("--resume-failed", "--joblog", copy, "::::", path, expect=None)
        else:
            fanout(path, "--resume-failed", "--joblog", copy, expect=None, name=f"rf-{what}")
        runs[tool] = ran_since(before)
    if runs["parallel"] != runs["fanout"] or runs["fanout"] != [3, 4]:
        fail(f"--resume-failed over {what}'s joblog: parallel ran {runs['parallel']}, "
             f"fanout {runs['fanout']}; expected [3, 4]")


def case_resume_failed():
    """--resume-failed over Seqs recorded both ok and failed (in either order): done, as parallel
    reads its joblog; with a joblog written by parallel and one written by fanout."""
    lines = marked_tasks(4)
    path = write("rf.txt", "".join(line + "\n" for line in lines))
    head = write("rf-head.txt", "".join(line + "\n" for line in lines[:3]))
    # parallel, twice over the first 3 tasks, the second appending (--joblog +FILE, which writes
    # no header: parallel would take the first line for one): 1 ok then failed, 2 failed then
    # ok, 3 failed twice; 4 never ran.
    pj = os.path.join(TMP, "rf.p.joblog")
    set_ok(1)
    parallel("--joblog", pj, "::::", head, expect=None)
    set_ok(2)
    parallel("--joblog", "+" + pj, "::::", head, expect=None)
    set_ok()
    resume_failed_both(pj, path, "parallel")
    # fanout: 1 ok, 2 and 3 failed; then a resume-failed of the first 3: 2 ok, 3 failed again.
    fj = os.path.join(TMP, "rf.f.joblog")
    set_ok(1)
    fanout(path, "--count", "3", "--joblog", fj, expect=1, name="rf1")
    set_ok(2)
    fanout(path, "--count", "3", "--resume-failed", "--joblog", fj, expect=1, name="rf2")
    set_ok()
    log = joblog(fj)
    if [len(log[s]) for s in (1, 2, 3)] != [1, 2, 2]:
        fail(f"fanout's joblog: {log}")
    resume_failed_both(fj, path, "fanout")


def case_halt_percent():
    """--halt soon,fail=P%: P% of all the tasks failed, however many have finished."""
    # Odd tasks fail: 10% of 10 is 1 failure, the first task's.
    odd = write("odd.txt", "".join(f"exit {i % 2}\n" for i in range(1, 11)))
    # Tasks 3 and 4 fail, the rest succeed: 30% of 10 is 3 failures, never reached, though 1 of
    # the first 3 (33%) failed.
    early = write("early.txt", "true\ntrue\nexit 1\nexit 1\n" + "true\n" * 6)
    for path, rule, want in ((odd, "soon,fail=10%", [1]), (odd, "now,fail=20%", [1, 2, 3]),
                             (early, "soon,fail=30%", list(range(1, 11)))):
        name = os.path.basename(path) + rule.replace(",", "-").replace("=", "").replace("%", "")
        pj, fj = os.path.join(TMP, f"{name}.p.joblog"), os.path.join(TMP, f"{name}.f.joblog")
        parallel("--halt", rule, "--joblog", pj, "::::", path, expect=None)
        proc, _ = fanout(path, "--halt", rule, "--joblog", fj, expect=None, name=name)
        ran = {"parallel": sorted(joblog(pj)), "fanout": sorted(joblog(fj))}
        if ran["parallel"] != want or ran["fanout"] != want:
            fail(f"--halt {rule} over {os.path.basename(path)}: ran {ran}, expected {want}", proc)


if __name__ == "__main__":
    if not PARALLEL:
        shutil.rmtree(TMP, ignore_errors=True)
        print("SKIP: GNU parallel is not installed (Debian: apt-get install parallel; "
              "cluster/deps.sh installs it): nothing to compare fanout farm with")
        sys.exit(77)
    main({name[5:]: fn for name, fn in globals().items() if name.startswith("case_")})
