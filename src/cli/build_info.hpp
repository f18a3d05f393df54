// What built this binary, as `--version` and the run's environment record name it.
#pragma once

namespace fanout {

/// The compiler and its version, e.g. "g++ 12.2.0" (the sanitizer and fuzz builds use clang).
#if defined(__clang__)
#define FANOUT_STRING(x) #x
#define FANOUT_NUMBER(x) FANOUT_STRING(x)
inline constexpr const char* kCompiler = "clang++ " FANOUT_NUMBER(
    __clang_major__) "." FANOUT_NUMBER(__clang_minor__) "." FANOUT_NUMBER(__clang_patchlevel__);
#undef FANOUT_NUMBER
#undef FANOUT_STRING
#else
inline constexpr const char* kCompiler = "g++ " __VERSION__;
#endif

}  // namespace fanout
