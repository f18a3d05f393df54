"""Counts the files and folders a command creates under DIR (which must exist), those it removes
again included: an inotify watch on DIR and on every folder made under it (each new folder is
watched, then scanned for what was made before its watch). Prints `created=N overflow=0|1`.
Usage: python3 count_creates.py DIR COMMAND...; exits with the command's status. With
COUNT_CREATES_LIST=1 set, lists what was created on stderr. A file made and removed in a new
folder before its watch is added is missed (fanout's probe of LOGS/output: one file)."""
import ctypes
import os
import select
import struct
import subprocess
import sys

IN_CREATE, IN_MOVED_TO, IN_ISDIR, IN_Q_OVERFLOW, IN_NONBLOCK = 0x100, 0x80, 0x40000000, 0x4000, 0o4000

libc = ctypes.CDLL(None, use_errno=True)
root = sys.argv[1]
fd = libc.inotify_init1(IN_NONBLOCK)
if fd < 0:
    sys.exit(f"count_creates: inotify_init1: {os.strerror(ctypes.get_errno())}")
watches = {}  # watch descriptor -> folder
created = set()
overflow = False


def watch(folder):
    wd = libc.inotify_add_watch(fd, folder.encode(), IN_CREATE | IN_MOVED_TO)
    if wd >= 0:
        watches[wd] = folder
    # What was made in it before the watch: counted once, by name.
    try:
        for name in os.listdir(folder):
            path = os.path.join(folder, name)
            if path not in created:
                created.add(path)
                if os.path.isdir(path) and not os.path.islink(path):
                    watch(path)
    except FileNotFoundError:
        pass


def drain():
    global overflow
    while True:
        try:
            data = os.read(fd, 1 << 20)
        except BlockingIOError:
            return
        at = 0
        while at < len(data):
            wd, mask, _, size = struct.unpack_from("iIII", data, at)
            name = data[at + 16:at + 16 + size].rstrip(b"\0").decode(errors="replace")
            at += 16 + size
            if mask & IN_Q_OVERFLOW:
                overflow = True
                continue
            path = os.path.join(watches.get(wd, "?"), name)
            if path in created:
                continue
            created.add(path)
            if mask & IN_ISDIR:
                watch(path)


before = set(os.path.join(d, n) for d, dirs, files in os.walk(root) for n in dirs + files)
watch(root)
created -= before
proc = subprocess.Popen(sys.argv[2:])
while proc.poll() is None:
    select.select([fd], [], [], 0.2)
    drain()
drain()
if os.environ.get("COUNT_CREATES_LIST"):
    for path in sorted(created - before):
        print(os.path.relpath(path, root), file=sys.stderr)
print(f"created={len(created - before)} overflow={int(overflow)}")
sys.exit(proc.returncode)
