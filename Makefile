# Thin wrapper: every target forwards to cluster/deps.sh, CMake or CTest.
# CMake's own make, run from here, would print every directory it enters.
MAKEFLAGS += --no-print-directory
BUILD ?= build
PREFIX ?= /usr/local
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
NP ?= 2
CMAKE_ARGS ?=
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
MPIRUN ?= mpirun $(if $(filter 0,$(shell id -u)),--allow-run-as-root) --oversubscribe --bind-to none

.PHONY: all deps build fanout test fuzz run bench install clean format format-check

all: build

deps:
	@bash cluster/deps.sh

$(BUILD)/CMakeCache.txt:
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DCMAKE_INSTALL_PREFIX=$(PREFIX) $(CMAKE_ARGS) >/dev/null

build: deps $(BUILD)/CMakeCache.txt
	@cmake --build $(BUILD) -j $(JOBS)

# The binary alone (no test binaries), for what only runs it.
fanout: deps $(BUILD)/CMakeCache.txt
	@cmake --build $(BUILD) -j $(JOBS) --target fanout

# The main job: the offline demo, the lesson's two comparisons under mpirun — downloading pages
# from the embedded server (I/O-bound), then recursive Fibonacci (CPU-bound).
run: fanout
	@$(MPIRUN) -q -np $(NP) $(BUILD)/fanout compare jobs/demo-io.ini
	@echo
	@$(MPIRUN) -q -np $(NP) $(BUILD)/fanout compare jobs/demo-cpu.ini

# Slurm goes in before CMake runs, which looks for it to turn the batch tests on.
test:
	@bash cluster/deps.sh --slurm
	@$(MAKE) build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# Every fuzz target of tests/fuzz for FUZZ_SECONDS each, built with clang, ASan and UBSan in
# FUZZ_BUILD; what they find is under FUZZ_BUILD/fuzz/NAME/crashes.
fuzz:
	@bash cluster/deps.sh --fuzz
	@cmake -S . -B $(FUZZ_BUILD) -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DFANOUT_FUZZ=ON -DFANOUT_FUZZ_SECONDS=$(FUZZ_SECONDS) $(CMAKE_ARGS) >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fanout_fuzzers
	@cd $(FUZZ_BUILD) && ctest -L fuzz --output-on-failure -j $(JOBS)

bench: build
	@bash cluster/deps.sh --bench
	@bash tests/bench/run_all.sh $(BUILD)

# Every C and C++ file git tracks (the fuzz corpora are data), in .clang-format's layout:
# `format` rewrites them, `format-check` (CI) fails on the first file that differs.
FORMAT_FILES = git ls-files '*.cpp' '*.hpp' '*.c' '*.h' ':!tests/fuzz/corpus' ':!tests/fuzz/crashes'
format:
	@bash cluster/deps.sh --format
	@$(FORMAT_FILES) | xargs clang-format -i

format-check:
	@bash cluster/deps.sh --format
	@$(FORMAT_FILES) | xargs clang-format --dry-run -Werror

install: build
	@cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	@rm -rf $(BUILD)
