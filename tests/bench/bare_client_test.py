#!/usr/bin/env python3
"""Test of bare_http_client: responses split across reads anywhere (inside a header name, between
CR and LF of the blank line, inside the body) are read to their Content-Length; a response
without one, a non-200 status and a connection closed early count as failed.

Usage: bare_client_test.py BARE_HTTP_CLIENT
"""
import socket
import subprocess
import sys
import threading
import time

# Each route's response as the pieces the server writes, with a pause between them so that
# the client sees them in separate reads.
ROUTES = {
    "/split": [b"HTTP/1.1 200 OK\r\nContent-Le", b"ngth: 10\r\nX-A: b\r\n\r", b"\n01234", b"56789"],
    "/whole": [b"HTTP/1.1 200 OK\r\ncontent-length: 3\r\n\r\nabc"],
    "/no-length": [b"HTTP/1.1 200 OK\r\n\r\nabc"],
    "/status": [b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"],
    "/short": [b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123"],
}


def serve(conn):
    with conn:
        request = b""
        while b"\r\n\r\n" not in request:
            chunk = conn.recv(4096)
            if not chunk:
                return
            request += chunk
        path = request.split(b" ")[1].decode()
        for piece in ROUTES[path]:
            conn.sendall(piece)
            time.sleep(0.02)


def accept_loop(listener):
    while True:
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


def run(client, port, path, n):
    out = subprocess.run([client, "127.0.0.1", str(port), path, str(n), "10"],
                         capture_output=True, text=True, timeout=60)
    return out.returncode, dict(kv.split("=") for kv in out.stdout.split())


def main():
    client = sys.argv[1]
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    port = listener.getsockname()[1]
    threading.Thread(target=accept_loop, args=(listener,), daemon=True).start()
    failures = []
    for path, n, ok in (("/split", 20, 20), ("/whole", 5, 5), ("/no-length", 3, 0),
                        ("/status", 3, 0), ("/short", 3, 0)):
        rc, v = run(client, port, path, n)
        want_rc = 0 if ok == n else 1
        if (int(v["ok"]), int(v["failed"]), rc) != (ok, n - ok, want_rc):
            failures.append(f"{path}: ok={v['ok']} failed={v['failed']} exit {rc}, expected "
                            f"ok={ok} failed={n - ok} exit {want_rc}")
    bad = subprocess.run([client, "localhost", str(port), "/", "1"], capture_output=True, text=True)
    if bad.returncode != 2 or "numeric IPv4" not in bad.stderr:
        failures.append(f"a host name: exit {bad.returncode}, stderr {bad.stderr!r}")
    listener.close()
    for f in failures:
        print("bare_client_test:", f, file=sys.stderr)
    print("bare_client_test:", "ok" if not failures else "FAILED")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
