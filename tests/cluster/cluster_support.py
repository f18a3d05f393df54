"""What the multi-node tests share: the namespace test cluster (cluster/netns-up.sh) they run on,
starting commands inside it, and ending every process a case started, however it ends.

Imported by cluster_e2e.py, cluster_stop_e2e.py and cluster_fault_e2e.py, which CTest runs as
SCRIPT FANOUT CLUSTER_DIR CASE [ARG...]. Exits 77 (CTest's skip) with the reason when there is no
cluster to run on (not root, no Slurm). Every process a case starts is ended when it ends, passes
or fails: its own process groups, the mpirun/orted/fanout processes left in the cluster's
namespaces, its Slurm jobs, and any link a case cut is brought back up.
"""
import csv
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

FANOUT, CLUSTER, CASE, ARGS = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
RANKS = 6
TMP = tempfile.mkdtemp(prefix="fanout-cluster-")
# Open MPI's session directories (mpirun's and each node's daemon's) go in TMP: those of a launcher
# a case kills would otherwise stay in the system's temporary folder.
os.environ["OMPI_MCA_orte_tmpdir_base"] = TMP
# And its shared-memory transport's backing files (/dev/shm by default), which a rank killed
# outright leaves behind.
os.environ["OMPI_MCA_btl_vader_backing_directory"] = TMP
STARTED = []       # Popen objects, each the leader of its own process group
SUBMITTED = set()  # Slurm job ids to cancel if the case ends early
CUT_LINKS = set()  # switch-side veth names a case took down


def skip(reason):
    print("SKIP:", reason)
    sys.exit(77)


def fail(msg, proc=None):
    if proc is not None:
        msg += f"\n--- exit {proc.returncode}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"
    print("FAIL:", msg)
    print("files kept in", TMP)
    sys.exit(1)


def cluster_env():
    path = os.path.join(CLUSTER, "cluster.env")
    if os.getuid() != 0:
        skip("needs root to make network namespaces (the cluster fixture skipped too)")
    if not os.path.isfile(path):
        skip(f"no test cluster in {CLUSTER} (cluster/netns-up.sh skipped or failed; see cluster_up)")
    env = {}
    for line in open(path):
        if "=" in line and not line.startswith("#"):
            key, value = line.strip().split("=", 1)
            env[key] = value.strip('"')
    return env


ENV = cluster_env()
NODES = ENV["NODES"].split()
FIRST = NODES[0]


def run(cmd, expect=0, timeout=120):
    """Runs cmd in its own process group, which is killed if the case ends before it does."""
    result = finish(start(cmd), timeout)
    if expect is not None and result.returncode != expect:
        fail(f"{' '.join(cmd)}: expected exit {expect}", result)
    return result


def on_first(*cmd, **kw):
    """A command inside node 1 with its hostname (and SLURM_CONF when Slurm is up)."""
    return run([os.path.join(CLUSTER, "on"), FIRST, *cmd], **kw)


def mpirun(*cmd, **kw):
    """mpirun started inside node 1 over the cluster's hostfile and rsh agent."""
    return run([os.path.join(CLUSTER, "mpirun"), "-q", *cmd], **kw)


def cleanup():
    restore_links()
    for proc in STARTED:
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
    if SUBMITTED and os.path.isfile(os.path.join(CLUSTER, "slurm.conf")):
        subprocess.run([os.path.join(CLUSTER, "on"), FIRST, "scancel", *sorted(SUBMITTED)],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30)
    # An orted or rank whose mpirun died can stay behind on the other nodes; the Slurm daemons
    # and their job steps are the fixture's to stop.
    for node in NODES:
        pids = subprocess.run(["ip", "netns", "pids", node], capture_output=True,
                              text=True).stdout.split()
        for pid in pids:
            try:
                args = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")
            except OSError:
                continue
            name = os.path.basename(args[0].decode(errors="replace")) if args and args[0] else ""
            if name in ("orted", "mpirun") or args[0].decode(errors="replace") == FANOUT:
                if not is_slurm_step(int(pid)):
                    try:
                        os.kill(int(pid), signal.SIGKILL)
                    except ProcessLookupError:
                        pass


def is_slurm_step(pid):
    """Whether pid runs under a slurmstepd (a job of the fixture's Slurm, cancelled above)."""
    while pid > 1:
        try:
            stat = open(f"/proc/{pid}/stat").read()
        except OSError:
            return False
        if stat[stat.index("(") + 1:stat.rindex(")")] == "slurmstepd":
            return True
        pid = int(stat[stat.rindex(")") + 2:].split()[1])
    return False


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))



def start(cmd):
    """Starts cmd in the background in its own process group, ended by cleanup() if still there."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    STARTED.append(proc)
    return proc


def finish(proc, timeout):
    """Waits for a started command; still going after `timeout` s, it fails the case."""
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        fail(f"{' '.join(proc.args)}: still running after {timeout} s",
             subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def node_pids(node, program):
    """Pids of `program` (a path, or a bare name such as orted) running inside node's namespace."""
    out = []
    for pid in subprocess.run(["ip", "netns", "pids", node], capture_output=True,
                              text=True).stdout.split():
        try:
            exe = os.readlink(f"/proc/{pid}/exe")
        except OSError:
            continue
        if exe == os.path.realpath(program) or os.path.basename(exe) == program:
            out.append(int(pid))
    return sorted(out)


def wait_for(what, predicate, timeout=120):
    """Polls predicate() until it returns something true, which is returned."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    fail(f"{what}: not after {timeout} s")

def on_node(node, *cmd):
    """cmd run inside `node`'s network namespace."""
    return [os.path.join(CLUSTER, "on"), node, *cmd]


def start_serve(port):
    """`fanout serve` on `port` of the first node, answering; returns it and its base URL."""
    proc = start(on_node(FIRST, FANOUT, "serve", "--bind", "0.0.0.0", "--port", str(port)))

    def up():
        if proc.poll() is not None:
            fail("fanout serve did not start", finish(proc, 5))
        probe = subprocess.run(on_node(FIRST, "curl", "-sf", f"http://127.0.0.1:{port}/stats"),
                               capture_output=True)
        return probe.returncode == 0

    wait_for("fanout serve answering in " + FIRST, up, timeout=20)
    return proc, f"http://{FIRST}:{port}"


def cut_link(node):
    """Takes down node's link to the switch (its veth there), as a failed cable or switch port."""
    link = "v-" + node[len(ENV["PREFIX"]):]
    CUT_LINKS.add(link)
    subprocess.run(["ip", "-n", ENV["SWITCH"], "link", "set", link, "down"], check=True)


def restore_links():
    for link in sorted(CUT_LINKS):
        subprocess.run(["ip", "-n", ENV["SWITCH"], "link", "set", link, "up"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    CUT_LINKS.clear()


def main(cases):
    signal.signal(signal.SIGTERM, on_signal)
    # A case killed while a link was down (timeout's SIGKILL) could not bring it back: every case
    # starts with every node's link up.
    CUT_LINKS.update("v-" + node[len(ENV["PREFIX"]):] for node in NODES)
    restore_links()
    started = time.monotonic()
    try:
        cases[CASE](*ARGS)
    finally:
        cleanup()
    shutil.rmtree(TMP, ignore_errors=True)
    print(f"{os.path.basename(sys.argv[0])} {CASE} {' '.join(ARGS)}: ok in {time.monotonic() - started:.1f} s")


def on_signal(signum, frame):
    # timeout(1) sends TERM first: end like a failure, so that cleanup runs.
    fail(f"stopped by signal {signum}")
