// Slurm and PBS through their command-line tools (no shell: argv only).
#include "batch/scheduler_client.hpp"

#include <sstream>
#include <stdexcept>

#include "cli/format.hpp"
#include "launch/process.hpp"

namespace fanout {
namespace {

/// The lines of a tool's output that carry an error, without the tool's own prefix.
std::string error_lines(const std::string& output) {
  std::istringstream lines(output);
  std::string line, out;
  while (std::getline(lines, line)) {
    const auto at = line.find("error: ");
    if (at == std::string::npos) continue;
    out += (out.empty() ? "" : "; ") + line.substr(at + 7);
  }
  if (out.empty()) out = last_nonblank_line(output);
  return out;
}

/// A job the scheduler said nothing of, and why.
JobStatus unknown(const std::string& why) {
  JobStatus s;
  s.reason = why;
  return s;
}

class SlurmClient final : public SchedulerClient {
 public:
  std::string name() const override { return "Slurm"; }
  std::vector<std::string> submit_commands() const override { return {"sbatch", "scontrol"}; }

  std::optional<std::string> validate(const std::string& script_path) override {
    const ProcessResult r = run_process({"sbatch", "--test-only", script_path}, "");
    if (!r.started) return r.error;
    if (r.exit_code == 0) return std::nullopt;
    return error_lines(r.output);
  }

  std::string submit(const std::string& script_path, const std::string& workdir) override {
    const ProcessResult r = run_process({"sbatch", "--parsable", script_path}, "", workdir);
    if (!r.started) throw std::runtime_error(r.error);
    const auto id = parse_submitted_id(r.output, false);
    if (r.exit_code != 0 || !id) throw std::runtime_error(error_lines(r.output));
    return *id;
  }

  JobStatus query(const std::string& job_id) override {
    // A controller that did not answer once (each try waits out scontrol's own timeouts, 18 s
    // or more) is not asked again about the study's other jobs.
    if (unreachable_) return unknown(*unreachable_);
    const ProcessResult r =
        run_process({"scontrol", "show", "job", "-o", job_id}, "", "", kQueryTimeout_s);
    if (r.started && r.exit_code == 0) {
      JobStatus s = parse_scontrol_job(r.output);
      if (s.known) return s;
    }
    if (!r.started || r.output.find("Invalid job id") == std::string::npos) {
      // Not "no such job" but no answer at all: say so rather than call the job forgotten.
      unreachable_ =
          "scontrol: " + (r.timed_out ? "no answer within " + format_duration(kQueryTimeout_s)
                          : r.started ? error_lines(r.output)
                                      : r.error);
      return unknown(*unreachable_);
    }
    // Gone from slurmctld's memory (MinJobAge): the accounting database may still know it.
    if (find_on_path("sacct").empty()) return {};
    const ProcessResult a =
        run_process({"sacct", "-n", "-P", "-X", "-j", job_id, "-o", "State,ExitCode,Elapsed"}, "");
    if (!a.started || a.exit_code != 0) return {};
    std::istringstream lines(a.output);
    std::string line;
    if (!std::getline(lines, line) || line.empty()) return {};
    std::istringstream fields(line);
    std::string state, exit, elapsed;
    std::getline(fields, state, '|');
    std::getline(fields, exit, '|');
    std::getline(fields, elapsed, '|');
    JobStatus s = parse_scontrol_job(
        "JobId=" + job_id + " JobState=" + state.substr(0, state.find(' ')) + " ExitCode=" + exit);
    s.elapsed_s = parse_elapsed(elapsed);
    return s;
  }

  void cancel(const std::vector<std::string>& job_ids) override {
    if (job_ids.empty()) return;
    std::vector<std::string> argv{"scancel"};
    argv.insert(argv.end(), job_ids.begin(), job_ids.end());
    run_process(argv, "");
  }

  std::string array_element_id(const std::string& array_id, std::size_t index) const override {
    return array_id + "_" + std::to_string(index);
  }

  std::optional<std::string> unreachable() const override { return unreachable_; }

 private:
  std::optional<std::string> unreachable_;
};

class PbsClient final : public SchedulerClient {
 public:
  std::string name() const override { return "PBS"; }
  std::vector<std::string> submit_commands() const override { return {"qsub", "qstat"}; }

  std::optional<std::string> validate(const std::string&) override { return std::nullopt; }

  std::string submit(const std::string& script_path, const std::string& workdir) override {
    const ProcessResult r = run_process({"qsub", script_path}, "", workdir);
    if (!r.started) throw std::runtime_error(r.error);
    const auto id = parse_submitted_id(r.output, true);
    if (r.exit_code != 0 || !id) throw std::runtime_error(last_nonblank_line(r.output));
    return *id;
  }

  JobStatus query(const std::string& job_id) override {
    if (unreachable_) return unknown(*unreachable_);
    const ProcessResult r = run_process({"qstat", "-x", "-f", job_id}, "", "", kQueryTimeout_s);
    if (r.started && r.exit_code == 0) return parse_qstat_full(r.output);
    // qstat says "Unknown Job Id" of a job the server has forgotten; anything else is no answer.
    if (r.timed_out || !r.started || r.output.find("Unknown Job Id") == std::string::npos) {
      unreachable_ =
          "qstat: " + (r.timed_out ? "no answer within " + format_duration(kQueryTimeout_s)
                       : r.started ? last_nonblank_line(r.output)
                                   : r.error);
      return unknown(*unreachable_);
    }
    return {};
  }

  std::optional<std::string> unreachable() const override { return unreachable_; }

  void cancel(const std::vector<std::string>& job_ids) override {
    if (job_ids.empty()) return;
    std::vector<std::string> argv{"qdel"};
    argv.insert(argv.end(), job_ids.begin(), job_ids.end());
    run_process(argv, "");
  }

  std::string array_element_id(const std::string& array_id, std::size_t index) const override {
    const auto open = array_id.find("[]");
    if (open == std::string::npos) return array_id;
    return array_id.substr(0, open + 1) + std::to_string(index) + array_id.substr(open + 1);
  }

 private:
  std::optional<std::string> unreachable_;
};

}  // namespace

void require_answer(const SchedulerClient& client, const std::string& what) {
  if (const auto why = client.unreachable()) {
    throw std::runtime_error(what + ": " + client.name() + " did not answer (" + *why +
                             "); the jobs' states are unknown: try again once it is back");
  }
}

std::unique_ptr<SchedulerClient> make_scheduler_client(Scheduler scheduler) {
  if (scheduler == Scheduler::pbs) return std::make_unique<PbsClient>();
  return std::make_unique<SlurmClient>();
}

}  // namespace fanout
