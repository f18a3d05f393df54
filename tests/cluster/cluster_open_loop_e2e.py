#!/usr/bin/env python3
"""Open-loop load (io.rate) across the 3 nodes of the namespace test cluster, 6 ranks, against
`fanout serve` in node 1:
stall DRIVER: a staircase of 200/s then 400/s, 3 s each, against /stall?every=1000&hold=250: each
  step's corrected percentiles match the closed form of the stall within the tolerance of the
  1- and 3-rank test (tests/e2e/open_loop_e2e.py: -15/+60 ms of p90 150 ms, p99 240 ms,
  p99.9 249 ms); then the same staircase, 2 s a step, against a route without stalls: every step's
  achieved rate within 1 % of its target, sent from every node.
DRIVER: node (one curl-multi driver per node, holding its node's share of the rate) or rank.

The closed form (see open_loop_e2e.py): arrivals evenly spaced over whole periods fall in a stall
with share hold/every and wait there evenly over (0, hold], so the corrected q-th percentile is
hold - (1 - q) every where that is positive. It holds only while client and server keep up between
stalls; on a machine too busy for that (requests sent late, or a backlog queued long after each
stall: corrected p75 over 50 ms) the run is tried again, up to 3 times.

usage: cluster_open_loop_e2e.py FANOUT CLUSTER_DIR CASE [ARG...]   (see cluster_support.py)
"""
import json
import os
import signal

from cluster_support import (CLUSTER, FANOUT, NODES, RANKS, TMP, fail, finish, main, start,
                             start_serve)

PORT = 8732  # inside node 1's own network namespace: nothing else listens there
RATES, STALL_STEP, STEADY_STEP = (200, 400), 3, 2
EVERY_MS, HOLD_MS = 1000, 250
EXPECTED = {"p90": 0.150, "p99": 0.240, "p999": 0.249}
BELOW_S, ABOVE_S = 0.015, 0.060
HIDDEN_S = 0.050
LATE_SHARE = 0.01
RATE_BOUND = 0.01


def open_loop(driver, url, name, step_s, concurrency):
    """A staircase of RATES across every node; the JSON's run, with the document's warnings."""
    path = os.path.join(TMP, f"{name}.json")
    cmd = [os.path.join(CLUSTER, "mpirun"), "-q", "-np", str(RANKS), FANOUT, "run", "--workload",
           "io", "--model", "processes+async", "--io.driver", driver, "--base", "none",
           "--io.url", url, "--io.retries", "0", "--io.rate", ",".join(map(str, RATES)),
           "--io.step", f"{step_s}s", "--io.concurrency", str(concurrency), "--json", path]
    result = finish(start(cmd), 60)
    if result.returncode != 0:
        fail(f"{name}: the run failed", result)
    doc = json.load(open(path))
    return {**doc["runs"][0], "warnings": doc["warnings"]}


def ms(seconds):
    return f"{seconds * 1e3:.1f} ms"


def case_stall(driver):
    server, base = start_serve(PORT)
    try:
        stall = f"{base}/stall?every={EVERY_MS}&hold={HOLD_MS}"
        for _ in range(3):
            r = open_loop(driver, stall, "stall", STALL_STEP, 2)
            steps = r["details"]["open_loop"]["steps"]
            late = sum(s["late"] for s in steps)
            p75 = max(s["corrected_s"]["p75"] for s in steps)
            if late <= LATE_SHARE * r["requests"] and p75 <= HIDDEN_S:
                break
            print(f"{late} sent late, corrected p75 up to {ms(p75)}: the machine is busy; again")
        want = sum(rate * STALL_STEP for rate in RATES)
        if r["requests"] != want or r["rate"]["dropped"] != 0:
            fail(f"expected {want} requests, none dropped: {r['requests']}, {r['rate']}")
        for i, s in enumerate(steps, 1):
            corrected = s["corrected_s"]
            hosts = len(s["ranks"])
            print(f"step {i} at {s['target_per_s']:.0f}/s from {hosts} ranks: corrected "
                  + ", ".join(f"{k} {ms(corrected[k])} (closed form {ms(v)})"
                              for k, v in EXPECTED.items())
                  + f"; p50 {ms(corrected['p50'])}, uncorrected p90 {ms(s['uncorrected_s']['p90'])}")
            for key, expected in EXPECTED.items():
                got = corrected[key]
                if not expected - BELOW_S <= got <= expected + ABOVE_S:
                    fail(f"step {i}: corrected {key} {ms(got)}: the closed form gives "
                         f"{ms(expected)} (tolerance -{ms(BELOW_S)}/+{ms(ABOVE_S)})")
            if corrected["p50"] > HIDDEN_S:
                fail(f"step {i}: corrected p50 {ms(corrected['p50'])}: the closed form gives the "
                     f"service time, under {ms(HIDDEN_S)}")

        r = open_loop(driver, f"{base}/bytes/100", "steady", STEADY_STEP, 20)
        ranks = set()
        for i, s in enumerate(r["details"]["open_loop"]["steps"], 1):
            target, achieved = s["target_per_s"], s["achieved_per_s"]
            senders = {x["rank"]: round(x["achieved_per_s"], 1) for x in s["ranks"]}
            ranks |= set(senders)
            print(f"steady step {i}: target {target:.0f}/s, achieved {achieved:.2f}/s "
                  f"({abs(achieved - target) / target:.2%} off); per rank {senders}")
            if abs(achieved - target) > RATE_BOUND * target:
                fail(f"steady step {i}: achieved {achieved:.2f}/s, not within {RATE_BOUND:.0%} "
                     f"of {target}/s")
        hosts = {x["host"] for x in r["per_rank"]}
        if hosts != set(NODES):
            fail(f"the ranks ran on {sorted(hosts)}, not on every node of {NODES}")
        # One driver per node sends (node), or every rank (rank): ranks 0, 2, 4 are one per node.
        want_ranks = RANKS if driver == "rank" else len(NODES)
        if len(ranks) != want_ranks:
            fail(f"io.driver {driver}: {len(ranks)} ranks sent ({sorted(ranks)}), expected "
                 f"{want_ranks}")
    finally:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


if __name__ == "__main__":
    main({"stall": case_stall})
