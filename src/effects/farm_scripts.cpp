// A chain job's variables: its shape, the warning signal, its dependency, the launch, the
// continuation.
#include "effects/farm_scripts.hpp"

#include "batch/batch_plan.hpp"
#include "batch/script_template.hpp"
#include "launch/launch_line.hpp"

namespace fanout {
namespace {

Words farm_words(const FarmChain& chain, const ScriptContext& ctx, int index,
                 const std::string& resume) {
  const BatchSpec& spec = chain.spec;
  const int nodes = spec.nodes.at(0), per_node = spec.ranks_per_node.at(0);
  const int threads = spec.study.threads.at(0);
  const LaunchLine line =
      job_launch(spec, ctx, std::to_string(nodes), std::to_string(nodes * per_node),
                 std::to_string(per_node), std::to_string(threads));
  Words words = launcher_words(line);
  words.insert(words.end(), {ctx.fanout_exe, "run"});
  for (const std::string& a : chain.run_args) words.emplace_back(a);
  words.insert(words.end(),
               {"--model", to_string(chain.model), "--threads", std::to_string(threads)});
  if (!resume.empty()) words.emplace_back(resume);
  const FarmJob files = farm_job_files(index);
  words.insert(words.end(), {"--json", ctx.out_dir + "/" + files.run_json, "--progress", "plain"});
  return words;
}

}  // namespace

FarmJob farm_job_files(int index) {
  FarmJob j;
  j.index = index;
  const std::string name = "farm-" + std::to_string(index);
  j.script = "jobs/" + name + ".sbatch";
  j.log = "jobs/" + name + ".log";
  j.run_json = "runs/" + name + ".json";
  return j;
}

Script render_farm_script(const FarmChain& chain, const ScriptContext& ctx,
                          const TemplateSet& templates, int index, const std::string& dependency,
                          const std::string& resume) {
  const BatchSpec& spec = chain.spec;
  const FarmJob files = farm_job_files(index);
  TemplateVars vars = common_vars(spec, ctx);
  const int nodes = spec.nodes.at(0), per_node = spec.ranks_per_node.at(0);
  const int threads = spec.study.threads.at(0);
  vars["title"] = "fanout farm: " + std::to_string(chain.tasks_total) + " tasks on " +
                  std::to_string(nodes) + " node(s) x " + std::to_string(per_node) +
                  " rank(s) per node x " + std::to_string(threads) + " slot(s), " +
                  to_string(chain.model);
  vars["index"] = std::to_string(index);
  vars["job_name"] = batch_job_name("farm", std::to_string(index));
  vars["nodes"] = std::to_string(nodes);
  vars["ranks_per_node"] = std::to_string(per_node);
  vars["threads"] = std::to_string(threads);
  vars["warn_s"] = std::to_string(spec.farm.warn_before_s);
  vars["time_s"] = std::to_string(spec.time_limit_s);
  // srun kills its tasks when it is sent SIGTERM, so Slurm signals the ranks (every step's
  // tasks); mpirun passes a SIGTERM on, so the batch shell gets it (B:) and forwards it.
  vars["signal"] = std::string(spec.launcher == Launcher::srun ? "" : "B:") + "TERM@" +
                   std::to_string(spec.farm.warn_before_s);
  vars["dependency"] = dependency;
  vars["log"] = ctx.out_dir + "/" + files.log;
  vars["script"] = shell_join({ctx.out_dir + "/" + files.script});
  vars["launch"] = shell_line(farm_words(chain, ctx, index, resume));
  vars["continue"] =
      shell_join({ctx.fanout_exe, "continue-farm", ctx.out_dir}) + " --after \"$SLURM_JOB_ID\"";
  Script s;
  s.file = files.script;
  s.text = render_template(templates.farm, vars, templates.farm_source);
  return s;
}

}  // namespace fanout
