// One attempt after another of the farm's tasks: start, police, reap, classify, log, halt.
#include "workload/shell/farm_runner.hpp"

#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <tuple>

#include "launch/stop_request.hpp"
#include "timing/clock.hpp"
#include "workload/shell/gpu_list.hpp"
#include "workload/shell/shell_fields.hpp"

namespace fanout {
namespace {

double seconds_of(const timeval& tv) { return static_cast<double>(tv.tv_sec) + tv.tv_usec / 1e6; }

std::uint64_t file_size(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
}

Clock::duration as_duration(double s) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

/// The signal a stop sends to the tasks in flight: the one fanout got, SIGTERM for a halt.
int stop_signal_of(StopReason reason) {
  const int sig = reason.signal_number();
  return sig > 0 && sig < 65 ? sig : SIGTERM;
}

/// A command as an error message shows it: its first line, cut at 80 characters.
std::string short_command(std::string c) {
  if (const auto nl = c.find('\n'); nl != std::string::npos) c = c.substr(0, nl) + " ...";
  if (c.size() > 80) c = c.substr(0, 77) + "...";
  return c;
}

bool retryable(ErrorClass e) {
  return e == ErrorClass::exit_status || e == ErrorClass::signaled || e == ErrorClass::timeout;
}

}  // namespace

bool stop_ends_tasks(const RunContext& ctx) {
  return stop_requested(ctx.stop) && ctx.stop->reason().ends_tasks();
}

FarmRunner::FarmRunner(std::shared_ptr<const FarmSetup> setup, int slots)
    : setup_(std::move(setup)), slots_(std::max(1, slots)) {
  if (setup_->output) {
    spools_ = std::make_unique<OutputSpools>(output_records_dir(setup_->logs_dir),
                                             setup_->child.rank, slots_);
  } else {
    buckets_ = std::make_unique<LogBuckets>(setup_->logs_dir);
  }
}

bool FarmRunner::output_of(const FarmTask& t, std::uint64_t seq, ChildOutput& out,
                           std::string& error) {
  if (spools_) {
    // Empty already, unless the last append failed midway.
    spools_->clear(t.worker);
    out.out_fd = spools_->slot(t.worker).out;
    out.err_fd = spools_->slot(t.worker).err;
    return true;
  }
  error = buckets_->make(seq);
  if (!error.empty()) return false;
  out.out_path = task_log_path(setup_->logs_dir, seq, ".out");
  out.err_path = task_log_path(setup_->logs_dir, seq, ".err");
  out.append = t.attempt > 1;
  return true;
}

std::pair<std::uint64_t, std::uint64_t> FarmRunner::keep_output(FarmTask& t, std::uint64_t seq,
                                                                const RunContext& ctx) {
  const SpoolPair& spool = spools_->slot(t.worker);
  const std::uint64_t out = open_file_size(spool.out), err = open_file_size(spool.err);
  OutputRecordHeader h;
  h.seq = seq;
  h.attempt = static_cast<std::uint32_t>(t.attempt);
  h.rank = static_cast<std::uint32_t>(setup_->child.rank);
  h.end_ns = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                            std::chrono::system_clock::now().time_since_epoch())
                                            .count());
  if (!setup_->output->append(
          h, {{OutputStream::out, spool.out, out}, {OutputStream::err, spool.err, err}})) {
    const std::string why = std::strerror(errno);
    t.output_lost = true;
    errors_.add("output", "cannot append task " + std::to_string(seq) + "'s output to " +
                              setup_->output->path() + " (" + why +
                              "): it is not logged, so a resume runs it again; the farm stops "
                              "after the tasks in flight");
    if (ctx.stop) ctx.stop->request(StopReason::halt_soon());
  }
  spools_->clear(t.worker);
  return {out, err};
}

std::string FarmRunner::stderr_hint(std::uint64_t seq) const {
  if (spools_) {
    return "fanout farm-output " + setup_->logs_dir + " --task " + std::to_string(seq) +
           " --stream err";
  }
  return task_log_path(setup_->logs_dir, seq, ".err");
}

FarmTask FarmRunner::begin(TaskId id, int worker) const {
  FarmTask t;
  t.id = id;
  t.slot = setup_->node_rank * slots_ + worker + 1;
  t.worker = worker;
  t.gpus = slot_gpus(setup_->gpus, setup_->spec.gpus_per_task, worker);
  return t;
}

bool FarmRunner::launcher_lost(const RunContext& ctx) {
  if (launcher_lost_.load(std::memory_order_relaxed)) return true;
  if (!setup_->launcher.gone()) return false;
  if (!launcher_lost_.exchange(true)) {
    errors_.add("launcher", "the launcher that started rank " + std::to_string(ctx.rank) +
                                " is gone: it starts no more tasks and ends those in flight");
    if (ctx.stop) ctx.stop->request(StopReason::signal(SIGHUP));
  }
  return true;
}

bool FarmRunner::past_walltime(const RunContext& ctx) {
  if (!setup_->walltime) return false;
  const std::optional<std::string> why = setup_->walltime->refusal(epoch_now_s());
  if (!why) return false;
  errors_.add("walltime", "rank " + std::to_string(ctx.rank) + ": " + *why);
  if (ctx.stop) ctx.stop->request(StopReason::walltime());
  return true;
}

bool FarmRunner::start_attempt(FarmTask& t, Sample& failure, const RunContext& ctx) {
  const TaskId index = setup_->plan.index(t.id);
  const std::uint64_t seq = setup_->list->seq(index);
  if (launcher_lost(ctx) || past_walltime(ctx)) {
    // Not started, and not logged (record() keeps stopped tasks out): a resume runs it.
    failure = Sample{};
    failure.error = ErrorClass::stopped;
    ShellFields f;
    f.seq = static_cast<std::uint32_t>(seq);
    set_kind_fields(failure, f);
    return false;
  }
  ++t.attempt;
  t.attempt_started = Clock::now();
  if (t.attempt == 1) {
    t.started = t.attempt_started;
    t.start_epoch_s = epoch_now_s();
  }
  t.timed_out = t.stopped = t.killed = false;
  std::string error;
  ChildOutput output;
  std::optional<Child> child;
  if (output_of(t, seq, output, error)) {
    child = start_child(setup_->child, setup_->list->command(index, t.slot), seq, t.slot, t.gpus,
                        output, error);
  }
  if (child) {
    t.child = *child;
    // Only farm-explain reads it: a line it could not write costs the explanation, not the task.
    if (setup_->starts) {
      (void)setup_->starts->append({seq, static_cast<std::uint32_t>(t.attempt), setup_->host,
                                    setup_->child.rank, t.slot, t.gpus, epoch_now_s()});
    }
    return true;
  }
  errors_.add("not_started", "task " + std::to_string(seq) + ": " + error);
  failure = Sample{};
  failure.error = ErrorClass::not_started;
  ShellFields f;
  f.exit_code = 127;
  f.seq = static_cast<std::uint32_t>(seq);
  f.start_epoch_s = t.start_epoch_s;
  set_kind_fields(failure, f);
  return false;
}

Clock::time_point FarmRunner::police(FarmTask& t, const RunContext& ctx, Clock::time_point now) {
  launcher_lost(ctx);
  const ShellSpec& spec = setup_->spec;
  const bool signalled = t.timed_out || t.stopped;
  if (!signalled && spec.timeout_s > 0 && now >= t.attempt_started + as_duration(spec.timeout_s)) {
    t.timed_out = true;
    t.signalled = now;
    signal_group(t.child, SIGTERM);
  } else if (!signalled && stop_ends_tasks(ctx)) {
    t.stopped = true;
    t.signalled = now;
    signal_group(t.child, stop_signal_of(ctx.stop->reason()));
  }
  if ((t.timed_out || t.stopped) && !t.killed &&
      now >= t.signalled + as_duration(spec.kill_grace_s)) {
    t.killed = true;
    signal_group(t.child, SIGKILL);
  }
  if (t.killed) return Clock::time_point::max();
  if (t.timed_out || t.stopped) return t.signalled + as_duration(spec.kill_grace_s);
  return spec.timeout_s > 0 ? t.attempt_started + as_duration(spec.timeout_s)
                            : Clock::time_point::max();
}

Sample FarmRunner::end_attempt(FarmTask& t, const RunContext& ctx) {
  const ChildEnd end = reap_child(t.child);
  t.user_s += seconds_of(end.usage.ru_utime);
  t.sys_s += seconds_of(end.usage.ru_stime);
  t.max_rss_kib = std::max(t.max_rss_kib, end.usage.ru_maxrss);

  const std::uint64_t seq = setup_->list->seq(setup_->plan.index(t.id));
  ShellFields f;
  f.exit_code = end.exit_code;
  f.signal = static_cast<std::int16_t>(end.signal);
  f.user_s = static_cast<float>(t.user_s);
  f.sys_s = static_cast<float>(t.sys_s);
  f.max_rss_kib = static_cast<std::uint32_t>(std::max(0L, t.max_rss_kib));
  f.seq = static_cast<std::uint32_t>(seq);
  f.start_epoch_s = t.start_epoch_s;
  if (spools_) {
    std::tie(f.out_bytes, f.err_bytes) = keep_output(t, seq, ctx);
  } else {
    f.out_bytes = file_size(task_log_path(setup_->logs_dir, seq, ".out"));
    f.err_bytes = file_size(task_log_path(setup_->logs_dir, seq, ".err"));
  }

  Sample s;
  const bool clean = end.exit_code == 0 && end.signal == 0;
  if (t.timed_out) {
    // As GNU parallel logs a timeout: Exitval -1 and the signal that ended it.
    s.error = ErrorClass::timeout;
    f.exit_code = -1;
    if (f.signal == 0) f.signal = SIGTERM;
  } else if ((t.stopped || stop_ends_tasks(ctx)) && !clean) {
    s.error = ErrorClass::stopped;
  } else if (end.signal != 0) {
    s.error = ErrorClass::signaled;
  } else if (end.exit_code != 0) {
    s.error = ErrorClass::exit_status;
  }
  set_kind_fields(s, f);
  return s;
}

bool FarmRunner::awaits_stop(const Sample& s, const RunContext& ctx) const {
  if (ctx.stop == nullptr || stop_ends_tasks(ctx)) return false;
  const ShellFields f = shell_fields(s);
  const auto stop_signal = [](int sig) { return sig == SIGTERM || sig == SIGINT || sig == SIGHUP; };
  return (s.error == ErrorClass::signaled && stop_signal(f.signal)) ||
         (s.error == ErrorClass::exit_status && f.exit_code > 128 &&
          stop_signal(f.exit_code - 128));
}

void FarmRunner::settle(Sample& s, const RunContext& ctx) const {
  if ((s.error == ErrorClass::signaled || s.error == ErrorClass::exit_status) &&
      stop_ends_tasks(ctx)) {
    s.error = ErrorClass::stopped;
  }
}

bool FarmRunner::should_retry(const Sample& s, const FarmTask& t, const RunContext& ctx) const {
  return retryable(s.error) && t.attempt <= setup_->spec.retries && !stop_requested(ctx.stop);
}

void FarmRunner::record(const Sample& s, const FarmTask& t, const RunContext& ctx) {
  const ShellFields f = shell_fields(s);
  const TaskId index = setup_->plan.index(t.id);
  // A task stopped before its first attempt has no message of its own: why none starts is said
  // once (the launcher's loss, walltime).
  const bool never_started = s.error == ErrorClass::stopped && t.attempt == 0;
  if (s.error != ErrorClass::none && s.error != ErrorClass::not_started && !never_started) {
    std::string what;
    switch (s.error) {
      case ErrorClass::timeout:
        what = "timed out";
        break;
      case ErrorClass::stopped: {
        const StopReason why = ctx.stop ? ctx.stop->reason() : StopReason{};
        what = why.kind() == StopReason::Kind::walltime
                   ? std::string("not run again before the walltime")
                   : "stopped (" + signal_name(stop_signal_of(why)) + ")";
        break;
      }
      case ErrorClass::signaled:
        what = "ended by signal " + std::to_string(f.signal);
        break;
      default:
        what = "exit status " + std::to_string(f.exit_code);
        break;
    }
    errors_.add(std::string(to_string(s.error)) + " " + std::to_string(f.exit_code) + " " +
                    std::to_string(f.signal),
                "task " + std::to_string(f.seq) + ": " + what + " (" + stderr_hint(f.seq) +
                    "): " + short_command(setup_->list->command(index, t.slot)));
  }
  // A task the stop ended has not finished, nor has one whose output was lost: no joblog line, so
  // that a resume runs it again.
  if (s.error == ErrorClass::stopped || t.output_lost) return;
  const double runtime_s = seconds_between(t.started, Clock::now());
  if (setup_->walltime) setup_->walltime->finished(runtime_s);
  if (setup_->joblog) {
    JoblogEntry e;
    e.seq = f.seq;
    e.host = setup_->host;
    e.start_epoch_s = t.start_epoch_s;
    e.runtime_s = runtime_s;
    e.received = f.out_bytes;
    e.exit_code = f.exit_code;
    e.signal = f.signal;
    e.command = setup_->list->command(index, t.slot);
    if (!setup_->joblog->append(e)) {
      // What is not in the joblog would run again on a resume: stop before more is at stake.
      errors_.add("joblog", "cannot append to the joblog " + setup_->spec.joblog +
                                ": the farm stops after the tasks in flight");
      if (ctx.stop) ctx.stop->request(StopReason::halt_soon());
    }
  }
  const std::uint64_t failed =
      s.error == ErrorClass::none ? failed_.load() : failed_.fetch_add(1) + 1;
  const HaltRule& halt = setup_->spec.halt;
  if (halt.when == HaltRule::When::never || s.error == ErrorClass::none || !ctx.stop) return;
  // GNU parallel's rule: P% of all the tasks failed, however many have finished.
  const bool due = halt.percent > 0
                       ? 100.0 * static_cast<double>(failed) >= halt.percent * setup_->halt_tasks
                       : failed >= halt.failures;
  if (due) {
    ctx.stop->request(halt.when == HaltRule::When::now ? StopReason::halt_now()
                                                       : StopReason::halt_soon());
  }
}

}  // namespace fanout
