"""Rows of the latency-bound I/O benchmarks (io_latency.sh, io_floor.sh): the fanout runs that
bench_measure_io (common.sh) listed in a manifest, each against the ideal of its model."""
import json
import math


def ms(x):
    return "-" if x is None else f"{1e3 * x:.1f} ms" if x < 10 else f"{x:.2f} s"


def read_rows(manifest, delay_s):
    """One row per manifest line: wall and ideal (both scaled), rates, latency, CPU, connections."""
    rows = []
    for line in open(manifest):
        label, ideal, scale, path, before, after = line.rstrip("\n").split("\t")
        run = json.load(open(path))["runs"][0]
        if ideal == "pool":
            label = f'{label} ({run["workers_per_rank"]})'
        scale = float(scale)
        cpu = sum(r["cpu_user_s"] + r["cpu_sys_s"] for r in run["per_rank"])
        rows.append({
            "label": label,
            # threads: a pool of workers_per_rank, each request waiting the delay in turn
            "ideal": (math.ceil(run["requests"] / run["workers_per_rank"]) * delay_s
                      if ideal == "pool" else float(ideal) * scale if float(ideal) > 0 else None),
            "workers": run["workers_per_rank"],
            "wall": run["wall_s"] * scale, "scale": scale,
            "requests": run["requests"], "req_s": run["requests_per_s"],
            "p50": run["latency_s"]["p50"], "p99": run["latency_s"]["p99"],
            "cpu_per_req": cpu / run["requests"] if run["requests"] else None,
            "failed": run["failed"],
            # per repetition: the server counts every connection it accepted
            "conns": (json.loads(after)["connections"] - json.loads(before)["connections"] - 1)
                     / max(1, run["repetitions"]),
        })
    return rows


def print_table(rows):
    header = (f'{"model":<16} {"requests":>8} {"wall":>10} {"ideal":>10} {"wall/ideal":>10} '
              f'{"req/s":>8} {"lat p50":>9} {"lat p99":>9} {"cpu/req":>9} {"conns":>6} '
              f'{"failed":>6}')
    print(header)
    print("-" * len(header))
    for r in rows:
        n = f'{r["requests"]}' if r["scale"] == 1 else f'{r["requests"]}x{r["scale"]:g}'
        ratio = "-" if r["ideal"] is None else f'{r["wall"] / r["ideal"]:.2f}x'
        cpu = "-" if r["cpu_per_req"] is None else f'{1e6 * r["cpu_per_req"]:.0f} us'
        print(f'{r["label"]:<16} {n:>8} {ms(r["wall"]):>10} {ms(r["ideal"]):>10} {ratio:>10} '
              f'{r["req_s"]:>6.0f}/s {ms(r["p50"]):>9} {ms(r["p99"]):>9} {cpu:>9} '
              f'{r["conns"]:>6.0f} {r["failed"]:>6}')


def print_ideal_note(requests, delay_s, pool, threads, serial_requests):
    """What each model's ideal is, under the table."""
    print(f"ideal: async {ms(delay_s)} (all in flight); threads ceil({requests}/{pool}) x "
          f"{ms(delay_s)} (a pool of {pool} threads, --threads {threads}, not one per request: each "
          f"blocks on one);")
    print(f"  serial {requests} x {ms(delay_s)}: measured on {serial_requests} requests and scaled "
          f"by {requests / serial_requests:g} (wall and ideal both), not run in full.")
    print("conns: connections the server accepted per repetition; cpu/req: client CPU time per "
          "request.")
