// STREAM-style triad yardstick for fanout's triad kernel: a[i] = b[i] + s*c[i], every OpenMP
// thread over three arrays of its own (as each fanout worker has), first touched by that thread.
// Timed like STREAM: each trial is one parallel sweep of every thread's arrays, from before the
// fork to after the join; the first trial is left out and the best (shortest) of the others is
// the rate. Bytes are counted as STREAM counts them: 3 x 8 bytes per element per sweep (read b,
// read c, write a); the read of a that write-allocate caches add is not counted.
// Usage: triad_stream [ARRAY_BYTES [TRIALS [OFFSET_BYTES]]]   threads: OMP_NUM_THREADS
//   ARRAY_BYTES per array (default 32 MiB, fanout's cpu.array), TRIALS (default 10, STREAM's
//   NTIMES), OFFSET_BYTES added to every array's 64-byte-aligned start (default 0, STREAM's OFFSET)
// Prints: threads=T elements=E bytes_per_sweep=B trials=N best_s= avg_s= max_s= gbps= avg_gbps=
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static const double kScalar = 3.0;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void triad(double* restrict a, const double* restrict b, const double* restrict c, double s,
                  size_t n) {
  for (size_t i = 0; i < n; ++i) a[i] = b[i] + s * c[i];
}

int main(int argc, char** argv) {
  const size_t bytes = argc > 1 ? strtoull(argv[1], NULL, 10) : (size_t)32 << 20;
  const int trials = argc > 2 ? atoi(argv[2]) : 10;
  const size_t offset = argc > 3 ? strtoull(argv[3], NULL, 10) : 0;
  const size_t n = bytes / sizeof(double);
  if (n < 1 || trials < 2 || offset % sizeof(double) != 0) {
    fprintf(stderr, "usage: %s [ARRAY_BYTES [TRIALS >= 2 [OFFSET_BYTES, a multiple of 8]]]\n",
            argv[0]);
    return 2;
  }
  const int threads = omp_get_max_threads();
  double** arrays = calloc((size_t)threads * 3, sizeof *arrays);
  double* times = calloc((size_t)trials, sizeof *times);
  int failed = arrays == NULL || times == NULL;

  // Each thread allocates and first-touches its own arrays, so their pages are local to it.
#pragma omp parallel reduction(| : failed)
  {
    const int t = omp_get_thread_num();
    for (int k = 0; k < 3; ++k) {
      char* block = aligned_alloc(64, (n * sizeof(double) + offset + 63) / 64 * 64);
      arrays[3 * t + k] = block == NULL ? NULL : (double*)(block + offset);
      failed |= block == NULL;
    }
    if (!failed) {
      double *a = arrays[3 * t], *b = arrays[3 * t + 1], *c = arrays[3 * t + 2];
      for (size_t i = 0; i < n; ++i) {
        a[i] = 0.0;
        b[i] = 2.0;
        c[i] = 1.0;
      }
    }
  }
  if (failed) {
    fprintf(stderr, "triad_stream: cannot allocate 3 x %zu bytes for each of %d threads\n", bytes,
            threads);
    return 1;
  }

  for (int k = 0; k < trials; ++k) {
    const double t0 = now_s();
#pragma omp parallel
    {
      const int t = omp_get_thread_num();
      triad(arrays[3 * t], arrays[3 * t + 1], arrays[3 * t + 2], kScalar, n);
    }
    times[k] = now_s() - t0;
  }

  // Every element of every thread's a must hold 2 + 3 * 1; checked after the clock stops.
  long wrong = 0;
#pragma omp parallel reduction(+ : wrong)
  {
    const double* a = arrays[3 * omp_get_thread_num()];
    for (size_t i = 0; i < n; ++i) wrong += a[i] != 5.0;
  }

  double best = times[1], worst = times[1], sum = 0;
  for (int k = 1; k < trials; ++k) {
    best = times[k] < best ? times[k] : best;
    worst = times[k] > worst ? times[k] : worst;
    sum += times[k];
  }
  const double avg = sum / (trials - 1);
  const double sweep_bytes = 3.0 * sizeof(double) * (double)n * threads;
  printf(
      "threads=%d elements=%zu bytes_per_sweep=%.0f trials=%d best_s=%.6f avg_s=%.6f "
      "max_s=%.6f gbps=%.3f avg_gbps=%.3f\n",
      threads, n, sweep_bytes, trials, best, avg, worst, sweep_bytes / best / 1e9,
      sweep_bytes / avg / 1e9);
  if (wrong != 0) {
    fprintf(stderr, "triad_stream: %ld elements hold a wrong value\n", wrong);
    return 1;
  }
  return 0;
}
