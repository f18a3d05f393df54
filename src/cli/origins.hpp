// Where each option's value came from (a job file line or a flag), so errors can point at it.
#pragma once

#include <map>
#include <string>

namespace fanout {

class Origins {
 public:
  void set_flag(const std::string& key) { where_.try_emplace(key, "--" + key); }
  void set_file(const std::string& key, const std::string& file, int line) {
    where_.try_emplace(key, file + ":" + std::to_string(line));
    file_.try_emplace(key, file);
  }
  /// "jobs/fib.ini:4" or "--cpu.n"; the flag spelling if the key was never set.
  std::string of(const std::string& key) const {
    auto it = where_.find(key);
    return it == where_.end() ? "--" + key : it->second;
  }
  /// The job file a key came from, or "" if it came from the command line.
  std::string file_of(const std::string& key) const {
    auto it = file_.find(key);
    return it == file_.end() ? "" : it->second;
  }
  bool from_file(const std::string& key) const { return !file_of(key).empty(); }

 private:
  std::map<std::string, std::string> where_;
  std::map<std::string, std::string> file_;
};

}  // namespace fanout
