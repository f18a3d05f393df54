// Fuzz target: the farm's task lists. The input is read once as a file of command lines and
// once as a template (its first line) over a file of inputs (the rest): every task a list
// accepts must give a command, and its line number must map back to it.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "scratch_file.hpp"
#include "workload/shell/task_list.hpp"

namespace {

void check(const fanout::ShellSpec& spec) {
  // A brace in the template's first word may be a replacement string, which then goes unquoted
  // (as in GNU parallel): a blank input gives an empty command.
  const std::string first_word = spec.command.substr(0, spec.command.find_first_of(" \t\n="));
  const bool may_be_empty = first_word.find('{') != std::string::npos;
  try {
    const fanout::TaskList list(spec);
    for (fanout::TaskId i = 0; i < list.size(); ++i) {
      if (list.command(i, 1).empty() && !list.uses_slot() && !may_be_empty) std::abort();
      if (list.index_of(list.seq(i)) != i) std::abort();
    }
  } catch (const fanout::TaskListError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  fanout::ShellSpec tasks;
  tasks.tasks_file = fanout::fuzz::scratch_file(data, size);
  check(tasks);

  const std::size_t eol = text.find('\n');
  if (eol == std::string::npos) return 0;
  fanout::ShellSpec templated;
  templated.command = text.substr(0, eol);
  const std::string inputs = text.substr(eol + 1);
  templated.inputs_file = fanout::fuzz::scratch_file(
      reinterpret_cast<const std::uint8_t*>(inputs.data()), inputs.size());
  check(templated);
  return 0;
}
