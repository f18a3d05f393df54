#!/usr/bin/env python3
"""Runs a command and writes what it used, from getrusage of the child: user and system CPU
seconds (microsecond resolution, which /usr/bin/time's %U %S lack) and peak RSS in KiB.

Usage: rusage.py FILE COMMAND [ARGS...]   writes "USER_S SYS_S MAXRSS_KIB" to FILE and exits
with COMMAND's status. Under mpirun, %r in FILE becomes the MPI rank, so each rank has a file.
The peak RSS is never below this wrapper's own (about 10 MiB): the kernel keeps the forked
child's high-water mark across exec.
"""
import os
import sys

path, command = sys.argv[1], sys.argv[2:]
path = path.replace("%r", os.environ.get("OMPI_COMM_WORLD_RANK", os.environ.get("PMIX_RANK", "0")))
pid = os.fork()
if pid == 0:
    try:
        os.execvp(command[0], command)
    except OSError as e:
        print(f"rusage.py: {command[0]}: {e.strerror}", file=sys.stderr)
    os._exit(127)
_, status, usage = os.wait4(pid, 0)
with open(path, "w") as out:
    out.write(f"{usage.ru_utime:.6f} {usage.ru_stime:.6f} {usage.ru_maxrss}\n")
sys.exit(os.waitstatus_to_exitcode(status))
