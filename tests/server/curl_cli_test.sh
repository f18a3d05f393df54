#!/usr/bin/env bash
# The curl CLI, a real third-party client, against `fanout serve`: bytes, statuses, keep-alive, clean SIGTERM.
# Usage: curl_cli_test.sh PATH/TO/fanout
set -euo pipefail

fanout=${1:?usage: curl_cli_test.sh PATH/TO/fanout}
work=$(mktemp -d)
server_pid=
cleanup() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then kill -KILL "$server_pid"; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$fanout" serve --port 0 >"$work/out" 2>"$work/err" &
server_pid=$!

for _ in $(seq 100); do
  [[ -s $work/out ]] && break
  kill -0 "$server_pid" 2>/dev/null || fail "fanout serve exited early: $(cat "$work/err")"
  sleep 0.1
done
first=$(head -n 1 "$work/out")
[[ $first =~ ^listening\ on\ (http://127\.0\.0\.1:[0-9]+)$ ]] || fail "first line is not 'listening on URL': '$first'"
url=${BASH_REMATCH[1]}

# /bytes/1000: status 200 and exactly 1000 bytes, the first line of the deterministic pattern.
code=$(curl -sS -o "$work/bytes" -w '%{http_code}' "$url/bytes/1000")
[[ $code == 200 ]] || fail "/bytes/1000 answered $code"
size=$(stat -c %s "$work/bytes")
[[ $size == 1000 ]] || fail "/bytes/1000 gave $size bytes"
[[ $(head -n 1 "$work/bytes") == 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ- ]] ||
  fail "/bytes/1000 content differs from the pattern"

# /status/503: the status and Retry-After: 0.
code=$(curl -sS -D "$work/headers" -o /dev/null -w '%{http_code}' "$url/status/503")
[[ $code == 503 ]] || fail "/status/503 answered $code"
grep -qi '^retry-after: 0' "$work/headers" || fail "/status/503 lacks Retry-After: 0"
grep -qi '^server: fanout' "$work/headers" || fail "no Server: fanout header"

# Two URLs in one curl call share one keep-alive connection: the server counts one new connection.
before=$(curl -sS "$url/stats")
connections_before=$(sed -E 's/.*"connections":([0-9]+).*/\1/' <<<"$before")
codes=$(curl -sS -o /dev/null -o /dev/null -w '%{http_code} %{num_connects}\n' "$url/bytes/10" "$url/delay/1")
[[ $codes == $'200 1\n200 0' ]] || fail "keep-alive pair gave statuses/new connections '$codes'"
after=$(curl -sS "$url/stats")
connections_after=$(sed -E 's/.*"connections":([0-9]+).*/\1/' <<<"$after")
[[ $((connections_after - connections_before)) == 2 ]] ||
  fail "expected 2 new connections (the pair on one, /stats on another), got $connections_before -> $connections_after"

kill -TERM "$server_pid"
status=0
wait "$server_pid" || status=$?
server_pid=
[[ $status == 0 ]] || fail "fanout serve exited $status after SIGTERM: $(cat "$work/err")"
[[ $(wc -l <"$work/out") == 2 ]] || fail "expected 2 lines of output, got: $(cat "$work/out")"
summary=$(sed -n 2p "$work/out")
[[ $summary =~ ^SIGTERM:\ served\ 6\ requests\ on\ 5\ connections ]] || fail "unexpected summary line: '$summary'"
[[ $summary == *"200=5 503=1"* ]] || fail "summary lacks the statuses: '$summary'"
echo "ok: $url served bytes, statuses and a keep-alive pair; summary: $summary"
