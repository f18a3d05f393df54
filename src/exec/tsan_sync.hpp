// Happens-before edges for ThreadSanitizer where the real synchronisation is in uninstrumented
// code.
#pragma once

#if defined(__SANITIZE_THREAD__)
#define FANOUT_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define FANOUT_TSAN 1
#endif
#endif

#if defined(FANOUT_TSAN)
#include <sanitizer/tsan_interface.h>
#endif

namespace fanout {

// libgomp is not built with TSan, so TSan cannot see that an OpenMP fork orders the master's
// earlier writes before the team's reads, or that the join orders the team's writes before the
// master's later reads, and it reports those hand-offs as races. These calls state exactly those
// two edges, nothing more, so races between team members are still reported. No-ops in other
// builds.

/// Everything this thread wrote so far happens before a later tsan_acquire(sync) in any thread.
inline void tsan_release(void* sync) {
#if defined(FANOUT_TSAN)
  __tsan_release(sync);
#else
  (void)sync;
#endif
}

/// This thread sees everything written before every earlier tsan_release(sync).
inline void tsan_acquire(void* sync) {
#if defined(FANOUT_TSAN)
  __tsan_acquire(sync);
#else
  (void)sync;
#endif
}

}  // namespace fanout
