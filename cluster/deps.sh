#!/usr/bin/env bash
# Installs the Debian packages fanout needs; quiet when all are present. Idempotent.
# Usage: cluster/deps.sh [--bench] [--slurm] [--fuzz] [--format]
#   (none)    build and test: compiler, CMake, Open MPI, libcurl, Boost, nlohmann-json, GoogleTest,
#             gnuplot, the test and benchmark peers nginx, the curl CLI and wrk, iproute2 and
#             util-linux (ip netns, unshare) for the namespace cluster, Lmod for the module test,
#             GNU parallel (the farm's joblog is tested both ways against it), OpenSSL (checksums),
#             SimGrid (libsimgrid-dev: fanout-sim, the simulator of dispatch at 10k-100k ranks),
#             strace (the cluster test that counts the bytes each rank reads from a list)
#   --bench   also aria2, the download benchmark's yardstick beside curl --parallel, and hey, the
#             open-loop benchmark's peer at a fixed rate; the other peers (nginx, curl, wrk) are
#             in the default set, since the smoke test runs them
#   --slurm   also a single-node Slurm (slurmctld, slurmd, munge) for the batch tests, which
#             `make test` runs; cluster/slurm-up.sh starts its own daemons, so none need be running
#   --fuzz    also clang and its sanitizer and libFuzzer runtimes, for `make fuzz`
#   --format  also clang-format, for `make format` and `make format-check`
# On a machine where this is not root with apt-get (a cluster login node), it installs nothing and
# says what is missing and how to get it.
set -euo pipefail

packages=(g++ cmake make openmpi-bin libopenmpi-dev libcurl4-openssl-dev libssl-dev libboost-dev
          libboost-program-options-dev nlohmann-json3-dev libgtest-dev gnuplot-nox nginx-light
          curl procps iproute2 util-linux python3 wrk lmod parallel pkg-config libsimgrid-dev
          strace)
want_slurm=
for arg in "$@"; do
  case "$arg" in
    --bench) packages+=(aria2 hey) ;;
    # Slurm's mpi/pmix plugin dlopens the unversioned libpmix.so, which only libpmix-dev ships.
    --slurm) packages+=(slurmctld slurmd slurm-client munge libpmix-dev); want_slurm=1 ;;
    --fuzz) packages+=(clang libclang-rt-dev) ;;
    --format) packages+=(clang-format) ;;
    *) echo "deps.sh: unknown option '$arg'; expected --bench, --slurm, --fuzz or --format" >&2; exit 2 ;;
  esac
done

missing_debs() {
  local pkg status
  for pkg in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
    [ "$status" = installed ] || echo "$pkg"
  done
}

if command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 \
    && [ "$(id -u)" = 0 ]; then
  mapfile -t missing < <(missing_debs)
  [ ${#missing[@]} -eq 0 ] && exit 0
  echo "deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # A fresh machine has no package lists yet; an old list may name versions that are gone.
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  mapfile -t still < <(missing_debs)
  if [ ${#still[@]} -ne 0 ]; then
    echo "deps: could not install: ${still[*]}" >&2
    exit 1
  fi
  exit 0
fi

# No root or no apt: report what a build needs and where clusters usually have it.
need=()
command -v g++ >/dev/null 2>&1 || need+=("g++ >= 12 (module load gcc; spack install gcc@12)")
command -v cmake >/dev/null 2>&1 || need+=("cmake >= 3.22 (module load cmake; spack install cmake)")
command -v mpicxx >/dev/null 2>&1 || need+=("Open MPI (module load openmpi; spack install openmpi)")
command -v curl-config >/dev/null 2>&1 || need+=("libcurl with headers (module load curl; spack install curl)")
[ -e /usr/include/openssl/evp.h ] || need+=("OpenSSL 3 with headers, for checksums (module load openssl; spack install openssl)")
[ -e /usr/include/boost/program_options.hpp ] || [ -n "${BOOST_ROOT:-}" ] \
  || need+=("Boost >= 1.74 with program_options (module load boost; spack install boost+program_options), then set BOOST_ROOT")
if [ -n "$want_slurm" ] && ! [ -x /usr/sbin/slurmctld ] && ! command -v slurmctld >/dev/null 2>&1; then
  need+=("Slurm (slurmctld, slurmd, munge, clients), optional: the batch tests are left out without it")
fi
pkg-config --exists simgrid 2>/dev/null \
  || need+=("SimGrid >= 3.30, optional: fanout-sim is not built without it (spack install simgrid)")
command -v gnuplot >/dev/null 2>&1 || need+=("gnuplot, optional: plots are skipped without it (module load gnuplot; spack install gnuplot)")
if [ ${#need[@]} -ne 0 ]; then
  echo "deps: not root with apt-get, so nothing is installed. Missing:" >&2
  printf '  - %s\n' "${need[@]}" >&2
  echo "  nlohmann-json and GoogleTest are header/CMake packages: spack install nlohmann-json googletest," >&2
  echo "  then pass their prefixes in CMAKE_PREFIX_PATH." >&2
fi
exit 0
