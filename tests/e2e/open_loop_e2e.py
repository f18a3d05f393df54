#!/usr/bin/env python3
"""Open-loop load (io.rate) end to end, against `fanout serve`'s periodic stall, alone and under
mpirun: the corrected percentiles match the closed form of the stall, the uncorrected ones and a
closed-loop run hide it, and the achieved rate holds the target on a route without stalls.

The closed form. /stall?every=W&hold=S holds a request arriving at t in [kW, kW + S) until kW + S.
Arrivals at a rate R, evenly spaced over whole periods (io.step a multiple of W), fall in a stall
with share S/W whatever the phase between client and server, and wait there evenly over (0, S].
So the corrected latency (from the intended start) exceeds x, for 0 <= x < S, with probability
(S - x) / W: its q-th percentile is S - (1 - q) W where that is positive, else the service time.
With W = 1 s and S = 250 ms: p90 = 150 ms, p99 = 240 ms, p99.9 = 249 ms; p50 and p75 are the
service time. Tolerance: each measured percentile lies within [-15 ms, +60 ms] of the closed form;
below, the histogram's 0.8 % buckets and the event loop's whole-millisecond timers; above, what
this shared machine adds: after each stall, the requests queued at the cap (io.concurrency 2 per
driver) are sent 2 at a time, so the last of them wait a little longer than the window's end.

With 2 transfers per driver held in flight during a stall, the requests sent on time into it are
2 per driver per period out of R W: the uncorrected latency (from the send) shows the stall only
in that share (0.5 % alone, 1.5 % at 3 ranks), so its p90 stays under 50 ms; a closed-loop run
sends less while stalled and hides it just the same.

With io.hgrm, the steady run's folder holds one for its model, with each step's and the total's
corrected and uncorrected .hgrm files (the JSON's text) and a gnuplot script plotting both, drawn
where gnuplot is installed.

A rate far past what one client thread can start (1M/s, against a server of 4 threads that
answers faster than one curl loop asks) is the generator's limit: the run warns that the
generator could not hold the rate, its thread CPU-bound or starved, and that the server was not
the limit; the stall run, whose generator idles between requests, does not.

A stop (SIGTERM) ends an open-loop run at once, although at 1 request/s each of 50 slots holds a
request whose intended start is up to 50 s off: those end unsent.

usage: open_loop_e2e.py FANOUT "MPIRUN ARGS" CASE NP|MODEL
"""
import json
import os
import re
import shutil
import signal
import subprocess
import time

from e2e_support import FANOUT, TMP, fail, finish, kill_tree, main, run, start, start_serve

RATE, EVERY_MS, HOLD_MS, STEP = 400, 1000, 250, "3s"
EXPECTED = {"p90": 0.150, "p99": 0.240, "p999": 0.249}
BELOW_S, ABOVE_S = 0.015, 0.060
HIDDEN_S = 0.050
RATE_BOUND = 0.02
# The share of requests sent late above which a run measured this machine's load, not fanout.
LATE_SHARE = 0.01


def fanout_io(np, url, name, *extra):
    """One io run of `url`, its JSON's first run returned, with the document's warnings."""
    path = os.path.join(TMP, f"{name}.json")
    model = ["--model", "processes+async", "--io.driver", "rank"] if np > 1 else ["--model", "async"]
    run(np, "run", "--workload", "io", *model, "--base", "none", "--io.url", url,
        "--io.retries", "0", "--json", path, *extra)
    doc = json.load(open(path))
    return {**doc["runs"][0], "warnings": doc["warnings"]}


def check_rate(r, np, what):
    target = r["rate"]["target_per_s"]
    achieved = r["rate"]["achieved_per_s"]
    if abs(achieved - target) > RATE_BOUND * target:
        fail(f"{what}: achieved {achieved:.1f}/s, not within {RATE_BOUND:.0%} of {target}/s")
    ranks = r["details"]["open_loop"]["total"]["ranks"]
    if len(ranks) != np:
        fail(f"{what}: sends of {len(ranks)} ranks, expected {np}: {ranks}")
    for rank in ranks:
        if abs(rank["achieved_per_s"] - target / np) > RATE_BOUND * target / np:
            fail(f"{what}: rank {rank['rank']} sent {rank['achieved_per_s']:.1f}/s, not "
                 f"within {RATE_BOUND:.0%} of its {target / np:.1f}/s")


def generator_warnings(r):
    """The run's warnings that blame the generator."""
    return [w for w in r["warnings"] if w["kind"] == "generator_limited"]


def check_hgrm_files(r, folder, model, count):
    """io.hgrm's folder, a folder per model in it: per step and in all, both distributions as
    .hgrm files, the same text as the JSON's, and a gnuplot script that draws them (a PNG too
    where gnuplot is installed)."""
    if os.listdir(folder) != [model]:
        fail(f"--io.hgrm {folder}: {os.listdir(folder)}, expected one folder, {model}")
    folder = os.path.join(folder, model)
    names = sorted(os.listdir(folder))
    want = sorted(f"{base}{ext}" for base in ("step1", "total")
                  for ext in (".corrected.hgrm", ".uncorrected.hgrm", ".gp"))
    drawn = shutil.which("gnuplot") is not None
    if drawn:
        want = sorted(want + ["step1.png", "total.png"])
    if names != want:
        fail(f"--io.hgrm {folder}: {names}, expected {want}")
    for which in ("corrected", "uncorrected"):
        text = open(os.path.join(folder, f"total.{which}.hgrm")).read()
        if text != r["details"]["open_loop"]["hgrm"]["total"][which]:
            fail(f"{model}/total.{which}.hgrm differs from the JSON's text")
        rows = [line.split() for line in text.splitlines()[2:] if line and not line.startswith("#")]
        if not text.startswith("       Value     Percentile TotalCount") or \
                rows[-1][1:3] != ["1.000000000000", str(count)]:
            fail(f"--io.hgrm: not a percentile distribution of {count} requests:\n{text}")
    script = open(os.path.join(folder, "step1.gp")).read()
    if "plot 'step1.corrected.hgrm' using 4:1" not in script or \
            "'step1.uncorrected.hgrm' using 4:1" not in script:
        fail(f"{model}/step1.gp does not plot both curves:\n{script}")
    if drawn and os.path.getsize(os.path.join(folder, "step1.png")) < 1000:
        fail(f"{model}/step1.png is nearly empty")


def wrk_against_the_stall(stall):
    """wrk, closed-loop on 2 connections against the same stall route. Its median is the service
    time, as fanout's closed loop; its upper percentiles show the stall, because wrk 4 corrects its
    histogram for the requests a stall kept it from sending (stats_correct: values filled in at
    its mean interval), which the closed form does not model: printed, the median checked.
    Skipped, and said, without wrk."""
    wrk = shutil.which("wrk")
    if not wrk:
        print("wrk not found: its view of the stall is not checked")
        return
    proc = subprocess.run([wrk, "-t1", "-c2", "-d3s", "--latency", stall], capture_output=True,
                          text=True, timeout=60, stdin=subprocess.DEVNULL)
    got = {}
    for pct, value, unit in re.findall(r"^\s*(50|90|99)%\s+([\d.]+)(us|ms|s)\s*$", proc.stdout,
                                       re.M):
        got[pct] = float(value) * {"us": 1e-6, "ms": 1e-3, "s": 1.0}[unit]
    if proc.returncode != 0 or set(got) != {"50", "90", "99"}:
        fail("wrk against the stall route gave no latency distribution", proc)
    print(f"np 1: wrk -c2 p50 {got['50'] * 1e3:.1f} ms p90 {got['90'] * 1e3:.1f} ms "
          f"p99 {got['99'] * 1e3:.1f} ms")
    if got["50"] > HIDDEN_S:
        fail(f"wrk p50 {got['50'] * 1e3:.1f} ms: a closed-loop median should be the service time",
             proc)


def case_stall(np):
    np = int(np)
    server, base = start_serve()
    try:
        stall = f"{base}/stall?every={EVERY_MS}&hold={HOLD_MS}"
        # The closed form holds only while client and server keep up between stalls: then the
        # backlog a stall leaves drains in a few ms and p75 is the service time. On a machine too
        # busy for that (requests sent late, or a backlog still queued long after each stall), the
        # run is tried again, up to 3 times: what is checked is fanout's arithmetic, not the load.
        quiet = False
        for _ in range(3):
            opened = fanout_io(np, stall, "open", "--io.rate", str(RATE), "--io.step", STEP,
                               "--io.concurrency", "2")
            late = opened["rate"]["late"]
            if late <= LATE_SHARE * RATE * 3 and opened["corrected_s"]["p75"] <= HIDDEN_S:
                quiet = True
                break
            print(f"np {np}: {late} sent late, corrected p75 "
                  f"{opened['corrected_s']['p75'] * 1e3:.1f} ms: the machine is busy; again")
        generator = generator_warnings(opened)
        # Requests queued behind the stall are the server's: a generator that kept its schedule
        # otherwise is not blamed. On a machine too busy for that, the warning is the truth.
        if quiet and generator:
            fail(f"np {np}: the stall run's generator kept up, yet it warns: {generator}")
        if not quiet:
            print(f"np {np}: the machine was busy in every try; the generator's warnings: "
                  f"{[w['message'] for w in generator]}")
        corrected, uncorrected = opened["corrected_s"], opened["uncorrected_s"]
        print(f"np {np}: corrected   " + " ".join(f"{k} {corrected[k] * 1e3:.1f} ms" for k in corrected))
        print(f"np {np}: uncorrected " + " ".join(f"{k} {uncorrected[k] * 1e3:.1f} ms" for k in uncorrected))
        if opened["requests"] != RATE * 3 or opened["rate"]["dropped"] != 0:
            fail(f"expected {RATE * 3} requests, none dropped: {opened['requests']}, {opened['rate']}")
        for key, want in EXPECTED.items():
            got = corrected[key]
            if not want - BELOW_S <= got <= want + ABOVE_S:
                fail(f"corrected {key} {got * 1e3:.1f} ms: the closed form gives {want * 1e3:.0f} ms "
                     f"(tolerance -{BELOW_S * 1e3:.0f}/+{ABOVE_S * 1e3:.0f} ms)")
        for key in ("p50", "p75"):
            if corrected[key] > HIDDEN_S:
                fail(f"corrected {key} {corrected[key] * 1e3:.1f} ms: the closed form gives the "
                     f"service time, under {HIDDEN_S * 1e3:.0f} ms")
        if uncorrected["p90"] > HIDDEN_S:
            fail(f"uncorrected p90 {uncorrected['p90'] * 1e3:.1f} ms shows the stall; from the send "
                 f"only the {2 * np} requests held per period should")
        if uncorrected["max"] < 0.1:
            fail(f"uncorrected max {uncorrected['max'] * 1e3:.1f} ms: the requests held in flight "
                 "during a stall should show it")

        closed = fanout_io(np, stall, "closed", "--io.repeat", str(RATE * 3),
                           "--io.concurrency", "2")
        latency = closed["latency_s"]
        print(f"np {np}: closed loop p50 {latency['p50'] * 1e3:.1f} ms p90 "
              f"{latency['p90'] * 1e3:.1f} ms p99 {latency['p99'] * 1e3:.1f} ms")
        if latency["p90"] > HIDDEN_S:
            fail(f"closed loop p90 {latency['p90'] * 1e3:.1f} ms: it should hide the stall")
        if np == 1:
            wrk_against_the_stall(stall)

        plots = os.path.join(TMP, "hgrm")
        steady = fanout_io(np, f"{base}/bytes/100", "steady", "--io.rate", str(RATE),
                           "--io.step", "2s", "--io.concurrency", "20", "--io.hgrm", plots)
        print(f"np {np}: target {steady['rate']['target_per_s']}/s, achieved "
              f"{steady['rate']['achieved_per_s']:.2f}/s")
        check_rate(steady, np, "steady route")
        check_hgrm_files(steady, plots, "processes+async" if np > 1 else "async", RATE * 2)

        if np == 1:
            dropping = fanout_io(np, stall, "drop", "--io.rate", str(RATE), "--io.step", STEP,
                                 "--io.concurrency", "2", "--io.at-cap", "drop")
            share = dropping["rate"]["dropped"] / (RATE * 3)
            print(f"np {np}: at-cap drop: {dropping['rate']['dropped']} dropped ({share:.1%})")
            # Of the share S/W that falls in a stall, all but the 2 held in flight per period are
            # dropped: 24.5 %. More are when this shared machine is slow to free a transfer (a
            # request taken 2 ms late is dropped too), so the upper bound is loose.
            if not 0.20 <= share <= 0.50:
                fail(f"drop: {share:.1%} dropped, expected about {HOLD_MS / EVERY_MS:.0%}")
            if dropping["failed"] != dropping["rate"]["dropped"]:
                fail(f"drop: the dropped requests are not counted failed: {dropping['failed']}")
    finally:
        kill_tree(server.pid)
        server.wait()
        shutil.rmtree(TMP, ignore_errors=True)


def case_generator(_):
    server, base = start_serve("--threads", "4")
    try:
        r = fanout_io(1, f"{base}/bytes/100", "generator", "--io.rate", "1000000",
                      "--io.repeat", "30000", "--io.concurrency", "32")
        total = r["details"]["open_loop"]["total"]
        print(f"target 1M/s, achieved {r['rate']['achieved_per_s']:.0f}/s; generator "
              f"{total['generator']}")
        warned = generator_warnings(r)
        if len(warned) != 1 or "the server was not the limit" not in warned[0]["message"]:
            fail(f"expected one generator_limited warning: {r['warnings']}")
        if total["generator"]["verdict"] != "could not hold":
            fail(f"verdict {total['generator']['verdict']!r}, expected 'could not hold'")
    finally:
        kill_tree(server.pid)
        server.wait()
        shutil.rmtree(TMP, ignore_errors=True)


def case_stop(model):
    server, base = start_serve()
    try:
        json_path = os.path.join(TMP, "stop.json")
        proc = start(0, "run", "--workload", "io", "--model", model, "--base", "none",
                     "--io.url", f"{base}/bytes/10", "--io.rate", "1", "--io.step", "120s",
                     "--io.concurrency", "50", "--json", json_path)
        time.sleep(2.5)
        if proc.poll() is not None:
            fail("the run ended before it was signalled", finish(proc))
        os.kill(proc.pid, signal.SIGTERM)
        # The slots' requests start up to 50 s later: a run that waited for them would hang here.
        result = finish(proc, timeout=40)
        if result.returncode != 128 + signal.SIGTERM:
            fail(f"expected exit {128 + signal.SIGTERM}", result)
        cut = json.load(open(json_path))["runs"][0]["partial_repetition"]
        if cut is None or not 0 < cut["tasks_done"] < 10:
            fail(f"{model}: expected a cut repetition with the few requests due before the stop: {cut}")
    finally:
        kill_tree(server.pid)
        server.wait()
        shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main({"stall": case_stall, "generator": case_generator, "stop": case_stop})
