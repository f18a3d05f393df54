// mpirun and srun words from one description, quoted for scripts where needed.
#include "launch/launch_line.hpp"

#include <utility>

namespace fanout {
namespace {

std::string quote(const std::string& word) {
  if (word.empty()) return "''";
  const bool plain_word = word.find_first_not_of(
                              "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                              "-_./=:,+@%") == std::string::npos;
  if (plain_word) return word;
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

/// "--ntasks=" and a word: one word when both are literal, else the expansion in quotes after it.
Word joined(const std::string& prefix, const Word& w) {
  if (!w.expansion) return Word(prefix + w.text);
  return Word::shell(prefix + "\"" + w.text + "\"");
}

}  // namespace

std::string to_string(Launcher l) {
  switch (l) {
    case Launcher::automatic:
      return "auto";
    case Launcher::mpirun:
      return "mpirun";
    case Launcher::srun:
      return "srun";
  }
  return "?";
}

Words launcher_words(const LaunchLine& l) {
  Words out;
  if (l.launcher == Launcher::srun) {
    out = {"srun", "--mpi=pmix"};
    if (!l.nodes.empty()) out.push_back(joined("--nodes=", l.nodes));
    out.push_back(joined("--ntasks=", l.ranks));
    if (!l.threads.empty()) out.push_back(joined("--cpus-per-task=", l.threads));
    return out;
  }
  out = {"mpirun"};
  const std::pair<const char*, int> mca[] = {{"odls_base_sigkill_timeout", kMpirunSigkillGrace_s},
                                             {"oob_tcp_keepalive_time", kKeepaliveTime_s},
                                             {"oob_tcp_keepalive_intvl", kKeepaliveInterval_s},
                                             {"oob_tcp_keepalive_probes", kKeepaliveProbes}};
  for (const auto& [name, value] : mca)
    out.insert(out.end(), {"--mca", name, std::to_string(value)});
  out.insert(out.end(), {"-np", l.ranks});
  if (!l.hostfile.empty()) out.insert(out.end(), {"--hostfile", l.hostfile});
  if (!l.hosts.empty()) out.insert(out.end(), {"--host", l.hosts});
  if (!l.per_node.empty()) {
    const Word threads = l.threads.empty() ? Word("1") : l.threads;
    if (!l.per_node.expansion && !threads.expansion) {
      out.insert(out.end(), {"--map-by", "ppr:" + l.per_node.text + ":node:PE=" + threads.text});
    } else {
      out.insert(out.end(), {"--map-by", Word::shell("ppr:\"" + l.per_node.text + "\":node:PE=\"" +
                                                     threads.text + "\"")});
    }
  }
  if (l.bind_none) out.insert(out.end(), {"--bind-to", "none"});
  if (l.quiet) out.push_back("-q");
  if (l.oversubscribe) out.push_back("--oversubscribe");
  if (l.as_root) out.push_back("--allow-run-as-root");
  return out;
}

std::vector<std::string> plain(const Words& words) {
  std::vector<std::string> out;
  for (const Word& w : words) out.push_back(w.text);
  return out;
}

std::string shell_line(const Words& words) {
  std::string out;
  for (const Word& w : words) {
    if (!out.empty()) out += ' ';
    out += w.expansion ? (w.text.find('"') != std::string::npos ? w.text : "\"" + w.text + "\"")
                       : quote(w.text);
  }
  return out;
}

std::string shell_join(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& word : argv) out += (out.empty() ? "" : " ") + quote(word);
  return out;
}

}  // namespace fanout
