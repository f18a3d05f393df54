// Whether a process is still there (and not a zombie), for the farm's tests that check no task
// outlives its kill.
#pragma once

#include <sys/types.h>

#include <fstream>
#include <string>

namespace fanout::test {

inline bool alive(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(stat, text)) return false;
  const auto close = text.rfind(')');
  return close != std::string::npos && close + 2 < text.size() && text[close + 2] != 'Z';
}

}  // namespace fanout::test
