// The concurrency models and schedules by name: the one list every command parses and prints.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fanout {

enum class Model { serial, threads, async, processes, processes_threads, processes_async };
enum class Schedule { static_block, dynamic };

/// Name as users write it: "serial", "threads", "async", "processes", "processes+threads",
/// "processes+async".
std::string to_string(Model m);
/// "static" or "dynamic".
std::string to_string(Schedule s);

/// Every model, in the order of the lesson (and of `compare`).
const std::vector<Model>& all_models();
/// "serial, threads, async, processes, processes+threads, processes+async", for error messages.
std::string model_names();
/// The model named `name`, or nullopt.
std::optional<Model> parse_model(std::string_view name);
/// A comma-separated list ("serial,threads"), each name once. Throws ConfigError naming `where`
/// for an unknown, empty or repeated item.
std::vector<Model> parse_model_list(std::string_view text, const std::string& where);

/// True for models that run on every rank; the others run on rank 0 only.
bool is_distributed(Model m);
/// True for the models whose workers are OpenMP threads (threads, processes+threads).
bool threaded(Model m);
/// True for the models that run one event loop per rank or node (async, processes+async): their
/// workers are tasks in flight on one thread, not cores.
bool event_loop(Model m);

}  // namespace fanout
