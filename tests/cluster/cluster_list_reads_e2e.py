#!/usr/bin/env python3
"""Bytes read from the farm's task list and from an io URL list, and from the farm's joblog and the
download journal of a resume, summed over 6 ranks on the 3 nodes of the namespace test cluster:
one reader (rank 0) reads each once, the other ranks get what it read through MPI, so the sum is
about the file's size, not 6 times it.

Counted exactly, per rank, with strace -P LIST on each rank: every read(2)-family call on a file
descriptor of that file, and its return value (bytes read). Bytes, not time, so they are asserted.

ratio: the task list (4 MB), the URL list (4 MB), a joblog (4 MB) and a journal (4 MB) of a
  resume that leaves 6 tasks to run, each at most 1.1 x its size.
table [BEFORE_FANOUT]: the same figures as a table, for this fanout and, when given, another
  (e.g. a build of main), without asserting: what tests/bench/list_reads.sh prints.

usage: cluster_list_reads_e2e.py FANOUT CLUSTER_DIR CASE [ARG...]   (see cluster_support.py)
"""
import glob
import os
import re
import shutil
import sys

from cluster_support import (FANOUT, RANKS, TMP, fail, main, mpirun, start_serve)

PORT = 8733  # inside node 1's own network namespace: nothing else listens there
LIST_BYTES = 4 << 20
GOAL = 1.1
STRACE = shutil.which("strace")
RETURNED = re.compile(r"\)\s+=\s+(\d+)")


def farm_list(path):
    """A task list of LIST_BYTES: shell commands with a comment to fill the line."""
    line = "true  # " + "x" * 190 + "\n"
    with open(path, "w") as f:
        f.write(line * (LIST_BYTES // len(line)))
    return os.path.getsize(path)


def url_list(path, base):
    """A URL list of LIST_BYTES: long URLs, so that it is megabytes but few requests."""
    line = f"{base}/?pad={'p' * 2700}\n"
    with open(path, "w") as f:
        f.write(line * (LIST_BYTES // len(line)))
    return os.path.getsize(path)


def resumed_farm(path, joblog):
    """A task list and a joblog that records all of it but the last RANKS tasks."""
    lines = [f"true  # {i:08d} {'x' * 180}" for i in range(LIST_BYTES // 200 + RANKS)]
    with open(path, "w") as f:
        f.write("".join(line + "\n" for line in lines))
    os.makedirs(os.path.dirname(joblog))
    with open(joblog, "w") as f:
        f.write("Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\n")
        for seq, command in enumerate(lines[:-RANKS], 1):
            f.write(f"{seq}\t:\t1.0\t0.1\t0\t0\t0\t0\t{command}\n")
    return os.path.getsize(joblog)


def resumed_download(path, journal, out, base):
    """A URL list of named files, and a journal that records all of them but the last RANKS,
    whose files are in `out` (a journaled file that is missing is fetched again)."""
    urls = [f"{base}/?i={i}&pad={'p' * 2700}" for i in range(LIST_BYTES // 2800 + RANKS)]
    with open(path, "w") as f:
        f.write("".join(f"{url} f{i}\n" for i, url in enumerate(urls)))
    with open(journal, "w") as f:
        f.write("# fanout download journal: entry\tbytes\tchecksum\tname\turl\n")
        for i, url in enumerate(urls[:-RANKS]):
            f.write(f"{i + 1}\t10\t-\tf{i}\t{url}\n")
    os.makedirs(out)
    for i in range(len(urls) - RANKS):
        with open(os.path.join(out, f"f{i}"), "wb") as f:
            f.write(b"0123456789")
    return os.path.getsize(journal)


def traced_reads(fanout, path, args, tag):
    """Runs fanout ARGS on RANKS ranks, each under strace -P PATH; the bytes each rank read from
    PATH, by rank."""
    out = os.path.join(TMP, "trace-" + tag)
    os.makedirs(out)
    wrapper = os.path.join(TMP, "traced-" + tag + ".sh")
    with open(wrapper, "w") as f:
        f.write("#!/bin/sh\n"
                f'exec {STRACE} -f -qq -s 0 -e signal=none '
                "-e trace=read,pread64,readv,preadv,preadv2 "
                f'-P "{os.path.realpath(path)}" -o "{out}/rank.$OMPI_COMM_WORLD_RANK" "$@"\n')
    os.chmod(wrapper, 0o755)
    mpirun("-np", str(RANKS), "--bind-to", "none", wrapper, fanout, *args, timeout=120)
    per_rank = {}
    for trace in glob.glob(os.path.join(out, "rank.*")):
        rank = int(trace.rsplit(".", 1)[1])
        total = 0
        for line in open(trace, errors="replace"):
            if "unfinished" in line:
                continue
            m = RETURNED.search(line)
            if m:
                total += int(m.group(1))
        per_rank[rank] = total
    if sorted(per_rank) != list(range(RANKS)):
        fail(f"{tag}: traces of ranks {sorted(per_rank)}, expected 0..{RANKS - 1}")
    return per_rank


def grew_by(path, lines_before):
    """The resume ran what the file lacked: RANKS more lines in it."""
    lines = sum(1 for _ in open(path))
    if lines != lines_before + RANKS:
        fail(f"{path}: {lines} lines after the resume, expected {lines_before} + {RANKS}")


def measure(fanout, tag, base):
    """(what, list bytes, bytes read by rank) for the farm and the URL list."""
    farm_path = os.path.join(TMP, f"tasks-{tag}.txt")
    farm_size = farm_list(farm_path)
    farm = traced_reads(fanout, farm_path,
                        ["farm", farm_path, "--count", str(RANKS), "--model", "processes",
                         "--logs", os.path.join(TMP, f"logs-{tag}")], "farm-" + tag)
    urls_path = os.path.join(TMP, f"urls-{tag}.txt")
    urls_size = url_list(urls_path, base)
    urls = traced_reads(fanout, urls_path,
                        ["run", "--workload", "io", "--model", "processes", "--base", "none",
                         "--io.url-file", urls_path, "--io.concurrency", "2", "--quiet"],
                        "urls-" + tag)
    logs = os.path.join(TMP, f"resume-logs-{tag}")
    resumed_path = os.path.join(TMP, f"resume-tasks-{tag}.txt")
    joblog_size = resumed_farm(resumed_path, os.path.join(logs, "joblog"))
    joblog_lines = sum(1 for _ in open(os.path.join(logs, "joblog")))
    joblog = traced_reads(fanout, os.path.join(logs, "joblog"),
                          ["farm", resumed_path, "--model", "processes", "--logs", logs,
                           "--resume"], "joblog-" + tag)
    grew_by(os.path.join(logs, "joblog"), joblog_lines)
    journal_path = os.path.join(TMP, f"journal-{tag}")
    download_list = os.path.join(TMP, f"download-{tag}.txt")
    out = os.path.join(TMP, f"out-{tag}")
    journal_size = resumed_download(download_list, journal_path, out, base)
    journal_lines = sum(1 for _ in open(journal_path))
    journal = traced_reads(fanout, journal_path,
                           ["run", "--workload", "io", "--model", "processes", "--base", "none",
                            "--io.url-file", download_list, "--io.download", "--io.resume",
                            "--io.output", out, "--io.journal",
                            journal_path, "--quiet"], "journal-" + tag)
    grew_by(journal_path, journal_lines)
    return [("farm task list", farm_size, farm), ("io URL list", urls_size, urls),
            ("farm joblog", joblog_size, joblog), ("io journal", journal_size, journal)]


def row(label, what, size, per_rank):
    total = sum(per_rank.values())
    ranks = " ".join(f"{per_rank[r] / 1e6:.1f}" for r in sorted(per_rank))
    return (f"  {label:<7} {what:<15} {size / 1e6:6.1f} MB  read {total / 1e6:7.1f} MB"
            f"  = {total / size:4.2f} x   (by rank, MB: {ranks})")


def needs_strace():
    if STRACE is None:
        print("SKIP: no strace on this machine (apt-get install strace)")
        sys.exit(77)


def case_ratio():
    needs_strace()
    _, base = start_serve(PORT)
    for what, size, per_rank in measure(FANOUT, "now", base):
        print(row("fanout", what, size, per_rank))
        total = sum(per_rank.values())
        if total > GOAL * size:
            fail(f"{what}: {total} bytes read over {RANKS} ranks, more than {GOAL} x its "
                 f"{size} bytes; by rank: {per_rank}")
        if per_rank[0] < size:
            fail(f"{what}: rank 0 read {per_rank[0]} of its {size} bytes")


def case_table(before=None):
    needs_strace()
    _, base = start_serve(PORT)
    print(f"bytes read from each list, summed over {RANKS} ranks on 3 nodes (strace -P LIST)")
    rows = []
    if before:
        rows += [("before",) + r for r in measure(before, "before", base)]
    rows += [("after",) + r for r in measure(FANOUT, "after", base)]
    for label, what, size, per_rank in rows:
        print(row(label, what, size, per_rank))
    worst = max(sum(p.values()) / size for label, _, size, p in rows if label == "after")
    print(f"goal: at most {GOAL} x the list's size, summed over the ranks")
    print(f"  overall: {'met' if worst <= GOAL else 'NOT met'} ({worst:.2f} x at most)")


if __name__ == "__main__":
    main({"ratio": case_ratio, "table": case_table})
