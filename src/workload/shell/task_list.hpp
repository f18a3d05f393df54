// TaskList: the farm's commands, read from a file of command lines or made from a template and a
// file of inputs (GNU parallel's replacement strings), held compactly and checked up front.
#pragma once

#include <cstdint>
#include <memory>
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
/// as GNU parallel numbers the lines it reads, so that the two tools share a joblog. One reader
/// reads the file (read_bytes) into one block: the text of every line one after another and an
/// offset per line (and a line number per task when the file has comments or blank lines), which
/// the ranks of a node share. A million tasks cost their text and 8 bytes each (16) per node.
class TaskList {
 public:
  /// Reads spec.tasks_file, or spec.inputs_file under spec.command, and holds it itself. Throws
  /// TaskListError as check_template() and read_bytes() do.
  explicit TaskList(const ShellSpec& spec);
  /// The list of `spec` over `bytes`, what read_bytes() made of its file (on another rank);
  /// `owner` keeps them alive. Neither the file is read nor its lines checked again.
  TaskList(const ShellSpec& spec, std::shared_ptr<const void> owner, std::string_view bytes);

  /// The list's file read and checked, as one block of bytes (what the constructors hold). Throws
  /// TaskListError for a missing, unreadable, empty or binary file, or a line too long (naming
  /// the file:line). The template is not looked at.
  static std::string read_bytes(const ShellSpec& spec);
  /// The list's file as read_bytes() reads it, before it is laid out as one block.
  struct Reading {
    std::string text;
    std::vector<std::uint64_t> offsets;
    std::vector<std::uint64_t> lines;
    /// The size of the block.
    std::uint64_t bytes() const;
    /// Lays the block out at `into`, which has bytes() of room.
    void write(char* into) const;
  };
  /// read_bytes() in parts, for a reader that lays the block out in place (a node's shared copy).
  static Reading read(const ShellSpec& spec);
  /// Throws TaskListError for an input source other than the first ({2}) or a Perl expression
  /// ({= =}) in spec.command; reads no file.
  static void check_template(const ShellSpec& spec);

  TaskId size() const { return size_; }
  /// The line number (1-based) of task `index`.
  std::uint64_t seq(TaskId index) const { return lines_ == 0 ? index + 1 : word(lines_ + index); }
  /// The task on line `seq`, if that line holds one.
  std::optional<TaskId> index_of(std::uint64_t seq) const;
  /// The command of task `index`; `slot` (1-based) is what {%} stands for.
  std::string command(TaskId index, int slot) const;
  /// The command GNU parallel runs for task `index`: command() with the carriage return that
  /// ended the task's line in a CRLF file, which parallel keeps and fanout drops; what a joblog
  /// of parallel's records for it.
  std::string parallel_command(TaskId index, int slot) const;
  /// True when the template uses {%}: the command then depends on the slot it runs in.
  bool uses_slot() const { return uses_slot_; }

  /// One piece of the template: text, or what a replacement string stands for.
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

 private:
  TaskList() = default;
  /// The template as GNU parallel reads it, into pieces_ (and quote_, uses_slot_).
  void parse_template(std::string_view t);
  /// Points the list at `bytes`, the block read_bytes() makes.
  void view(std::string_view bytes);
  /// The block's 64-bit word `i`.
  std::uint64_t word(std::size_t i) const;
  /// The task's line as read, a CRLF file's carriage return included.
  std::string_view raw_line(TaskId index) const;
  /// The task's line: its input, or its command.
  std::string_view line(TaskId index) const;
  /// The template applied to input `in` of task `index` in slot `slot`.
  std::string apply(std::string_view in, TaskId index, int slot) const;

  /// The block: tasks n, lines m (0: task i is on line i + 1), n + 1 offsets into the text (line
  /// i is text[offset i, offset i + 1)), m line numbers, then the text of every task's line.
  std::shared_ptr<const void> owner_;
  std::string_view bytes_;
  TaskId size_ = 0;
  std::size_t lines_ = 0;  ///< word of the first line number; 0: none kept
  std::string_view text_;
  std::vector<Piece> pieces_;  ///< the template; empty: each line is its command
  bool uses_slot_ = false;
  /// False when a replacement string is part of the template's first word: as GNU parallel does,
  /// none is quoted then (`{}` runs each input as a command).
  bool quote_ = true;
};

/// `word` as GNU parallel quotes it for a Bourne shell: unchanged when it holds only
/// [-_.+a-zA-Z0-9/], '' when empty, else in single quotes ('"'"' for a quote inside).
std::string shell_quote(std::string_view word);

}  // namespace fanout
