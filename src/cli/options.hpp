// Options as every command declares and reads them: a schema of named options in groups, parsed
// from the command line and an INI job file (the command line wins), read back with conversions
// whose errors name the flag or file:line. No other folder sees Boost.Program_options.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fanout {

/// One option. Job-file keys carry their section ("sec.key" is `[sec] key = ...` and `--sec.key`).
struct OptionSpec {
  enum class Arity {
    value,  ///< --key VALUE
    flag,   ///< --key alone means true; --key false and `key = false` also work
    list,   ///< repeatable; the values collect in order
  };
  std::string name;
  std::string help;
  Arity arity = Arity::value;
};

/// Options under one heading of the help text, e.g. "[cpu] CPU-bound workload".
struct OptionGroup {
  std::string title;
  std::vector<OptionSpec> options;
};

/// What a command accepts.
struct CommandSchema {
  std::string command;  ///< "run": errors point at 'fanout run --help'
  std::string usage;    ///< the help text's first paragraph(s)
  std::vector<OptionGroup> groups;
  /// The one positional argument ("job-file", "dir"), "" for none.
  std::string positional;
  /// The positional is a job file whose `key = value` lines are stored under the command line;
  /// keys of these groups (by title) are the ones a job file may set.
  bool load_job_file = false;
  std::vector<std::string> file_groups;
};

class OptionReader;

/// A command's arguments, parsed. Throws ConfigError from parse() for an unknown option, a bad
/// job file (unknown key, a key set twice, unreadable), or a missing value.
class Options {
 public:
  /// `base_dir`: where relative paths given on the command line (the job file too) start; ""
  /// means the working directory.
  static Options parse(const CommandSchema& schema, const std::vector<std::string>& args,
                       const std::string& base_dir = "");
  Options(Options&&) noexcept;
  Options& operator=(Options&&) noexcept;
  ~Options();

  /// --help or -h was given: print help_text() and do nothing else.
  bool help() const;
  std::string help_text() const;
  /// The positional argument as given, "" if absent.
  const std::string& positional() const;
  /// The job file, resolved against base_dir; "" without one.
  const std::string& job_file() const;
  /// The command-line options as typed, in order: key and tokens (what a study forwards).
  struct Given {
    std::string key;
    std::vector<std::string> tokens;
  };
  const std::vector<Given>& given() const;

  /// Reads every option (keys as declared).
  OptionReader reader() const;

 private:
  struct Impl;
  explicit Options(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  friend class OptionReader;
};

/// Options::parse, or nullopt with `help` set to the help text when --help was given: how every
/// command's parser starts.
std::optional<Options> parse_or_help(const CommandSchema& schema,
                                     const std::vector<std::string>& args, std::string& help,
                                     const std::string& base_dir = "");

/// Reads values out of Options and converts them, naming where a bad value came from: "--sec.n
/// '-3': must be ..." or "jobs/fib.ini:4: sec.n = -3: must be ...". Each conversion leaves `out`
/// untouched when the key was not given.
class OptionReader {
 public:
  explicit OptionReader(const Options& options) : options_(&options) {}

  bool has(const std::string& key) const;
  /// The value as typed (the first, for a list).
  std::string raw(const std::string& key) const;
  /// Every value of a list option.
  std::vector<std::string> list(const std::string& key) const;
  /// "jobs/fib.ini:4" or "--sec.n".
  std::string where(const std::string& key) const;
  /// The key and its value as errors start: "--sec.n '-3'" or "jobs/fib.ini:4: sec.n = -3";
  /// "--sec.n (default)" when it was not given.
  std::string located(const std::string& key) const;
  /// True when the value came from the job file.
  bool from_file(const std::string& key) const;
  [[noreturn]] void fail(const std::string& key, const std::string& why) const;

  void text(const std::string& key, std::string& out) const;
  /// A path: relative to its job file's folder when set there, else to the base directory.
  void path(const std::string& key, std::string& out) const;
  void integer(const std::string& key, std::int64_t& out, std::int64_t min, std::int64_t max) const;
  template <typename Int>
  void integer(const std::string& key, Int& out, std::int64_t min, std::int64_t max) const {
    std::int64_t v = static_cast<std::int64_t>(out);
    integer(key, v, min, max);
    out = static_cast<Int>(v);
  }
  /// Seconds; at most max_s.
  void duration(const std::string& key, double& out, bool allow_zero, double max_s) const;
  void bytes(const std::string& key, std::uint64_t& out, std::uint64_t min,
             std::uint64_t max) const;
  void boolean(const std::string& key, bool& out) const;
  /// A number or a percentage ("0.8", "80%") in [min, max].
  void fraction(const std::string& key, double& out, double min, double max) const;
  /// One of `choices` by name.
  template <typename T>
  void choice(const std::string& key, T& out,
              const std::vector<std::pair<std::string, T>>& choices) const {
    if (!has(key)) return;
    const std::string v = raw(key);
    std::vector<std::string> names;
    for (const auto& [name, value] : choices) {
      if (v == name) {
        out = value;
        return;
      }
      names.push_back(name);
    }
    fail_choice(key, names);
  }

 private:
  [[noreturn]] void fail_choice(const std::string& key,
                                const std::vector<std::string>& names) const;
  const Options* options_;
};

}  // namespace fanout
