// Which I/O engine each model name means.
#include "http/io_executor.hpp"

#include <algorithm>

#include "http/multi_driver.hpp"
#include "http/serial_fetcher.hpp"
#include "http/threads_fetcher.hpp"

namespace fanout {

std::unique_ptr<Executor> make_io_executor(Model model, int threads, const IoPlan& plan,
                                           const IoSpec& spec) {
  switch (model) {
    case Model::serial:
    case Model::processes:
      return std::make_unique<SerialFetcher>(plan, spec);
    case Model::threads:
    case Model::processes_threads:
      return std::make_unique<ThreadsFetcher>(
          threads > 0 ? std::min(threads, spec.concurrency) : spec.concurrency, plan, spec);
    case Model::async:
    case Model::processes_async:
      return std::make_unique<MultiDriver>(spec.concurrency, plan, spec);
  }
  return std::make_unique<SerialFetcher>(plan, spec);
}

}  // namespace fanout
