// Polls a condition in the server tests, for state that settles asynchronously (a session noticing
// a close).
#pragma once

#include <chrono>
#include <thread>

namespace fanout::test {

/// True as soon as condition() holds; false if it still does not after timeout_s.
template <class Condition>
bool wait_for(Condition condition, double timeout_s = 10) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace fanout::test
