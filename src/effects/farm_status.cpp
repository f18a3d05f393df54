// The chain's table: the scheduler's word on each job, the farm's on its tasks.
#include "effects/farm_status.hpp"

#include "batch/farm_chain.hpp"
#include "batch/scheduler_client.hpp"
#include "cli/format.hpp"
#include "effects/farm_submit.hpp"
#include "report/text_table.hpp"

namespace fanout {

int run_farm_status(const std::string& dir, std::ostream& out) {
  const FarmChain chain = read_farm_chain(dir);
  const auto client = make_scheduler_client(chain.spec.scheduler);
  using Align = TextTable::Align;
  TextTable table({{"job", Align::left},
                   {"id", Align::left},
                   {"state", Align::left},
                   {"elapsed"},
                   {"exit"},
                   {"finished"},
                   {"left after"},
                   {"reason", Align::left}});
  for (const FarmJob& j : chain.jobs) {
    const JobStatus s = client->query(j.job_id);
    require_answer(*client, "status " + dir);
    const bool ended = s.known && is_final_state(s.state);
    const std::string exit = j.exit                      ? std::to_string(*j.exit)
                             : ended && s.exit_code >= 0 ? std::to_string(s.exit_code)
                                                         : "-";
    const std::string finished =
        j.tasks_left_after ? std::to_string(j.tasks_left_before -
                                            std::min(j.tasks_left_before, *j.tasks_left_after))
                           : "-";
    table.add_row({"farm-" + std::to_string(j.index), j.job_id.empty() ? "-" : j.job_id,
                   s.known ? s.state : "UNKNOWN",
                   s.elapsed_s > 0 ? format_seconds(s.elapsed_s) : "-", exit, finished,
                   j.tasks_left_after ? std::to_string(*j.tasks_left_after) : "-", s.reason});
  }
  out << "farm in " << dir << ": " << chain.tasks_total << " tasks, a chain of "
      << chain.jobs.size() << (chain.jobs.size() == 1 ? " job" : " jobs") << " on "
      << client->name() << " (at most " << chain.spec.farm.max_jobs << "), submitted "
      << chain.submitted_at << "\n"
      << table.render();
  try {
    const RecordedTasks t = farm_tasks(chain);
    out << "tasks left: " << t.left << " of " << t.total << " (the joblog records " << t.finished
        << " finished, " << t.failed << " failed)\n";
  } catch (const std::exception& e) {
    out << "tasks left: unknown (" << e.what() << ")\n";
  }
  out << "chain: " << chain.state << (chain.reason.empty() ? "" : ": " + chain.reason) << "\n";
  return 0;
}

}  // namespace fanout
