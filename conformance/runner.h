// The scenario runner: loads scenario files, runs each in its own World, checks every step's
// expectations, and prints a text report:
//
//   PASS <scenario>/<step>
//   FAIL <scenario>/<step>        + expected against actual per field, and the decision trace
//   XFAIL <scenario>/<step>       a failing step of a scenario with knownDeviation
//   ERROR <file>                  bad input (the scenario could not be loaded or set up)
//   ...
//   N passed, M failed            (scenarios; bad input counts as failed)
//
// Exit code: 0 all passed, 1 some failed, 2 bad input (the other scenarios still run).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "conformance/scenario.h"
#include "engine/model/result.h"

namespace gwsim::conformance {

struct RunOptions {
  std::uint64_t seed = 1;  // one lb::Random per scenario, seeded with this
  bool quiet = false;      // print only failures, errors and the summary
};

struct StepResult {
  std::string name;
  bool passed = false;
  std::vector<std::string> details;  // why it failed: mismatches, trace, messages (indented)
};

enum class ScenarioStatus {
  kPassed,
  kFailed,
  kKnownDeviation,   // failed, and the scenario says it is expected to (not a failure)
  kUnexpectedPass,   // passed although knownDeviation says it should fail (counts as passed)
  kBadInput,         // could not be loaded or set up
};

struct ScenarioResult {
  std::string file;
  std::string name;  // metadata.name, or the file when unknown
  ScenarioStatus status = ScenarioStatus::kBadInput;
  std::string known_deviation;
  std::vector<StepResult> steps;
  std::vector<Error> errors;          // bad input
  std::vector<std::string> warnings;  // e.g. unknown kinds skipped
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
  int exit_code() const { return bad_input > 0 ? 2 : (failed > 0 ? 1 : 0); }
};

// `gwsim run`: find scenario files under `paths`, run them all, print the report and the
// summary; duplicate scenario names within one run are bad input.
RunSummary run_paths(const std::vector<std::string>& paths, const RunOptions& options, std::ostream& out);

}  // namespace gwsim::conformance
