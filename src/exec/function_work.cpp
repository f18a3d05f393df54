// One task function behind the blocking and the slot interface, exceptions caught per task.
#include "exec/function_work.hpp"

#include <exception>
#include <stdexcept>

namespace fanout {

FunctionWork::FunctionWork(TaskFn fn, WorkerInitFn init)
    : fn_(std::move(fn)), init_(std::move(init)) {
  if (!fn_) throw std::invalid_argument("FunctionWork: empty task function");
}

ErrorClass FunctionWork::call(TaskId id) noexcept {
  try {
    return fn_(id);
  } catch (const std::exception& e) {
    errors_.add(e.what(), "task " + std::to_string(id) + ": " + e.what());
  } catch (...) {
    errors_.add("unknown exception", "task " + std::to_string(id) + ": unknown exception");
  }
  return ErrorClass::exception;
}

void FunctionWork::prepare_worker(int) {
  if (init_) init_();
}

Sample FunctionWork::run(TaskId id, int, const RunContext&) {
  Sample s;
  s.error = call(id);
  return s;
}

void FunctionWork::prepare(EventLoop&, int, TaskId) {
  if (init_) init_();
}

void FunctionWork::start(SlotControl& control, int slot, TaskId id, int) {
  Sample s;
  s.error = call(id);
  control.finish(slot, s);
}

}  // namespace fanout
