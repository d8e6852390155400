// `gwsim analyze PATH... [-o text|json|yaml] [--failure-threshold Error|Warning|Info]
//                 [--output-threshold Error|Warning|Info] [--meshConfigFile F] [-A]`:
// istioctl analyze over manifest files (engine/analysis, docs/analysis.md). The files are read
// as `route` reads them, but what apply would refuse is reported (IST0106) instead of stopping;
// Deployments get their pods and the default ingress gateway is installed when the files define
// none, as `route` does, so gateway selectors find their workload.
// Exit code: 0 no message at or above the failure threshold (default Error), 1 some, 2 bad
// input (a path that does not exist, a file that does not parse, a bad mesh config).
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace gwsim::cli {

struct AnalyzeOptions {
  std::vector<std::string> paths;
  std::string output = "text";  // text, json, yaml
  std::string failure_threshold = "Error";
  std::string output_threshold = "Info";
  std::string mesh_config_file;
  bool all_namespaces = true;  // gwsim always analyzes every namespace the files hold
};

CLI::App* add_analyze_command(CLI::App& app, AnalyzeOptions& options);
int run_analyze(const AnalyzeOptions& options);

}  // namespace gwsim::cli
