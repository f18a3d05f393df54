// Fuzz target: the batch-script template engine, over the variables a point script gets.
#include <cstdint>
#include <string>

#include "batch/script_template.hpp"
#include "cli/config_error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const fanout::TemplateVars vars{{"job_name", "fanout-fib-n1-r2-t1"},
                                         {"nodes", "1"},
                                         {"partition", ""},
                                         {"account", "proj"},
                                         {"launch", "srun --mpi=pmix fanout run jobs/fib.ini"},
                                         {"empty", ""}};
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    (void)fanout::render_template(text, vars, "fuzz.sh");
  } catch (const fanout::ConfigError&) {
  }
  return 0;
}
