// The option schema on Boost.Program_options, job files stored under the command line, and the
// converting reader.
#include "cli/options.hpp"

#include <boost/program_options.hpp>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "cli/config_error.hpp"
#include "cli/format.hpp"
#include "cli/ini_reader.hpp"
#include "cli/text.hpp"
#include "cli/units.hpp"

namespace fanout {
namespace po = boost::program_options;
namespace {

constexpr const char* kHelp = "help";
po::typed_value<std::string>* text_value() { return po::value<std::string>(); }

void add_option(po::options_description& d, const OptionSpec& o) {
  switch (o.arity) {
    case OptionSpec::Arity::value:
      d.add_options()(o.name.c_str(), text_value(), o.help.c_str());
      break;
    case OptionSpec::Arity::flag:
      d.add_options()(o.name.c_str(), text_value()->implicit_value("true"), o.help.c_str());
      break;
    case OptionSpec::Arity::list:
      d.add_options()(o.name.c_str(), po::value<std::vector<std::string>>(), o.help.c_str());
      break;
  }
}

/// Boost's messages name the option already; add where to look for valid ones.
[[noreturn]] void rethrow_po_error(const po::error& e, const std::string& command) {
  std::string what = e.what();
  if (auto* unknown = dynamic_cast<const po::unknown_option*>(&e)) {
    what = "unknown option '" + shown(unknown->get_option_name()) + "'";
  }
  throw ConfigError(what + "; see 'fanout " + command + " --help' for the valid options");
}

std::string section_of(const std::string& key) {
  const auto dot = key.find('.');
  return dot == std::string::npos ? "" : key.substr(0, dot);
}

std::string resolve(const std::string& path, const std::string& base) {
  if (base.empty() || path.empty() || path[0] == '/') return path;
  return (std::filesystem::path(base) / path).string();
}

}  // namespace

struct Options::Impl {
  const CommandSchema* schema = nullptr;
  std::string base_dir;
  po::options_description visible;
  po::options_description all;
  po::variables_map vm;
  std::map<std::string, std::string> where;  ///< key -> "--key" or "file:line"
  std::map<std::string, std::string> file;   ///< key -> the job file it came from
  std::string positional;
  std::string job_file;
  std::vector<Given> given;

  /// Keys a job file may set: those of the schema's file groups.
  std::vector<const OptionSpec*> file_options() const {
    std::vector<const OptionSpec*> out;
    for (const OptionGroup& g : schema->groups) {
      if (std::find(schema->file_groups.begin(), schema->file_groups.end(), g.title) ==
          schema->file_groups.end()) {
        continue;
      }
      for (const OptionSpec& o : g.options) out.push_back(&o);
    }
    return out;
  }

  [[noreturn]] void unknown_key(const IniEntry& entry, const std::string& at) const {
    const std::string section = section_of(entry.key);
    std::vector<std::string> keys;
    std::set<std::string> sections;
    for (const OptionSpec* o : file_options()) {
      const std::string s = section_of(o->name);
      if (!s.empty()) sections.insert("[" + s + "]");
      if (s == section) keys.push_back(s.empty() ? o->name : o->name.substr(s.size() + 1));
    }
    const std::string valid =
        keys.empty() ? "; sections are " + join_and({sections.begin(), sections.end()})
                     : "; valid keys " +
                           (section.empty() ? std::string("at the top") : "in [" + section + "]") +
                           ": " + join(keys, ", ");
    throw ConfigError(at + ": unknown key '" + shown(entry.key) + "'" + valid);
  }

  void store_job_file() {
    const auto entries = read_ini_file(job_file);
    const auto allowed = file_options();
    po::parsed_options parsed(&all);
    std::set<std::string> seen;
    for (const IniEntry& entry : entries) {
      const std::string at = job_file + ":" + std::to_string(entry.line);
      const auto it = std::find_if(allowed.begin(), allowed.end(),
                                   [&](const OptionSpec* o) { return o->name == entry.key; });
      if (it == allowed.end()) unknown_key(entry, at);
      if ((*it)->arity != OptionSpec::Arity::list && !seen.insert(entry.key).second) {
        throw ConfigError(at + ": '" + entry.key + "' is set twice in this file");
      }
      // A key the command line set keeps the flag as its origin (the flag's value wins).
      if (where.try_emplace(entry.key, at).second) file.emplace(entry.key, job_file);
      parsed.options.emplace_back(entry.key, std::vector<std::string>{entry.value});
    }
    try {
      po::store(parsed, vm);
    } catch (const po::error& e) {
      throw ConfigError(job_file + ": " + e.what());
    }
  }
};

Options::Options(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Options::Options(Options&&) noexcept = default;
Options& Options::operator=(Options&&) noexcept = default;
Options::~Options() = default;

Options Options::parse(const CommandSchema& schema, const std::vector<std::string>& args,
                       const std::string& base_dir) {
  auto m = std::make_unique<Impl>();
  m->schema = &schema;
  m->base_dir = base_dir;
  for (const OptionGroup& g : schema.groups) {
    po::options_description group(g.title);
    for (const OptionSpec& o : g.options) add_option(group, o);
    m->visible.add(group);
  }
  m->all.add(m->visible);
  m->all.add_options()((std::string(kHelp) + ",h").c_str(), "show this help");
  po::positional_options_description positional;
  if (!schema.positional.empty()) {
    m->all.add_options()(schema.positional.c_str(), text_value(), "");
    positional.add(schema.positional.c_str(), 1);
  }
  try {
    auto parsed = po::command_line_parser(args).options(m->all).positional(positional).run();
    for (const auto& opt : parsed.options) {
      if (opt.position_key != -1) continue;
      m->where.try_emplace(opt.string_key, "--" + opt.string_key);
      m->given.push_back({opt.string_key, opt.original_tokens});
    }
    po::store(parsed, m->vm);
  } catch (const po::error& e) {
    rethrow_po_error(e, schema.command);
  }
  Options out(std::move(m));
  Impl& x = *out.impl_;
  if (x.vm.count(kHelp)) return out;
  if (!schema.positional.empty() && x.vm.count(schema.positional)) {
    x.positional = x.vm[schema.positional].as<std::string>();
  }
  if (schema.load_job_file && !x.positional.empty()) {
    x.job_file = resolve(x.positional, base_dir);
    x.store_job_file();
  }
  po::notify(x.vm);
  return out;
}

std::optional<Options> parse_or_help(const CommandSchema& schema,
                                     const std::vector<std::string>& args, std::string& help,
                                     const std::string& base_dir) {
  Options options = Options::parse(schema, args, base_dir);
  if (!options.help()) return options;
  help = options.help_text();
  return std::nullopt;
}

bool Options::help() const { return impl_->vm.count(kHelp) > 0; }

std::string Options::help_text() const {
  std::ostringstream out;
  out << impl_->schema->usage << "\n" << impl_->visible;
  return out.str();
}

const std::string& Options::positional() const { return impl_->positional; }
const std::string& Options::job_file() const { return impl_->job_file; }
const std::vector<Options::Given>& Options::given() const { return impl_->given; }
OptionReader Options::reader() const { return OptionReader(*this); }

bool OptionReader::has(const std::string& key) const { return options_->impl_->vm.count(key) > 0; }

std::string OptionReader::raw(const std::string& key) const {
  const po::variable_value& v = options_->impl_->vm[key];
  if (const auto* list = boost::any_cast<std::vector<std::string>>(&v.value())) {
    return list->empty() ? std::string() : list->front();
  }
  return v.as<std::string>();
}

std::vector<std::string> OptionReader::list(const std::string& key) const {
  if (!has(key)) return {};
  const po::variable_value& v = options_->impl_->vm[key];
  if (const auto* list = boost::any_cast<std::vector<std::string>>(&v.value())) return *list;
  return {v.as<std::string>()};
}

std::string OptionReader::where(const std::string& key) const {
  const auto& w = options_->impl_->where;
  const auto it = w.find(key);
  return it == w.end() ? "--" + key : it->second;
}

bool OptionReader::from_file(const std::string& key) const {
  return options_->impl_->file.count(key) > 0;
}

std::string OptionReader::located(const std::string& key) const {
  if (!has(key)) return "--" + key + " (default)";
  const std::string at = where(key);
  const std::string value = shown(raw(key));
  return at.rfind("--", 0) == 0 ? at + " '" + value + "'" : at + ": " + key + " = " + value;
}

void OptionReader::fail(const std::string& key, const std::string& why) const {
  if (!has(key)) throw ConfigError(where(key) + " '': " + why);
  throw ConfigError(located(key) + ": " + why);
}

void OptionReader::fail_choice(const std::string& key,
                               const std::vector<std::string>& names) const {
  fail(key, "expected one of: " + join(names, ", "));
}

void OptionReader::text(const std::string& key, std::string& out) const {
  if (!has(key)) return;
  const std::string v = raw(key);
  if (v.empty()) fail(key, "must not be empty");
  if (v.find_first_of("\n\r") != std::string::npos) fail(key, "must be on one line");
  out = v;
}

void OptionReader::path(const std::string& key, std::string& out) const {
  std::string v;
  text(key, v);
  if (v.empty()) return;
  const auto& file = options_->impl_->file;
  const auto it = file.find(key);
  out = it != file.end() ? resolve(v, std::filesystem::path(it->second).parent_path().string())
                         : resolve(v, options_->impl_->base_dir);
}

void OptionReader::integer(const std::string& key, std::int64_t& out, std::int64_t min,
                           std::int64_t max) const {
  if (!has(key)) return;
  const auto v = parse_integer(raw(key));
  if (!v || *v < min || *v > max) {
    fail(key, "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max));
  }
  out = *v;
}

void OptionReader::duration(const std::string& key, double& out, bool allow_zero,
                            double max_s) const {
  if (!has(key)) return;
  const auto v = parse_duration(raw(key));
  if (!v || (!allow_zero && *v <= 0) || *v > max_s) {
    fail(key, std::string("must be a ") + (allow_zero ? "" : "positive ") +
                  "duration such as 250ms, 1.5s or 2m, at most " + format_duration(max_s));
  }
  out = *v;
}

void OptionReader::bytes(const std::string& key, std::uint64_t& out, std::uint64_t min,
                         std::uint64_t max) const {
  if (!has(key)) return;
  const auto v = parse_bytes(raw(key));
  if (!v || *v < min || *v > max) {
    fail(key, "must be a size from " + std::to_string(min) + " bytes to " + format_bytes(max) +
                  ", such as 4KiB, 32MiB or 1GB");
  }
  out = *v;
}

void OptionReader::boolean(const std::string& key, bool& out) const {
  if (!has(key)) return;
  const auto v = parse_bool(raw(key));
  if (!v) fail(key, "must be true or false");
  out = *v;
}

void OptionReader::fraction(const std::string& key, double& out, double min, double max) const {
  if (!has(key)) return;
  const auto v = parse_fraction(raw(key));
  if (!v || *v < min || *v > max) {
    fail(key, "must be a fraction from " + format_number(min) + " to " + format_number(max) +
                  ", such as 0.8 or 80%");
  }
  out = *v;
}

}  // namespace fanout
