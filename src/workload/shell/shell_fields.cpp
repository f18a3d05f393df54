// The farm's per-task columns.
#include "workload/shell/shell_fields.hpp"

namespace fanout {
namespace {

constexpr RecordField kFields[] = {
    {"seq", true, [](const Sample& s) -> std::int64_t { return shell_fields(s).seq; }, nullptr, 0,
     true},
    {"exit_code", true, [](const Sample& s) -> std::int64_t { return shell_fields(s).exit_code; },
     nullptr, 0, true},
    {"signal", true, [](const Sample& s) -> std::int64_t { return shell_fields(s).signal; },
     nullptr, 0, true},
    {"user_s", false, nullptr, [](const Sample& s) -> double { return shell_fields(s).user_s; }, 7,
     false},
    {"sys_s", false, nullptr, [](const Sample& s) -> double { return shell_fields(s).sys_s; }, 7,
     false},
    {"max_rss_kib", true,
     [](const Sample& s) -> std::int64_t { return shell_fields(s).max_rss_kib; }, nullptr, 0,
     false},
    {"start_epoch", false, nullptr,
     [](const Sample& s) -> double { return shell_fields(s).start_epoch_s; }, 15, false},
    {"end_epoch", false, nullptr,
     [](const Sample& s) -> double { return shell_fields(s).start_epoch_s + s.duration_s; }, 15,
     false},
    {"out_bytes", true,
     [](const Sample& s) -> std::int64_t {
       return static_cast<std::int64_t>(shell_fields(s).out_bytes);
     },
     nullptr, 0, false},
    {"err_bytes", true,
     [](const Sample& s) -> std::int64_t {
       return static_cast<std::int64_t>(shell_fields(s).err_bytes);
     },
     nullptr, 0, false},
};

}  // namespace

RecordFields shell_record_fields() { return kFields; }

}  // namespace fanout
