// Host lists: the --hosts text and Open MPI's hostfile format, each entry checked.
#include "launch/host_list.hpp"

#include <fstream>
#include <set>
#include <sstream>

#include "cli/config_error.hpp"

namespace fanout {
namespace {

constexpr int kMaxSlots = 100'000;

bool valid_host(const std::string& host) {
  return !host.empty() && host.size() <= 253 && host.front() != '-' &&
         host.find_first_not_of(
             "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") ==
             std::string::npos;
}

/// A slot count from 1 to kMaxSlots, or 0 when `text` is not one.
int slot_count(const std::string& text) {
  if (text.empty() || text.size() > 6 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return 0;
  }
  const int n = std::stoi(text);
  return n >= 1 && n <= kMaxSlots ? n : 0;
}

void add_host(HostList& list, std::set<std::string>& seen, HostSlots entry,
              const std::string& where) {
  if (!valid_host(entry.host)) {
    throw ConfigError(where + "'" + entry.host +
                      "' is not a host name (letters, digits, '.', '-', '_'), e.g. node01");
  }
  if (!seen.insert(entry.host).second) {
    throw ConfigError(where + "host " + entry.host +
                      " is listed twice; give it one entry with all its slots");
  }
  list.hosts.push_back(std::move(entry));
}

}  // namespace

std::string HostList::mpirun_hosts() const {
  std::string out;
  for (const auto& h : hosts) {
    out += (out.empty() ? "" : ",") + h.host + (h.slots > 0 ? ":" + std::to_string(h.slots) : "");
  }
  return out;
}

int HostList::total_slots(int cores_if_unknown) const {
  int total = 0;
  for (const auto& h : hosts) total += h.slots > 0 ? h.slots : cores_if_unknown;
  return total;
}

std::string HostList::describe() const {
  std::string out;
  for (const auto& h : hosts) {
    out += (out.empty() ? "" : ", ") + h.host + " (" +
           (h.slots > 0 ? std::to_string(h.slots) + (h.slots == 1 ? " slot" : " slots")
                        : "its cores") +
           ")";
  }
  return out;
}

HostList parse_host_list(const std::string& text, const std::string& flag) {
  HostList list;
  std::set<std::string> seen;
  std::stringstream entries(text);
  std::string entry;
  const std::string where = flag + " " + text + ": ";
  while (std::getline(entries, entry, ',')) {
    HostSlots h;
    const auto colon = entry.find(':');
    h.host = entry.substr(0, colon);
    h.slots = 1;
    if (colon != std::string::npos) {
      h.slots = slot_count(entry.substr(colon + 1));
      if (h.slots == 0) {
        throw ConfigError(where + "'" + entry +
                          "': the slots after ':' must be a whole number from 1 to " +
                          std::to_string(kMaxSlots) + ", e.g. node01:4");
      }
    }
    add_host(list, seen, h, where);
  }
  if (list.empty() || (!text.empty() && text.back() == ',')) {
    throw ConfigError(flag + " '" + text +
                      "': expected hosts with their ranks, e.g. node01:4,node02:4");
  }
  return list;
}

HostList read_hostfile(const std::string& path, const std::string& flag) {
  std::ifstream in(path);
  if (!in) throw ConfigError(flag + " " + path + ": cannot be read");
  HostList list;
  list.hostfile = path;
  std::set<std::string> seen;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (const auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::stringstream words(line);
    HostSlots h;
    if (!(words >> h.host)) continue;
    const std::string where = path + ":" + std::to_string(number) + ": ";
    for (std::string word; words >> word;) {
      const auto eq = word.find('=');
      const std::string key = word.substr(0, eq);
      const int n = eq == std::string::npos ? 0 : slot_count(word.substr(eq + 1));
      if ((key != "slots" && key != "max_slots" && key != "max-slots") || n == 0) {
        throw ConfigError(where + "'" + word +
                          "': expected slots=N or max_slots=N after the host, N from 1 to " +
                          std::to_string(kMaxSlots));
      }
      if (key == "slots") h.slots = n;
    }
    add_host(list, seen, h, where);
  }
  if (list.empty())
    throw ConfigError(flag + " " + path +
                      ": names no host (one host a line, e.g. 'node01 slots=4')");
  return list;
}

}  // namespace fanout
