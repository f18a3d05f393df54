// Fuzz target: reading a run document back (what scale, status and collect do with runs/*.json).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "report/run_document.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded()) return 0;
  try {
    (void)fanout::read_run_document(doc);
  } catch (const std::runtime_error&) {
  }
  return 0;
}
