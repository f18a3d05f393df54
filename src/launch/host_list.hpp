// The hosts mpirun places ranks on, from --hosts h1:2,h2:2 or --hostfile FILE, checked up front.
#pragma once

#include <string>
#include <vector>

namespace fanout {

/// One host and the ranks (slots) it takes.
struct HostSlots {
  std::string host;
  /// Slots given for it; 0 when a hostfile line gives none (Open MPI then counts the cores that
  /// host reports).
  int slots = 0;
};

/// Where the ranks of a launch go: every host with its slots, in order (mpirun fills a host's
/// slots before it moves on to the next one).
struct HostList {
  std::vector<HostSlots> hosts;
  std::string hostfile;  ///< the file the list came from; "" for --hosts
  bool empty() const { return hosts.empty(); }
  /// "h1:2,h2:2", for mpirun --host.
  std::string mpirun_hosts() const;
  /// Slots over every host; a host without a count is taken to have `cores_if_unknown`.
  int total_slots(int cores_if_unknown) const;
  /// "h1 (2 slots), h2 (cores)", for reports.
  std::string describe() const;
};

/// Parses `--hosts` ("h1:2,h2,h3:4"; a host without ":N" takes one rank, as with mpirun --host).
/// Throws ConfigError naming `flag` and the bad entry.
HostList parse_host_list(const std::string& text, const std::string& flag);

/// Reads an Open MPI hostfile: one host a line, optionally "slots=N" and "max_slots=N", blank
/// lines and # comments ignored. Throws ConfigError naming the file (and line) when it cannot
/// be read, names no host, or holds a line of another shape.
HostList read_hostfile(const std::string& path, const std::string& flag);

}  // namespace fanout
