#!/usr/bin/env bash
# Installs fanout into a temporary prefix and loads it with Lmod in a clean shell, as a cluster user would.
# Usage: lmod_test.sh BUILD_DIR VERSION   (exits 77, CTest's skip, when Lmod is not installed)
set -euo pipefail

fail() { echo "lmod_test: $*" >&2; exit 1; }
[ $# -eq 2 ] || fail "usage: lmod_test.sh BUILD_DIR VERSION"
build=$1
version=$2
init=
for f in /usr/share/lmod/lmod/init/bash /opt/apps/lmod/lmod/init/bash; do
  [ -r "$f" ] && { init=$f; break; }
done
[ -n "$init" ] || { echo "lmod_test: skipped: Lmod not found (bash cluster/deps.sh installs it)"; exit 77; }

tmp=$(mktemp -d /tmp/fanout-install-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1 \
  || fail "cmake --install failed: $(tail -n 5 "$tmp/install.log")"
modulefile=$prefix/share/modulefiles/fanout/$version.lua
[ -f "$modulefile" ] || fail "no modulefile at $modulefile; installed: $(cd "$prefix" && find . -type f | head -n 20)"

# A clean shell: no PATH entry for the build, no inherited module state, only Lmod's own init.
out=$(env -i HOME="$tmp" PATH=/usr/bin:/bin bash --noprofile --norc -c '
  set -e
  source "$1"
  module use "$2/share/modulefiles"
  module --terse avail fanout 2>&1
  module load fanout
  echo "which=$(command -v fanout)"
  echo "version=$(fanout --version)"
  echo "root=$FANOUT_ROOT"
  echo "jobs=$FANOUT_JOBS"
  echo "templates=$FANOUT_TEMPLATES"
  module unload fanout
  echo "after_unload=$(command -v fanout || echo none)"
' lmod_test "$init" "$prefix" 2>&1) || fail "the clean shell failed:"$'\n'"$out"

expect() { grep -qxF "$1" <<<"$out" || fail "expected the line '$1' in:"$'\n'"$out"; }
expect "fanout/$version"
expect "which=$prefix/bin/fanout"
expect "root=$prefix"
expect "jobs=$prefix/share/fanout/jobs"
expect "templates=$prefix/share/fanout/templates"
expect "after_unload=none"
grep -q "^version=fanout $version " <<<"$out" || fail "fanout --version from the module:"$'\n'"$out"
[ -f "$prefix/share/fanout/jobs/fib.ini" ] || fail "the shipped jobs are not under \$FANOUT_JOBS"
[ -f "$prefix/share/fanout/templates/slurm-point.sh" ] || fail "the templates are not under \$FANOUT_TEMPLATES"
echo "lmod_test: module load fanout from $prefix runs $(grep '^version=' <<<"$out" | cut -d= -f2-)"
