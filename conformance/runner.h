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
#include <string>
#include <vector>

#include "conformance/results.h"
#include "conformance/scenario.h"
#include "conformance/world.h"
#include "engine/model/result.h"

namespace gwsim::conformance {

struct RunOptions {
  std::uint64_t seed = 1;  // one lb::Random per scenario, seeded with this
  bool quiet = false;      // print only failures, errors and the summary
  Mode mode = Mode::kDecision;  // datapath: real sockets (conformance/datapath_world.h)
  double time_scale = 1.0;      // datapath mode: multiplies every delay and timeout on the wire
  // Scenario names or features not to run; such scenarios are reported as skipped.
  std::vector<std::string> skip;
  // --strict: a request step whose outcome an unsimulated object may change fails, unless its
  // expectation names those objects (`unsimulated:`).
  bool strict = false;
  // Hooks of run_paths, for reports and progress lines: before each scenario file runs
  // (index from 0), and with its result just before it is printed.
  std::function<void(const std::string& file, int index, int total)> on_start;
  std::function<void(const ScenarioResult& result)> on_result;
  // Called once every scenario has run, before the closing lines, so that what it prints (the
  // report's coverage) comes before the summary line `N passed, M failed`, which stays last.
  std::function<void(const RunSummary& summary, std::ostream& out)> before_summary;
};

// Run one loaded scenario.
ScenarioResult run_scenario(const Scenario& scenario, const RunOptions& options);

// Load and run one file.
ScenarioResult run_scenario_file(const std::string& path, const RunOptions& options);

// Print one scenario's result in the report format above.
void print_result(const ScenarioResult& result, const RunOptions& options, std::ostream& out);

// `gwsim run`: find scenario files under `paths`, run them all, print the report and the
// summary; duplicate scenario names within one run are bad input.
RunSummary run_paths(const std::vector<std::string>& paths, const RunOptions& options, std::ostream& out);

}  // namespace gwsim::conformance
