// The fuzz input as a file, for readers that take a path: one file per process, rewritten for
// each input (libFuzzer runs inputs one after another in a process).
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace fanout::fuzz {

inline std::string scratch_file(const std::uint8_t* data, std::size_t size) {
  static const std::string path =
      (std::filesystem::temp_directory_path() / ("fanout-fuzz-" + std::to_string(::getpid())))
          .string();
  static const bool removed_at_exit = [] {
    std::atexit([] { ::unlink(path.c_str()); });
    return true;
  }();
  (void)removed_at_exit;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  out.close();
  if (!out) std::abort();
  return path;
}

}  // namespace fanout::fuzz
