"""io.download end to end under mpirun: against `fanout serve` (ranges, ETag changes, a server
that ignores Range, a cut connection, a bad checksum) and against nginx (real Range and ETag),
including a SIGKILL at a random moment and --io.resume afterwards.

Run by CTest as download_e2e.py FANOUT "MPIRUN ARGS" CASE [ARG...].
"""
import hashlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import (FANOUT, MPIRUN, TMP, fail, kill_tree, main, read_csv, run,  # noqa: E402
                          start_serve)
from nginx_conf import write_nginx_conf  # noqa: E402

LINE = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-\n"


def served_body(version, n):
    """What /file/KEY?size=n sends at `version` (server/file_route.hpp)."""
    shift = (13 * version) % 64
    rolled = LINE[shift:] + LINE[:shift]
    return (rolled * (n // 64 + 1))[:n]


def sha(data):
    return hashlib.sha256(data).hexdigest()


def stats(base):
    return json.loads(urllib.request.urlopen(base + "/stats").read())


def download(np, urls, out, *extra, expect=0, model="processes+async", retries="3", concurrency=4):
    json_path = os.path.join(TMP, f"run{time.monotonic_ns()}.json")
    proc = run(np, "run", "--workload", "io", "--model", model, "--io.url-file", urls,
               "--io.output", out, "--io.download", "--io.concurrency", str(concurrency), "--io.retries", retries,
               "--io.backoff", "10ms", "--json", json_path, *extra, expect=expect)
    return proc, json.load(open(json_path))


def totals(doc):
    return doc["runs"][-1]["details"]["download"]


def no_parts(out):
    parts = [f for f in os.listdir(out) if ".fanout-part" in f]
    if parts:
        fail(f"partial files left behind: {parts}")


def case_serve(np):
    """Every route a download meets, then --io.resume, then a file changed on the server."""
    np = int(np)
    server, base = start_serve()
    try:
        out = os.path.join(TMP, "out")
        urls = os.path.join(TMP, "urls.txt")
        good = {f"f{i}.bin": 50_000 * (i + 1) for i in range(6)}
        with open(urls, "w") as f:
            for name, n in good.items():
                f.write(f"{base}/file/{name}?size={n}\t{name}\tsha256:{sha(served_body(0, n))}\n")
            f.write(f"{base}/file/cut?size=300000&cut=100000 cut.bin sha256:{sha(served_body(0, 300000))}\n")
            f.write(f"{base}/norange/nr?size=7000 nr.bin size:7000 md5:{hashlib.md5(served_body(0, 7000)).hexdigest()}\n")
            f.write(f"{base}/file/bad?size=1000 bad.bin sha256:{'0' * 64}\n")
        # A download is work with effects: a file that failed fails the run (exit 1), and its
        # report gives no timing advice (a short wall is no defect of a download).
        proc, doc = download(np, urls, out, expect=1)
        if "too short to time well" in proc.stdout:
            fail("a download was given timing advice", proc)
        t = totals(doc)
        if t["done"] != 8 or t["failed"] != 1 or t["checksum_failed"] != 1 or t["resumed"] != 1:
            fail(f"first run: expected 8 done (cut.bin resumed), 1 checksum failure: {t}")
        if doc["runs"][-1]["errors_by_class"].get("checksum") != 1:
            fail(f"no checksum error class: {doc['runs'][-1]['errors_by_class']}")
        for name, n in list(good.items()) + [("cut.bin", 300000), ("nr.bin", 7000)]:
            if open(os.path.join(out, name), "rb").read() != served_body(0, n):
                fail(f"{name}: wrong bytes")
        if os.path.exists(os.path.join(out, "bad.bin")):
            fail("a file whose checksum failed is kept under its final name")
        no_parts(out)
        journal = [l for l in open(os.path.join(out, ".fanout-journal")) if not l.startswith("#")]
        if len(journal) != 8:
            fail(f"journal holds {len(journal)} lines, expected 8")

        # --io.resume: no request for a journaled file (only bad.bin is asked for again).
        before = stats(base)["requests"]
        _, doc = download(np, urls, out, "--io.resume", retries="0", expect=1)
        asked = stats(base)["requests"] - before - 1  # the /stats request itself
        t = totals(doc)
        if asked != 1 or t["skipped"] != 8 or t["failed"] != 1:
            fail(f"resume: {asked} requests (expected 1, bad.bin), totals {t}")

        # A file changed on the server while a part of it waits: fetched whole, new bytes.
        urllib.request.urlopen(base + "/touch/f0.bin").read()
        os.remove(os.path.join(out, "f0.bin"))
        with open(os.path.join(out, "f0.bin.fanout-part"), "wb") as part:
            part.write(served_body(0, 20_000))
        with open(os.path.join(out, "f0.bin.fanout-part.meta"), "w") as meta:
            meta.write(f'"f0.bin-v0-{good["f0.bin"]}"\n')
        with open(urls, "w") as f:
            f.write(f"{base}/file/f0.bin?size={good['f0.bin']} f0.bin sha256:{sha(served_body(1, good['f0.bin']))}\n")
        _, doc = download(np, urls, out, "--io.journal", os.path.join(TMP, "j2"))
        t = totals(doc)
        if t["restarted"] != 1 or t["failed"] != 0:
            fail(f"changed file: expected it restarted whole: {t}")
        if open(os.path.join(out, "f0.bin"), "rb").read() != served_body(1, good["f0.bin"]):
            fail("changed file: the old bytes were kept")
        no_parts(out)

        # A complete part and a 416: done without its body again.
        os.rename(os.path.join(out, "f1.bin"), os.path.join(out, "f1.bin.fanout-part"))
        with open(os.path.join(out, "f1.bin.fanout-part.meta"), "w") as meta:
            meta.write(f'"f1.bin-v0-{good["f1.bin"]}"\n')
        with open(urls, "w") as f:
            f.write(f"{base}/file/f1.bin?size={good['f1.bin']} f1.bin\n")
        _, doc = download(np, urls, out, "--io.journal", os.path.join(TMP, "j3"))
        t = totals(doc)
        if t["resumed"] != 1 or t["bytes"] != 0 or not os.path.exists(os.path.join(out, "f1.bin")):
            fail(f"416 for a complete part: expected it resumed with 0 bytes: {t}")
    finally:
        kill_tree(server.pid)
        server.wait()




def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_nginx(prefix, rate):
    port = free_port()
    conf = write_nginx_conf(prefix, f"127.0.0.1:{port}", rate)
    subprocess.run(["nginx", "-p", prefix, "-c", conf, "-g", "daemon on;"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.05)
    fail("nginx did not start")


def stop_nginx(prefix):
    try:
        pid = int(open(os.path.join(prefix, "nginx.pid")).read())
        os.kill(pid, signal.SIGTERM)
    except (OSError, ValueError):
        pass


def access_log(prefix):
    path = os.path.join(prefix, "access.log")
    return [l.split() for l in open(path)] if os.path.exists(path) else []


def case_nginx_kill(np, seed):
    """SIGKILL of the whole job at a random moment against nginx (slow bodies, real Range and
    ETag), one file changed meanwhile, then --io.resume: no complete file asked for again, no
    truncated file under a final name at any point, every checksum right."""
    np, rng = int(np), random.Random(int(seed))
    prefix = os.path.join(TMP, "nginx")
    html = os.path.join(prefix, "html")
    os.makedirs(html)
    # nginx's workers run as another user: they must reach the files.
    for d in (TMP, prefix, html):
        os.chmod(d, 0o755)
    n, size = 32, 512 * 1024
    files = {}
    for i in range(n):
        data = bytes(rng.getrandbits(8) for _ in range(64)) * (size // 64)
        files[f"d{i:02d}.bin"] = data
        with open(os.path.join(html, f"d{i:02d}.bin"), "wb") as f:
            f.write(data)
    base = start_nginx(prefix, "512k")
    try:
        out = os.path.join(TMP, "out")
        urls = os.path.join(TMP, "urls.txt")

        def write_list():
            with open(urls, "w") as f:
                for name, data in files.items():
                    f.write(f"{base}/{name} {name} size:{len(data)} sha256:{sha(data)}\n")

        write_list()
        cmd = MPIRUN + ["-q", "-np", str(np), FANOUT, "run", "--workload", "io", "--model",
                        "processes+async", "--io.driver", "rank", "--io.url-file", urls,
                        "--io.output", out, "--io.download", "--io.concurrency", "3"]
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        time.sleep(rng.uniform(1.0, 4.0))
        kill_tree(proc.pid)  # mpirun and every rank under it, at once
        proc.wait()
        names = set(os.listdir(out)) if os.path.isdir(out) else set()
        complete = {f for f in names if f in files}
        parts = {f[: -len(".fanout-part")] for f in names if f.endswith(".fanout-part")}
        for name in complete:
            if open(os.path.join(out, name), "rb").read() != files[name]:
                fail(f"seed {seed}: {name} under its final name is not the whole file")
        if len(complete) == n:
            fail(f"seed {seed}: the kill came after the end; pick another moment")
        # One file not yet complete changes on the server (new bytes, new mtime: a new ETag),
        # one with bytes in its part if there is one (a part the kill left empty, its first bytes
        # still in the writer's buffer, is fetched like a new file, not restarted).
        filled = {p for p in parts if os.path.getsize(os.path.join(out, p + ".fanout-part")) > 0}
        changed = sorted(filled or parts or set(files) - complete)[0]
        files[changed] = bytes(reversed(files[changed]))
        with open(os.path.join(html, changed), "wb") as f:
            f.write(files[changed])
        later = time.time() + 100
        os.utime(os.path.join(html, changed), (later, later))
        write_list()
        seen = len(access_log(prefix))
        _, doc = download(np, urls, out, "--io.resume", "--io.driver", "rank")
        asked = {line[1].lstrip("/") for line in access_log(prefix)[seen:]}
        t = totals(doc)
        again = asked & complete
        if again:
            fail(f"seed {seed}: complete files asked for again: {sorted(again)}")
        for name, data in files.items():
            if not os.path.exists(os.path.join(out, name)) or open(os.path.join(out, name), "rb").read() != data:
                fail(f"seed {seed}: {name} has wrong bytes after resume; totals {t}, "
                     f"errors {doc['runs'][-1].get('errors')}")
        no_parts(out)
        if t["failed"] != 0 or t["done"] != n or t["skipped"] != len(complete) or (
                changed in filled and t["restarted"] != 1):
            fail(f"seed {seed}: resume totals {t}")
        print(f"seed {seed}: {len(complete)} complete at the kill, {len(parts)} partial, "
              f"resume {t}")
    finally:
        stop_nginx(prefix)


def case_per_host(np):
    """io.per-host holds across every rank: the server never sees more connections at once, and
    without the cap it does (so the count means something)."""
    np = int(np)
    server = None
    try:
        urls = os.path.join(TMP, "urls.txt")
        peaks = {}
        for cap in (None, np):
            # A fresh server per count, so its peak is this run's.
            if server:
                kill_tree(server.pid)
                server.wait()
            server, base = start_serve()
            with open(urls, "w") as f:
                for i in range(8 * np):
                    f.write(f"{base}/delay/150?size=1000&i={i}\n")
            extra = [] if cap is None else ["--io.per-host", str(cap)]
            run(np, "run", "--workload", "io", "--model", "processes+async", "--io.driver", "rank",
                "--io.url-file", urls, "--io.concurrency", "4", *extra)
            peaks[cap] = stats(base)["peak_active_connections"]
        if peaks[np] > np:
            fail(f"io.per-host {np}: the server saw {peaks[np]} connections at once")
        if peaks[None] <= np:
            fail(f"without a cap the server saw only {peaks[None]} at once: the test shows nothing")
        print(f"peak connections at the server: {peaks[None]} without a cap, {peaks[np]} with io.per-host {np}")
        proc = run(np, "run", "--workload", "io", "--io.url-file", urls, "--io.per-host", str(np - 1),
                   expect=2 if np > 1 else 0)
        if np > 1 and "--io.per-host" not in proc.stderr:
            fail("a cap below the ranks is not refused", proc)
    finally:
        if server:
            kill_tree(server.pid)
            server.wait()


def case_rate(np):
    """io.rate-per-host R over the whole job: each rank starts its requests to a host at least
    ranks/R seconds apart, so its k-th request (0-based) ends k * ranks/R s after the start at the
    earliest (a lower bound, which a slow machine cannot break)."""
    np = int(np)
    server, base = start_serve()
    try:
        urls = os.path.join(TMP, "urls.txt")
        with open(urls, "w") as f:
            for i in range(6 * np):
                f.write(f"{base}/bytes/100?i={i}\n")
        rate = 10.0 * np
        csv_path = os.path.join(TMP, "rate.csv")
        run(np, "run", "--workload", "io", "--model", "processes+async", "--io.driver", "rank",
            "--base", "none", "--io.url-file", urls, "--io.concurrency", "4", "--io.rate-per-host", str(rate),
            "--csv", csv_path)
        rows = [r for r in read_csv(csv_path)]
        if len(rows) != 6 * np:
            fail(f"expected {6 * np} rows, got {len(rows)}")
        gap = np / rate
        for rank in {r["rank"] for r in rows}:
            ends = sorted(float(r["start_s"]) + float(r["duration_s"]) for r in rows if r["rank"] == rank)
            early = [(k, end) for k, end in enumerate(ends) if end < 0.9 * k * gap]
            if early:
                fail(f"rank {rank}: requests (k, end) {early} ended before k * {gap} s")
    finally:
        kill_tree(server.pid)
        server.wait()


def case_bad_list(np):
    """Bad columns exit 2 with file:line before any work, on every rank alike."""
    np = int(np)
    urls = os.path.join(TMP, "bad.txt")
    out = os.path.join(TMP, "out")
    for text, want in [
        ("http://127.0.0.1:1/a a.bin sha256:abc\n", "column 3 sha256:abc: sha256 checksum needs 64 hex digits"),
        ("http://127.0.0.1:1/a\nhttp://127.0.0.1:1/b b.bin sha1:00\n", "unknown column \"sha1:\""),
        ("http://127.0.0.1:1/a a/b.bin\n", "without '/'"),
        ("http://127.0.0.1:1/a x y\n", "a second NAME"),
        ("http://127.0.0.1:1/a size:-3\n", "size:BYTES"),
    ]:
        with open(urls, "w") as f:
            f.write(text)
        proc = run(np, "run", "--workload", "io", "--io.url-file", urls, "--io.output", out,
                   "--io.download", expect=2)
        lines = proc.stderr.strip().splitlines()
        where = f"{urls}:{text.count(chr(10))}: "
        if len(lines) != 1 or where not in lines[0] or want not in lines[0]:
            fail(f"{text!r}: expected one line naming {urls} and {want!r}", proc)
        if os.path.exists(out) and os.listdir(out):
            fail(f"{text!r}: files written before the error: {os.listdir(out)}")


def case_duplicate_names(np):
    """Two lines of a list naming the same file (other bytes, other checksums): one of them gets
    it, whole, and the other fails with error class name_clash and leaves it alone, whether they
    run at once (any ranks) or one after the other, and in a later --io.resume run too; a stale
    file under a final name is still replaced."""
    np = int(np)
    server, base = start_serve()
    a, b = 400_000, 600_000  # same pattern, other lengths: other bytes and checksums
    versions = {served_body(0, a), served_body(0, b)}

    def entry(key, n, name="same.bin"):
        return f"{base}/file/{key}?size={n} {name} sha256:{sha(served_body(0, n))}\n"

    def check(out, doc, what, want=None):
        errors = doc["runs"][-1]["errors_by_class"]
        data = open(os.path.join(out, "same.bin"), "rb").read()
        if errors.get("name_clash") != 1:
            fail(f"{what}: expected one name_clash error: {errors}, totals {totals(doc)}")
        if data not in versions or (want is not None and data != want):
            fail(f"{what}: same.bin is not one line's whole file ({len(data)} bytes)")
        no_parts(out)
        journal = [l.split("\t") for l in open(os.path.join(out, ".fanout-journal")) if not l.startswith("#")]
        named = [l for l in journal if l[3] == "same.bin"]
        if len(named) != 1 or named[0][2] != "sha256:" + sha(data):
            fail(f"{what}: the journal does not record same.bin once with its bytes' checksum: {named}")
        return data

    try:
        urls = os.path.join(TMP, "urls.txt")
        # At once: adjacent lines, 4 transfers a rank, every rank.
        out = os.path.join(TMP, "at-once")
        with open(urls, "w") as f:
            f.write(entry("a", a) + entry("b", b))
            for i in range(4 * np):
                f.write(entry(f"o{i}", 1000 + i, f"o{i}.bin"))
        _, doc = download(np, urls, out, expect=1)
        check(out, doc, "at once")
        if totals(doc)["done"] != 1 + 4 * np:
            fail(f"at once: totals {totals(doc)}")

        # One after the other (one rank, one transfer): the first line's file stays.
        out = os.path.join(TMP, "in-turn")
        with open(urls, "w") as f:
            f.write(entry("a", a) + entry("o", 1000, "o.bin") + entry("b", b))
        _, doc = download(1, urls, out, concurrency=1, expect=1)
        first = check(out, doc, "in turn", want=served_body(0, a))
        # A later run resumes: the second line's turn again, and same.bin is still the first's.
        _, doc = download(np, urls, out, "--io.resume", expect=1)
        check(out, doc, "resumed", want=first)
        if totals(doc)["skipped"] != 2:
            fail(f"resumed: expected the 2 journaled files skipped: {totals(doc)}")

        # Not a clash: a stale file of no line of this job under a final name is replaced.
        with open(os.path.join(out, "o.bin"), "wb") as f:
            f.write(b"stale")
        with open(urls, "w") as f:
            f.write(entry("o", 1000, "o.bin"))
        _, doc = download(np, urls, out, "--io.journal", os.path.join(TMP, "j-stale"))
        if open(os.path.join(out, "o.bin"), "rb").read() != served_body(0, 1000) or totals(doc)["failed"]:
            fail(f"a stale o.bin was not replaced: totals {totals(doc)}")
    finally:
        kill_tree(server.pid)
        server.wait()


if __name__ == "__main__":
    main({"serve": case_serve, "nginx_kill": case_nginx_kill, "per_host": case_per_host, "rate": case_rate, "bad_list": case_bad_list,
          "duplicate_names": case_duplicate_names})
