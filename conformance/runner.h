// The scenario runner: loads scenario files, runs each in its own World, checks every step's
// expectations, and prints a text report:
//
//   PASS <scenario>/<step>
//   FAIL <scenario>/<step>        + expected against actual per field, and the decision trace
//   XFAIL <scenario>/<step>       a failing step of a scenario with knownDeviation
//   ERROR <file>                  bad input (the scenario could not be loaded or set up)
//   SKIP <scenario> (<file>)      not run: named by RunOptions::skip
//   ...
//   N passed, M failed            (scenarios; bad input counts as failed)
//
// Exit code: 0 all passed, 1 some failed, 2 bad input (the other scenarios still run).
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "conformance/expectations.h"
#include "conformance/report/coverage.h"
#include "conformance/scenario.h"
#include "conformance/world.h"
#include "engine/model/result.h"

namespace gwsim::conformance {

struct ScenarioResult;
struct RunSummary;

struct RunOptions {
  std::uint64_t seed = 1;  // one lb::Random per scenario, seeded with this
  bool quiet = false;      // print only failures, errors and the summary
  Mode mode = Mode::kDecision;  // datapath: real sockets (conformance/datapath_world.h)
  double time_scale = 1.0;      // datapath mode: multiplies every delay and timeout on the wire
  // Scenario names or features not to run; such scenarios are reported as skipped.
  std::vector<std::string> skip;
  // Hooks of run_paths, for reports and progress lines: before each scenario file runs
  // (index from 0), and with its result just before it is printed.
  std::function<void(const std::string& file, int index, int total)> on_start;
  std::function<void(const ScenarioResult& result)> on_result;
  // Called once every scenario has run, before the closing lines, so that what it prints (the
  // report's coverage) comes before the summary line `N passed, M failed`, which stays last.
  std::function<void(const RunSummary& summary, std::ostream& out)> before_summary;
};

// A `distribution` expectation against what was observed (for reports' charts).
struct DistributionResult {
  std::string by;
  std::map<std::string, double> expected;  // key -> share; empty when only `distinct` was asked
  double tolerance = 0.05;
  std::optional<int> distinct;
  std::map<std::string, int> counts;  // key ("" = no key, e.g. no pod answered) -> responses
  int total = 0;
};

struct StepResult {
  std::string name;
  bool passed = false;
  std::vector<std::string> details;  // why it failed: mismatches, trace, messages (indented)

  // Structured, for reports (conformance/report); bounded in size whatever the request count.
  std::string action;        // "request", "apply", "delete", "scale", "pods"
  std::string where;         // file:line:col of the step
  double duration_ms = 0;
  std::optional<Expectation> expect;
  std::string request;       // request steps: the request, as described in `details`
  int responses = 0;         // request steps: responses received
  int failed_responses = 0;  // of those, how many failed a per-response expectation
  std::vector<Mismatch> mismatches;  // the first failing response's, then the distribution's
  std::string unsupported;   // why the outcome is not simulated yet ("" when it is)
  std::vector<match::DecisionTrace> traces;  // the first response's, and the first failing one's
  std::optional<DistributionResult> distribution;
  std::map<std::string, int> route_hits;  // coverage target id -> responses (report/coverage.h)
  // The coverage targets of the table the requests went through; run_scenario moves them
  // into ScenarioResult::routes, so a long scenario keeps one copy.
  std::vector<report::RouteTarget> routes;
};

enum class ScenarioStatus {
  kPassed,
  kFailed,
  kKnownDeviation,   // failed, and the scenario says it is expected to (not a failure)
  kUnexpectedPass,   // passed although knownDeviation says it should fail (counts as passed)
  kBadInput,         // could not be loaded or set up
  kSkipped,          // not run: named by RunOptions::skip
};

struct ScenarioResult {
  std::string file;
  std::string name;  // metadata.name, or the file when unknown
  ScenarioStatus status = ScenarioStatus::kBadInput;
  std::string known_deviation;
  std::vector<StepResult> steps;
  std::vector<Error> errors;          // bad input
  std::vector<std::string> warnings;  // e.g. unknown kinds skipped

  // For reports (conformance/report).
  std::string description;
  std::vector<std::string> features;
  std::vector<std::string> references;
  double duration_ms = 0;
  std::vector<report::RouteTarget> routes;  // coverage targets of every table requests went through
};

// Run one loaded scenario.
ScenarioResult run_scenario(const Scenario& scenario, const RunOptions& options);

// Load and run one file.
ScenarioResult run_scenario_file(const std::string& path, const RunOptions& options);

// Print one scenario's result in the report format above.
void print_result(const ScenarioResult& result, const RunOptions& options, std::ostream& out);

struct RunSummary {
  int passed = 0;
  int failed = 0;  // including bad input
  int known_deviations = 0;
  int unexpected_passes = 0;
  int bad_input = 0;
  int skipped = 0;  // not run (RunOptions::skip); neither passed nor failed
  int exit_code() const { return bad_input > 0 ? 2 : (failed > 0 ? 1 : 0); }
};

// `gwsim run`: find scenario files under `paths`, run them all, print the report and the
// summary; duplicate scenario names within one run are bad input.
RunSummary run_paths(const std::vector<std::string>& paths, const RunOptions& options, std::ostream& out);

}  // namespace gwsim::conformance
