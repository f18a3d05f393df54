// The open-loop options of [io] (io.rate, io.step, io.at-cap, io.hgrm): their help, how they are
// read and checked, and the rate schedule they give.
#pragma once

#include <string>
#include <vector>

#include "cli/options.hpp"
#include "exec/task.hpp"
#include "workload/io/io_spec.hpp"
#include "workload/io/rate_schedule.hpp"

namespace fanout {

/// io.rate, io.step, io.at-cap and io.hgrm, for the [io] group.
std::vector<OptionSpec> open_loop_options();

/// Reads them into `io` (after io.download and io.repeat): all of them belong to io.rate, a
/// staircase needs io.step, io.step sets the count (so io.repeat stays out) and holds at most
/// kMaxOpenLoopRequests. Errors name the key and its file:line (ConfigError).
void read_open_loop(const OptionReader& r, IoSpec& io);

/// The open-loop schedule of `io` (rates not empty): io.rate's staircase of io.step each, else
/// its one rate over the URL list's `tasks`.
RateSchedule open_loop_schedule(const IoSpec& io, TaskId tasks);

/// ", open loop at 1k/s, 2k/s for 10.00 s each, queueing at the cap", or "" for a closed loop.
std::string describe_open_loop(const IoSpec& io);

}  // namespace fanout
