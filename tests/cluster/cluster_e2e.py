#!/usr/bin/env python3
"""Multi-node checks of the fanout binary on the namespace test cluster (cluster/netns-up.sh),
run by CTest (one case per test): mpirun and srun across 3 nodes, `fanout run` and `compare` with
6 ranks on 3 nodes, `fanout scale` over a host list of the 3 nodes, `fanout submit` on the
multi-node Slurm. Stops are in cluster_stop_e2e.py, faults in cluster_fault_e2e.py.

usage: cluster_e2e.py FANOUT CLUSTER_DIR CASE [ARG...]   (see cluster_support.py)
"""
import collections
import json
import os
import time

from cluster_support import (CLUSTER, ENV, FANOUT, FIRST, NODES, RANKS, SUBMITTED, TMP, fail,
                             main, mpirun, on_first, read_csv, skip)

HELLO = os.environ.get("FANOUT_MPI_HELLO", "")


def check_each_task_once(rows, tasks, runs_expected):
    by_run = collections.defaultdict(list)
    for row in rows:
        by_run[(row["run"], row["rep"])].append(row)
    if len({r for r, _ in by_run}) != runs_expected:
        fail(f"expected {runs_expected} runs in the CSV, found {sorted(by_run)}")
    for (run_, rep), group in sorted(by_run.items()):
        ids = sorted(int(r["id"]) for r in group)
        if ids != list(range(tasks)):
            missing = sorted(set(range(tasks)) - set(ids))
            fail(f"run {run_} rep {rep}: ids not exactly once (missing {missing[:10]}, "
                 f"{len(ids) - len(set(ids))} duplicates)")
        unknown = {r["host"] for r in group} - set(NODES)
        if unknown:
            fail(f"run {run_} rep {rep}: tasks ran on hosts {unknown}, not nodes of the cluster")


def check_spread(doc, models):
    """environment.hosts and runs[].per_rank[].host name every node, two ranks each."""
    hosts = doc["environment"]["hosts"]
    if sorted(hosts) != sorted(NODES * 2) or doc["environment"]["nodes"] != len(NODES):
        fail(f"environment: hosts {hosts}, nodes {doc['environment']['nodes']}; expected each "
             f"of {NODES} twice")
    runs = {r["model"]: r for r in doc["runs"]}
    for model in models:
        run_ = runs.get(model) or fail(f"no run of {model} in the JSON: {list(runs)}")
        per_host = collections.Counter(r["host"] for r in run_["per_rank"])
        if per_host != collections.Counter({node: 2 for node in NODES}):
            fail(f"{model}: per_rank hosts {dict(per_host)}, expected 2 ranks on each of {NODES}")
        if sum(r["tasks"] for r in run_["per_rank"]) != run_["tasks"] or run_["failed"]:
            fail(f"{model}: per-rank tasks {[r['tasks'] for r in run_['per_rank']]} of "
                 f"{run_['tasks']}, {run_['failed']} failed")
    return runs


def tasks_by_host(rows, model):
    return collections.Counter(r["host"] for r in rows if r["model"] == model)


def case_smoke_mpirun():
    """A tiny MPI program across 3 nodes: one rank per node, each on its own host."""
    proc = mpirun("-np", str(len(NODES)), "--map-by", "node", HELLO, timeout=60)
    lines = sorted(proc.stdout.splitlines())
    hosts = sorted(l.split(" on ")[1] for l in lines if " on " in l)
    if hosts != sorted(NODES) or len(lines) != len(NODES):
        fail(f"expected one rank on each of {NODES}", proc)


def case_smoke_srun():
    if ENV.get("SLURM") != "1":
        skip("the cluster has no Slurm (slurmctld, slurmd or munged missing: "
             "bash cluster/deps.sh --slurm)")
    proc = on_first("srun", "-N", str(len(NODES)), "hostname", timeout=60)
    if sorted(proc.stdout.split()) != sorted(NODES):
        fail(f"srun -N {len(NODES)} hostname: expected {NODES}", proc)
    proc = on_first("srun", "-N", str(len(NODES)), "-n", str(RANKS), HELLO, timeout=60)
    ranks = collections.Counter(l.split(" on ")[1] for l in proc.stdout.splitlines() if " on " in l)
    if ranks != collections.Counter({node: RANKS // len(NODES) for node in NODES}):
        fail(f"srun -n {RANKS} of an MPI program: ranks per host {dict(ranks)}", proc)


CPU = ["--cpu.kernel", "primes", "--cpu.count", "60", "--cpu.width", "40000", "--chunk", "1"]


def io_job():
    """URLs on the embedded server (on rank 0, addressed by node 1's name), 25 requests."""
    urls = os.path.join(TMP, "urls.txt")
    with open(urls, "w") as f:
        f.write("serve:/delay/20?size=3000\nserve:/bytes/5000\nserve:/delay/5\nserve:/bytes/100\n"
                "serve:/delay/10?size=200\n")
    return ["--workload", "io", "--io.serve", "true", "--io.url-file", urls, "--io.repeat", "5",
            "--io.concurrency", "4", "--io.retries", "0"], 25


def check_io(rows, runs, model, requests, schedule):
    """Every request answered, each host's requests counted; for processes+async one
    curl-multi driver (one rank doing requests) per node."""
    mine = [r for r in rows if r["model"] == model]
    bad = [r for r in mine if r["status"] != "ok" or r["http_status"] != "200"]
    if bad:
        fail(f"{model}: {len(bad)} requests failed, e.g. {bad[0]}")
    per_host = tasks_by_host(rows, model)
    if sum(per_host.values()) != requests or set(per_host) != set(NODES):
        fail(f"{model} ({schedule}): requests per host {dict(per_host)}, expected {requests} "
             f"over all of {NODES}")
    drivers = collections.defaultdict(set)
    for r in mine:
        drivers[r["host"]].add(r["rank"])
    if model == "processes+async":
        if any(len(ranks) != 1 for ranks in drivers.values()):
            fail(f"{model}: ranks doing requests per host {dict(drivers)}, expected one driver "
                 "per node")
        if runs[model]["ranks"] != len(NODES):
            fail(f"{model}: the JSON counts {runs[model]['ranks']} driver ranks, expected "
                 f"{len(NODES)}")
    print(f"{model} ({schedule}): requests per host {dict(sorted(per_host.items()))}, "
          f"ranks doing requests {dict(sorted((h, sorted(r)) for h, r in drivers.items()))}")


def check_cpu_static(runs, model):
    tasks = [r["tasks"] for r in runs[model]["per_rank"]]
    if max(tasks) - min(tasks) > 1:
        fail(f"{model} static: per-rank tasks {tasks} differ by more than one")


def case_run(schedule):
    """fanout run with 6 ranks on 3 nodes: CPU (processes) and I/O (processes+async)."""
    csv_path, json_path = os.path.join(TMP, "run.csv"), os.path.join(TMP, "run.json")
    mpirun("-np", str(RANKS), FANOUT, "run", *CPU, "--model", "processes", "--schedule", schedule,
           "--csv", csv_path, "--json", json_path)
    rows = read_csv(csv_path)
    check_each_task_once(rows, 60, runs_expected=2)  # serial base case + processes
    runs = check_spread(json.load(open(json_path)), ["processes"])
    if set(tasks_by_host(rows, "processes")) != set(NODES):
        fail(f"processes ({schedule}): tasks per host {dict(tasks_by_host(rows, 'processes'))}")
    if schedule == "static":
        check_cpu_static(runs, "processes")

    io, requests = io_job()
    mpirun("-np", str(RANKS), FANOUT, "run", *io, "--model", "processes+async", "--schedule",
           schedule, "--csv", csv_path, "--json", json_path)
    rows = read_csv(csv_path)
    check_each_task_once(rows, requests, runs_expected=2)
    doc = json.load(open(json_path))
    if sorted(doc["environment"]["hosts"]) != sorted(NODES * 2):
        fail(f"environment.hosts {doc['environment']['hosts']}")
    runs = {r["model"]: r for r in doc["runs"]}
    check_io(rows, runs, "processes+async", requests, schedule)


def case_compare(schedule):
    """fanout compare with 6 ranks on 3 nodes: CPU over every model, I/O over the I/O ones."""
    csv_path, json_path = os.path.join(TMP, "compare.csv"), os.path.join(TMP, "compare.json")
    proc = mpirun("-np", str(RANKS), FANOUT, "compare", *CPU, "--schedule", schedule,
                  "--threads", "2", "--csv", csv_path, "--json", json_path)
    rows = read_csv(csv_path)
    check_each_task_once(rows, 60, runs_expected=5)
    doc = json.load(open(json_path))
    runs = check_spread(doc, ["processes", "processes+threads"])
    for model in ("serial", "threads", "async"):
        if {r["host"] for r in runs[model]["per_rank"]} != {FIRST}:
            fail(f"{model} should run on rank 0 only, on {FIRST}: {runs[model]['per_rank']}")
    for model in ("processes", "processes+threads"):
        if set(tasks_by_host(rows, model)) != set(NODES):
            fail(f"{model} ({schedule}): tasks per host {dict(tasks_by_host(rows, model))}")
    if schedule == "static":
        check_cpu_static(runs, "processes")
    if "6 ranks on 3 nodes" not in proc.stdout or not doc["recommendation"]:
        fail("the table does not say 6 ranks on 3 nodes, or there is no recommendation", proc)

    io, requests = io_job()
    mpirun("-np", str(RANKS), FANOUT, "compare", *io, "--models", "processes,processes+async",
           "--schedule", schedule, "--csv", csv_path, "--json", json_path)
    rows = read_csv(csv_path)
    check_each_task_once(rows, requests, runs_expected=3)  # serial base case + 2 models
    doc = json.load(open(json_path))
    runs = check_spread(doc, ["processes"])
    for model in ("processes", "processes+async"):
        check_io(rows, runs, model, requests, schedule)
        if {k for k in ("requests_per_s", "latency_s") if runs[model].get(k) is None}:
            fail(f"{model}: no I/O figures in the JSON: {runs[model]}")


def scale_over(hosts, ranks, out):
    """fanout scale inside node 1 over `hosts` (its own mpirun lines; Open MPI reaches the other
    nodes through the cluster's rsh agent, passed in the environment)."""
    return on_first("env", f"OMPI_MCA_plm_rsh_agent={CLUSTER}/rsh", FANOUT, "scale", *CPU,
                    "--ranks", ranks, "--repeat", "1", "--hosts", hosts, "--out", out, "--quiet",
                    timeout=120)


def point_hosts(out, key):
    doc = json.load(open(os.path.join(out, "runs", key + ".json")))
    return collections.Counter(r["host"] for r in doc["runs"][0]["per_rank"])


def case_scale_hosts():
    """fanout scale --hosts: each point's ranks fill the hosts' slots in order, its launch line
    carries the fault settings, and oversubscription is judged per node: 6 ranks on 3 nodes of 2
    cores are not oversubscribed when spread 2 a node, but are with 4 on one node."""
    even = ",".join(f"{n}:2" for n in NODES)
    out = os.path.join(TMP, "even")
    scale_over(even, "1,3,6", out)
    doc = json.load(open(os.path.join(out, "study.json")))
    if "--mca oob_tcp_keepalive_time 1" not in doc["launch_template"] or f"--host {even}" not in doc["launch_template"]:
        fail(f"launch line without the fault settings or the hosts: {doc['launch_template']}")
    if point_hosts(out, "r3-t1") != collections.Counter({NODES[0]: 2, NODES[1]: 1}):
        fail(f"r3-t1 should fill {NODES[0]}'s 2 slots, then {NODES[1]}: {point_hosts(out, 'r3-t1')}")
    if point_hosts(out, "r6-t1") != collections.Counter({n: 2 for n in NODES}):
        fail(f"r6-t1 should run 2 ranks on each node: {point_hosts(out, 'r6-t1')}")
    if any(w["kind"] == "oversubscribed" for w in doc["warnings"]):
        fail(f"2 ranks on each 2-core node are not oversubscribed: {doc['warnings']}")

    lopsided = f"{NODES[0]}:4,{NODES[1]}:1,{NODES[2]}:1"
    out = os.path.join(TMP, "lopsided")
    scale_over(lopsided, "1,6", out)
    doc = json.load(open(os.path.join(out, "study.json")))
    if point_hosts(out, "r6-t1") != collections.Counter({NODES[0]: 4, NODES[1]: 1, NODES[2]: 1}):
        fail(f"r6-t1 should follow the slots {lopsided}: {point_hosts(out, 'r6-t1')}")
    over = [w for w in doc["warnings"] if w["kind"] == "oversubscribed" and w["point"] == "r6-t1"]
    if len(over) != 1 or f"{NODES[0]} runs 4 ranks x 1 thread = 4 on" not in over[0]["message"]:
        fail(f"expected r6-t1 to be oversubscribed on {NODES[0]} alone: {doc['warnings']}")
    if "--oversubscribe" in " ".join(doc["points"][1]["command"].split()[:20]):
        fail(f"6 ranks fit 6 slots: no --oversubscribe: {doc['points'][1]['command']}")


def squeue_ids():
    out = on_first("squeue", "-h", "-o", "%i", timeout=30).stdout
    return set(out.split())


def case_submit():
    """fanout submit --nodes 1,2 on the multi-node Slurm: the 2-node point on two hosts."""
    if ENV.get("SLURM") != "1":
        skip("the cluster has no Slurm (bash cluster/deps.sh --slurm installs it)")
    out = os.path.join(TMP, "study")
    quick = ["--cpu.kernel", "fib", "--cpu.n", "24", "--cpu.count", "16"]
    proc = on_first(FANOUT, "submit", *quick, "--nodes", "1,2", "--time", "00:05:00",
                    "--out", out)
    if "submitted 2 points to Slurm" not in proc.stdout:
        fail("submit did not say what it submitted", proc)
    m = json.load(open(os.path.join(out, "submit.json")))
    ids = {m["collect"]["job_id"], *(p["job_id"] for p in m["points"])}
    SUBMITTED.update(ids)
    deadline = time.monotonic() + 90
    while ids & squeue_ids():
        if time.monotonic() > deadline:
            fail(f"jobs {sorted(ids & squeue_ids())} still queued after 90 s:\n"
                 + on_first("squeue").stdout)
        time.sleep(0.2)
    SUBMITTED.clear()
    study_path = os.path.join(out, "study.json")
    if not os.path.isfile(study_path):
        log = os.path.join(out, "collect.log")
        fail("no study.json; collect.log:\n" + (open(log).read() if os.path.isfile(log) else "(none)"))
    doc = json.load(open(study_path))
    points = {p["key"]: p for p in doc["points"]}
    if sorted(points) != ["n1-r1-t1", "n2-r2-t1"]:
        fail(f"points {sorted(points)}")
    for key, p in points.items():
        if p["status"] != "ok" or p["job_state"] != "COMPLETED":
            fail(f"{key}: status {p['status']}, job {p['job_id']} {p['job_state']}, error {p['error']!r}")
        run_doc = json.load(open(os.path.join(out, p["run_json"])))
        hosts = [r["host"] for r in run_doc["runs"][0]["per_rank"]]
        if len(set(hosts)) != p["nodes"] or not set(hosts) <= set(NODES):
            fail(f"{key}: {p['nodes']} node(s) asked, ranks ran on {hosts}")
        if sorted(run_doc["environment"]["hosts"]) != sorted(hosts):
            fail(f"{key}: environment.hosts {run_doc['environment']['hosts']}, per_rank {hosts}")
        print(f"{key}: job {p['job_id']}, ranks on {hosts}")
    again = on_first(FANOUT, "collect", out)
    if "fanout collect: job" not in again.stdout or "n2-r2-t1" not in again.stdout:
        fail("collect printed no table", again)
    if json.load(open(study_path))["incomplete"]:
        fail("collect by hand says the study is incomplete")


CASES = {"smoke_mpirun": case_smoke_mpirun, "smoke_srun": case_smoke_srun, "run": case_run,
         "compare": case_compare, "scale_hosts": case_scale_hosts, "submit": case_submit}

if __name__ == "__main__":
    main(CASES)
