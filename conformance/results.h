// What a scenario run found, step by step: the results the runner (conformance/runner.h)
// produces and the report (conformance/report/) reads. Kept apart from the runner so the
// report depends on the results only, not on how they were made.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "conformance/coverage.h"
#include "conformance/expectations.h"
#include "engine/match/trace.h"
#include "engine/model/result.h"

namespace gwsim::conformance {

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
  // "Kind ns/name" of the objects gwsim does not simulate that may change this step's outcomes
  // (the union over its responses, sorted); the step is marked, and fails under --strict unless
  // its expectation names them (`unsimulated:`).
  std::vector<std::string> unsimulated;
  std::string not_runnable;  // why this mode cannot carry the request ("" when it can)
  std::vector<match::DecisionTrace> traces;  // the first response's, and the first failing one's
  // Failing request steps: why the shown response went where it went (match::Explanation, as
  // `gwsim route --explain` prints it): its one-line summary and its text.
  std::string explanation_summary;
  std::string explanation;
  std::optional<DistributionResult> distribution;
  std::map<std::string, int> route_hits;  // coverage target id -> responses (coverage.h)
  // The coverage targets of the table the requests went through; run_scenario moves them
  // into ScenarioResult::routes, so a long scenario keeps one copy.
  std::vector<RouteTarget> routes;
};

enum class ScenarioStatus {
  kPassed,
  kFailed,
  kKnownDeviation,   // failed, and the scenario says it is expected to (not a failure)
  kUnexpectedPass,   // passed although knownDeviation says it should fail (counts as passed)
  kBadInput,         // could not be loaded or set up
  kSkipped,          // not run: named by RunOptions::skip, or not runnable in this mode (not_runnable)
};

struct ScenarioResult {
  std::string file;
  std::string name;  // metadata.name, or the file when unknown
  ScenarioStatus status = ScenarioStatus::kBadInput;
  std::string known_deviation;
  std::vector<StepResult> steps;
  std::vector<Error> errors;          // bad input
  std::vector<std::string> warnings;  // e.g. unknown kinds skipped
  // kSkipped because a step cannot run in this mode (every other step passed): the first such
  // step's reason, "<step>: <why>". Empty for --skip.
  std::string not_runnable;

  // For reports (conformance/report).
  std::string description;
  std::vector<std::string> features;
  std::vector<std::string> references;
  double duration_ms = 0;
  std::vector<RouteTarget> routes;  // coverage targets of every table requests went through
  std::vector<std::string> unsimulated;  // the union of its steps' unsimulated, sorted
};

struct RunSummary {
  int passed = 0;
  int failed = 0;  // including bad input
  int known_deviations = 0;
  int unexpected_passes = 0;
  int bad_input = 0;
  int skipped = 0;  // not run (RunOptions::skip); neither passed nor failed
  int not_runnable = 0;  // skipped because a step cannot run in this mode; neither passed nor failed
  int unsimulated = 0;   // scenarios whose outcomes unsimulated objects may change (marked)
  int exit_code() const { return bad_input > 0 ? 2 : (failed > 0 ? 1 : 0); }
};

}  // namespace gwsim::conformance
