// TaskList: the farm's commands, read from a file of command lines or made from a template and a
// file of inputs (GNU parallel's replacement strings), held compactly and checked up front.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/config_error.hpp"
#include "exec/task.hpp"
#include "workload/shell/shell_spec.hpp"

namespace fanout {

/// A bad task list. `key` is the option it belongs to ("shell.tasks", "shell.inputs",
/// "shell.command") when the message says what is wrong with that value as a whole, "" when the
/// message names a file:line itself.
class TaskListError : public ConfigError {
 public:
  TaskListError(std::string key, const std::string& why) : ConfigError(why), key(std::move(key)) {}
  std::string key;
};

/// Task i (0-based) is the i-th command line of the task file (blank lines and '#' comments
/// skipped), or the template applied to the i-th line of the inputs file. Its sequence number —
/// in the joblog, {#}, FANOUT_TASK_ID and the names of its logs — is its line number in the file,
/// as GNU parallel numbers the lines it reads, so that the two tools share a joblog. Every rank
/// reads the same list. Text is kept in one buffer with an offset per line, so a million tasks
/// cost their text and 8 bytes each (16 when the file has comments or blank lines).
class TaskList {
 public:
  /// Reads spec.tasks_file, or spec.inputs_file under spec.command. Throws TaskListError for a
  /// missing, unreadable, empty or binary file, a line too long (naming the file:line), or an
  /// unknown replacement string in the template.
  explicit TaskList(const ShellSpec& spec);

  TaskId size() const { return offsets_.size() - 1; }
  /// The line number (1-based) of task `index`.
  std::uint64_t seq(TaskId index) const { return lines_.empty() ? index + 1 : lines_[index]; }
  /// The task on line `seq`, if that line holds one.
  std::optional<TaskId> index_of(std::uint64_t seq) const;
  /// The command of task `index`; `slot` (1-based) is what {%} stands for.
  std::string command(TaskId index, int slot) const;
  /// True when the template uses {%}: the command then depends on the slot it runs in.
  bool uses_slot() const { return uses_slot_; }

 private:
  struct Piece {
    enum class Kind {
      text,
      input,
      no_extension,
      basename,
      dirname,
      basename_no_extension,
      seq,
      slot
    };
    Kind kind = Kind::text;
    std::string text;
  };
  std::string_view line(TaskId index) const;

  std::string text_;                       ///< every line, one after another
  std::vector<std::uint64_t> offsets_{0};  ///< line i is text_[offsets_[i], offsets_[i + 1])
  /// Line number of each task, when lines were skipped; empty: task i is on line i + 1.
  std::vector<std::uint64_t> lines_;
  std::vector<Piece> pieces_;  ///< the template; empty: each line is its command
  bool uses_slot_ = false;
};

/// `word` as GNU parallel quotes it for a Bourne shell: unchanged when it holds only
/// [-_.+a-zA-Z0-9/], '' when empty, else in single quotes ('"'"' for a quote inside).
std::string shell_quote(std::string_view word);

}  // namespace fanout
