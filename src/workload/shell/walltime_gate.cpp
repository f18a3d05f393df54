// The allocation's end from the environment, and the start rule against it.
#include "workload/shell/walltime_gate.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <string_view>

#include "cli/config_error.hpp"
#include "cli/format.hpp"
#include "cli/units.hpp"
#include "launch/allocation.hpp"

namespace fanout {
namespace {

/// A task's time or the time left, as a user reads it: "4.98 s", "0.4 s", "30 min".
std::string shown(double s) {
  if (s >= 60) return format_duration(s);
  char text[32];
  std::snprintf(text, sizeof text, "%.3g s", s);
  return text;
}

}  // namespace

std::optional<AllocationEnd> pbs_job_end(std::string_view text) {
  const auto attributes = qstat_attributes(text);
  const auto walltime_at = attributes.find("Resource_List.walltime");
  const auto stime_at = attributes.find("stime");
  if (walltime_at == attributes.end() || stime_at == attributes.end()) return std::nullopt;
  const std::optional<long> walltime = parse_time_limit(walltime_at->second);
  std::optional<double> start;
  std::tm tm{};
  const char* end = ::strptime(stime_at->second.c_str(), "%a %b %d %H:%M:%S %Y", &tm);
  if (end != nullptr && *end == '\0') {
    tm.tm_isdst = -1;
    if (const std::time_t t = std::mktime(&tm); t != static_cast<std::time_t>(-1)) {
      start = static_cast<double>(t);
    }
  }
  if (!start || !walltime) return std::nullopt;
  return AllocationEnd{*start + static_cast<double>(*walltime),
                       "PBS (qstat: stime + Resource_List.walltime)"};
}

std::optional<AllocationEnd> allocation_end(
    const std::function<const char*(const char*)>& get,
    const std::function<std::string(const std::string&)>& qstat_full) {
  for (const char* name : {"FANOUT_END_TIME", "SLURM_JOB_END_TIME"}) {
    const char* value = get(name);
    if (value == nullptr || *value == '\0') continue;
    const std::string_view text(value);
    long long seconds = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (ec != std::errc() || end != text.data() + text.size() || seconds <= 0) {
      throw ConfigError(std::string(name) + "=" + std::string(text) +
                        ": expected the allocation's end as whole seconds since 1970 (date +%s)");
    }
    return AllocationEnd{static_cast<double>(seconds), name};
  }
  const char* pbs_job = get("PBS_JOBID");
  if (pbs_job == nullptr || *pbs_job == '\0') return std::nullopt;
  return pbs_job_end(qstat_full(pbs_job));
}

WalltimeGate::WalltimeGate(AllocationEnd end, double time_request_s, double longest_s)
    : end_(std::move(end)), time_request_s_(time_request_s), longest_s_(longest_s) {}

void WalltimeGate::finished(double runtime_s) {
  double longest = longest_s_.load(std::memory_order_relaxed);
  while (runtime_s > longest &&
         !longest_s_.compare_exchange_weak(longest, runtime_s, std::memory_order_relaxed)) {
  }
}

double WalltimeGate::expected_s() const {
  return time_request_s_ > 0 ? time_request_s_ : longest_s_.load(std::memory_order_relaxed);
}

std::optional<std::string> WalltimeGate::refusal(double now_epoch_s) const {
  const double expected = expected_s();
  const double left = end_.epoch_s - now_epoch_s;
  if (now_epoch_s + expected < end_.epoch_s) return std::nullopt;
  const std::string end = "the end " + end_.source + " gives " +
                          (left > 0 ? "is " + shown(left) + " away" : "has come");
  const std::string later = "; a later job (--resume) runs the rest";
  if (expected <= 0) return "no task starts: " + end + later;
  const char* why = time_request_s_ > 0 ? " (shell.time-request)" : " (the longest task so far)";
  return "no task starts: one may take " + shown(expected) + why + ", and " + end + later;
}

}  // namespace fanout
