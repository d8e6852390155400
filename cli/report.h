// `gwsim report [options] PATH...` and the report options of `gwsim run`: run the scenarios
// and write the conformance report (conformance/report/report.h, docs/report.md) into a
// directory, reports/ by default:
//
//   gwsim report [--out DIR] [--mode decision|datapath] [--seed N] [--min-coverage PCT]
//                [--no-timestamps] [--skip NAME]... [-v] PATH...
//   gwsim run ... [--report DIR] [--min-coverage PCT] [--no-timestamps] [--skip NAME]...
//
// Both draw a progress line on stderr when it is a terminal, and nothing otherwise.
// Exit code: 0 all passed (and the coverage minimum reached), 1 a failure or the coverage
// below --min-coverage, 2 bad input.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "conformance/runner.h"

namespace CLI {
class App;
}

namespace gwsim::cli {

struct ReportOptions {
  std::string out;                     // report directory; "" writes none (`run` without --report)
  std::optional<double> min_coverage;  // percent
  bool no_timestamps = false;          // leave out the date and durations: byte-stable files
  // -o: "text" (PASS/FAIL lines and the summary), or the whole report on stdout instead: "json"
  // (conformance.json's content) or "junit" (conformance.xml's).
  std::string output = "text";
};

struct ReportCommand {
  std::vector<std::string> paths;
  conformance::RunOptions run;
  ReportOptions report = [] {
    ReportOptions r;
    r.out = "reports";
    return r;
  }();
  bool verbose = false;  // print PASS lines too (the report itself is quiet by default)
};

// Registers `gwsim report` on `app`; `command` is filled when it is parsed.
CLI::App* add_report_command(CLI::App& app, ReportCommand& command);

// Adds --report, --min-coverage, --no-timestamps and --skip to `gwsim run`.
void add_run_report_options(CLI::App& run, conformance::RunOptions& run_options, ReportOptions& options);

// Runs the scenarios (printing the text report to stdout), writes the report files when
// `options.out` is set and checks --min-coverage. Returns the exit code.
int run_and_report(const std::vector<std::string>& paths, conformance::RunOptions run_options,
                   const ReportOptions& options);

int run_report(const ReportCommand& command);

namespace detail {
// RFC 3339 UTC time of SOURCE_DATE_EPOCH when set (reproducible builds), else of now.
std::string report_date();
}  // namespace detail

}  // namespace gwsim::cli
