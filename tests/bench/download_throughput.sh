#!/usr/bin/env bash
# Benchmark: staging a dataset, N files of 1 MiB from nginx on loopback written to disk, over 16
# connections: fanout (io.download, sha256 of every file verified, the journal on) beside
# aria2c -j 16 (checksums given too) and curl --parallel --parallel-max 16 (no checksums), same
# files, interleaved rounds in the same run; whole-process MB/s (medians) and peak RSS.
# Fairness: every client writes N MiB, and the kernel flushes dirty pages behind it; without care
# the next client pays for the previous one's writeback (seen: fanout 564, 351, 260 MiB/s round by
# round). So before every client run the previous output is deleted and `sync` runs, outside the
# timed window. Which client ran before still matters (seen: fanout 3.5-4.7 s right after curl's
# 2000 files were deleted, 1.9-2.3 s after its own, the kernel's page-cache copy 3x as slow), and a
# rotated order keeps every client behind the same one; so the rounds follow a balanced Latin
# square (Williams): over its rows every client follows every other one equally often.
# Usage: tests/bench/download_throughput.sh BUILD_DIR
# Knobs (environment): BENCH_DL_FILES (2000), BENCH_DL_BYTES (1048576), BENCH_DL_CONNECTIONS (16),
# BENCH_NGINX (/usr/sbin/nginx), BENCH_REPEAT (rounds; by default the square's rows: 6 for three
# clients, 4 for four), BENCH_OUT (BUILD_DIR/bench),
# BENCH_DL_BASELINE (another fanout binary, e.g. one built before a change: a "fanout baseline"
# row in the same rounds, and its ratio to this one).
# Talks only to 127.0.0.1. Asserts no time.
set -euo pipefail
here=$(dirname "${BASH_SOURCE[0]}")
repeat_asked=${BENCH_REPEAT:-}
source "$here/common.sh" "${1:-build}"

files=${BENCH_DL_FILES:-2000}
bytes=${BENCH_DL_BYTES:-1048576}
connections=${BENCH_DL_CONNECTIONS:-16}
kGoalCurl=1.0

goal_block_unmeasured() {
  echo "goal: fanout (checksums verified, journal on) >= ${kGoalCurl}x curl --parallel MB/s"
  echo "  not measured: $1"
  echo "  overall: not measured"
}
for tool in curl; do
  if ! command -v "$tool" >/dev/null; then
    goal_block_unmeasured "$tool is not installed"
    exit 0
  fi
done
have_aria2=1
command -v aria2c >/dev/null || have_aria2=

bench_raise_fd_limit download_throughput $((connections * 2 + 100))
work=$(mktemp -d)
trap bench_cleanup EXIT
if ! bench_start_nginx 1 16; then
  echo "download_throughput: $nginx_error" >&2
  goal_block_unmeasured "$nginx_error"
  exit 0
fi
base=$nginx_url
html=$work/nginx/html
echo "download_throughput: making $files files of $bytes bytes" >&2
# Distinct random files and their lists: fanout's (URL NAME sha256:HEX), aria2's input file (with
# the same checksums) and curl's config.
python3 - "$html" "$files" "$bytes" "$base" "$work" <<'PY'
import hashlib, os, sys
html, n, size, base, work = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
os.makedirs(f"{html}/d", exist_ok=True)
os.chmod(f"{html}/d", 0o755)
block = os.urandom(size + 4096)
with open(f"{work}/fanout.txt", "w") as fo, open(f"{work}/aria2.txt", "w") as ar, \
        open(f"{work}/curl.cfg", "w") as cu:
    for i in range(n):
        data = block[i % 4096:i % 4096 + size]
        name = f"f{i:06d}.bin"
        with open(f"{html}/d/{name}", "wb") as f:
            f.write(data)
        os.chmod(f"{html}/d/{name}", 0o644)
        h = hashlib.sha256(data).hexdigest()
        fo.write(f"{base}/d/{name} {name} sha256:{h}\n")
        ar.write(f"{base}/d/{name}\n  out={name}\n  checksum=sha-256={h}\n")
        cu.write(f'url = "{base}/d/{name}"\noutput = "{name}"\n')
PY

results=$BENCH_OUT/download_throughput.tsv
: >"$results"
rusage=(python3 "$here/rusage.py" "$work/rusage")
# record ROUND CLIENT WALL_S DIR: one client run; the files it left in DIR are checked.
record() {
  local got total rss
  got=$(find "$4" -maxdepth 1 -name 'f*.bin' -size "${bytes}c" | wc -l)
  rss=$(awk '{ print $3 }' "$work/rusage")
  printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$((files - got))" "$rss" >>"$results"
  rm -rf "$4"
}
# timed COMMAND...: runs it (its output discarded) and prints its wall in seconds; the dirty
# pages of earlier runs are written back first, outside the window.
timed() {
  local t0 t1
  sync
  t0=$(date +%s.%N)
  "$@" >/dev/null 2>"$work/client.err" || true
  t1=$(date +%s.%N)
  python3 -c "print($t1 - $t0)"
}

# fanout_with BINARY LABEL ROUND
fanout_with() {
  local out=$work/out-fanout wall
  mkdir -p "$out"
  echo "  \$ $2 run --workload io --model async --io.url-file fanout.txt --io.output DIR" \
       "--io.download --io.concurrency $connections" >&2
  wall=$(timed "${rusage[@]}" "$1" run --workload io --base none --quiet --model async \
    --io.url-file "$work/fanout.txt" --io.output "$out" --io.download \
    --io.concurrency "$connections" --json "$BENCH_OUT/download_throughput_${2// /_}_$3.json")
  record "$3" "$2" "$wall" "$out"
}
run_fanout() { fanout_with "$FANOUT" fanout "$1"; }
run_baseline() { fanout_with "$BENCH_DL_BASELINE" "fanout baseline" "$1"; }

run_aria2() {
  local out=$work/out-aria2 wall
  mkdir -p "$out"
  echo "  \$ aria2c -i aria2.txt -j $connections -x 1 -d DIR (checksums given)" >&2
  wall=$(timed "${rusage[@]}" aria2c -q -i "$work/aria2.txt" -j "$connections" -x 1 -d "$out" \
    --file-allocation=none --auto-file-renaming=false --allow-overwrite=true \
    --max-connection-per-server=1 --disk-cache=0)
  record "$1" "aria2c -j $connections" "$wall" "$out"
}

run_curl() {
  local out=$work/out-curl wall
  mkdir -p "$out"
  echo "  \$ curl --parallel --parallel-max $connections -K curl.cfg --output-dir DIR" >&2
  wall=$(timed "${rusage[@]}" curl --parallel --parallel-max "$connections" -s --no-progress-meter -K "$work/curl.cfg" \
    --output-dir "$out")
  record "$1" "curl --parallel" "$wall" "$out"
}

load_before=$(bench_load)
started=$SECONDS
[[ -n $have_aria2 ]] || echo "download_throughput: aria2c is not installed (apt-get install aria2): its rows are left out" >&2
clients=(run_fanout run_curl)
[[ -n $have_aria2 ]] && clients+=(run_aria2)
[[ -n ${BENCH_DL_BASELINE:-} ]] && clients+=(run_baseline)
# The rows of a balanced Latin square over the clients, one line of indices each: row r is
# r, r+1, r-1, r+2, r-2, ... (mod n); an odd n needs the rows reversed too.
mapfile -t square < <(python3 - "${#clients[@]}" <<'PY'
import sys
n = int(sys.argv[1])
steps = [0] + [(j + 1) // 2 if j % 2 else n - j // 2 for j in range(1, n)]
rows = [[(r + s) % n for s in steps] for r in range(n)]
if n % 2:
    rows += [row[::-1] for row in rows]
for row in rows:
    print(" ".join(map(str, row)))
PY
)
BENCH_REPEAT=${repeat_asked:-${#square[@]}}
echo "download_throughput: $files files of $bytes bytes from nginx, $connections connections," \
     "$BENCH_REPEAT rounds (load average $load_before)" >&2
for round in $(seq "$BENCH_REPEAT"); do
  for k in ${square[(round - 1) % ${#square[@]}]}; do
    "${clients[k]}" "$round"
  done
done
load_after=$(bench_load)
echo >&2

bench_python - "$results" "$files" "$bytes" "$connections" "$kGoalCurl" "$load_before" \
  "$load_after" "$((SECONDS - started))" "$have_aria2" <<'EOF'
import sys

from rounds import Rounds, per_round, verdict

results, files, size, connections, goal, load_before, load_after, seconds, have_aria2 = sys.argv[1:]
files, size, goal = int(files), int(size), float(goal)
rounds = Rounds()
for line in open(results):
    rnd, client, wall, missing, rss = line.rstrip("\n").split("\t")
    rounds.add(rnd, client, wall=float(wall), mbs=files * size / float(wall) / 2**20,
               missing=int(missing), rss=int(rss))
header = f'{"client":<18} {"wall":>9} {"MiB/s (median)":>15} {"per round":>22} {"peak RSS":>10} {"missing":>8}'
print(f"download: {files} files of {size} bytes from nginx on loopback to disk, {connections} "
      f"connections, {len(rounds)} interleaved rounds (balanced order, sync before each run), medians")
print(header)
print("-" * len(header))
for c in rounds.clients:
    print(f'{c:<18} {rounds.median(c, "wall"):>7.2f} s {rounds.median(c, "mbs"):>11.1f} MiB/s '
          f'{per_round(rounds.series(c, "mbs"), "{:.0f}"):>22} '
          f'{max(rounds.series(c, "rss")) / 1024:>7.1f} MiB {sum(rounds.series(c, "missing")):>8}')
print()
print(f"goal: fanout (sha256 verified, journal on) >= {goal}x curl --parallel MB/s")
r, per = rounds.ratio("fanout", "curl --parallel", "mbs")
met = [r >= goal]
print(f"  {'MB/s vs curl --parallel':<26} {'met' if met[-1] else 'not met'}: {r:.2f}x (goal >= {goal}x; per round {per_round(per)})")
if "fanout baseline" in rounds.clients:
    r, per = rounds.ratio("fanout", "fanout baseline", "mbs")
    print(f"  {'MB/s vs fanout baseline':<26} (no goal): {r:.2f}x (per round {per_round(per)})")
    r, per = rounds.ratio("fanout baseline", "curl --parallel", "mbs")
    print(f"  {'baseline vs curl':<26} (no goal): {r:.2f}x (per round {per_round(per)})")
if have_aria2:
    r, per = rounds.ratio("fanout", f"aria2c -j {connections}", "mbs")
    print(f"  {'MB/s vs aria2c':<26} (no goal): {r:.2f}x (per round {per_round(per)})")
else:
    print("  MB/s vs aria2c: not measured (aria2c is not installed)")
print(f"  overall: {verdict(met)}")
print("MiB/s: the files' bytes over each client's whole process wall (start-up included; fanout's")
print("  includes reading and checking its list, verifying every sha256 and journaling every file).")
print("missing: files of the right size not in the client's directory after its run (0: all there).")
print(f"load average (1, 5, 15 min): {load_before} before, {load_after} after; {seconds} s")
EOF
echo "JSON reports: $BENCH_OUT"
