#include "cli/report.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <iostream>
#include <map>
#include <sstream>

#include <CLI/CLI.hpp>

#include "conformance/report/report.h"

#ifndef GWSIM_VERSION
#define GWSIM_VERSION "dev"
#endif

namespace gwsim::cli {

namespace {

using conformance::Mode;
using conformance::RunOptions;
using conformance::ScenarioResult;

// A one-line "[ 12/340] file" on a terminal, erased before anything else is printed, so the
// text report reads the same with and without it.
class ProgressLine {
 public:
  ProgressLine() : enabled_(isatty(STDERR_FILENO) == 1) {}

  void attach(RunOptions& options) {
    if (!enabled_) return;
    options.on_start = [this](const std::string& file, int index, int total) { draw(file, index, total); };
    auto previous = options.on_result;
    options.on_result = [this, previous](const ScenarioResult& result) {
      erase();
      if (previous) previous(result);
    };
  }
  ~ProgressLine() { erase(); }

 private:
  void draw(const std::string& file, int index, int total) {
    std::string count = std::to_string(total);
    std::string done = std::to_string(index + 1);
    std::string line = "[" + std::string(count.size() - done.size(), ' ') + done + "/" + count + "] " + file;
    std::size_t width = 80;
    winsize size{};
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 10) width = size.ws_col;
    if (line.size() >= width) line = line.substr(0, width - 2) + "…";
    std::cerr << "\r\033[K" << line << std::flush;
    shown_ = true;
  }
  void erase() {
    if (!shown_) return;
    std::cerr << "\r\033[K" << std::flush;
    shown_ = false;
  }

  bool enabled_;
  bool shown_ = false;
};

const char* mode_name(Mode mode) { return mode == Mode::kDatapath ? "datapath" : "decision"; }

void add_common_options(CLI::App& command, RunOptions& run_options, ReportOptions& options) {
  command.add_option("--min-coverage", options.min_coverage,
                     "Fail (exit 1) when the route coverage is below this percentage")
      ->check(CLI::Range(0.0, 100.0));
  command.add_flag("--no-timestamps", options.no_timestamps,
                   "Leave the date and durations out of the report files (byte-stable output)");
  command.add_option("--skip", run_options.skip, "Do not run scenarios with this name or feature (repeatable)")
      ->allow_extra_args(false);
}

// The report of a finished run: build it, print the coverage, write the files. Returns the
// exit code of the run (2 when the files cannot be written).
int write_report_files(const std::vector<std::string>& paths, const RunOptions& run_options,
                       const ReportOptions& options, std::vector<ScenarioResult> results,
                       const conformance::RunSummary& summary, std::ostream& out) {
  conformance::report::ReportMeta meta;
  meta.gwsim_version = GWSIM_VERSION;
  meta.timestamps = !options.no_timestamps;
  if (meta.timestamps) meta.date = detail::report_date();
  meta.seed = run_options.seed;
  meta.mode = mode_name(run_options.mode);
  meta.paths = paths;
  meta.min_coverage = options.min_coverage;
  conformance::report::Report report = conformance::report::build_report(std::move(meta), std::move(results));
  // run_paths' counts also hold bad input no ScenarioResult carries (a path that is not there).
  report.summary = summary;

  const auto& c = report.coverage;
  out << "route coverage " << conformance::report::detail::format_percent(c.percent()) << "% (" << c.hit << " of "
      << c.total << " routes reached, " << c.total - c.hit << " unreached)\n";
  if (options.min_coverage && c.below(*options.min_coverage))
    out << "route coverage is below --min-coverage " << conformance::report::detail::format_percent(*options.min_coverage)
        << "%\n";
  if (options.output == "json") std::cout << conformance::report::to_json(report);
  if (options.output == "junit") std::cout << conformance::report::to_junit_xml(report);
  if (!options.out.empty()) {
    auto written = conformance::report::write_report(report, options.out);
    if (!written.ok()) {
      out.flush();
      std::cerr << "gwsim: " << written.error().to_string() << "\n";
      return 2;
    }
    out << "report:";
    for (const auto& path : written.value()) out << " " << path;
    out << "\n";
  }
  return report.exit_code();
}

}  // namespace

namespace detail {

std::string report_date() {
  std::time_t now = std::time(nullptr);
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch && *epoch) {
    char* end = nullptr;
    long long value = std::strtoll(epoch, &end, 10);
    if (end && *end == '\0' && value >= 0) now = static_cast<std::time_t>(value);
  }
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

}  // namespace detail

CLI::App* add_report_command(CLI::App& app, ReportCommand& command) {
  CLI::App* report = app.add_subcommand(
      "report", "Run scenarios and write the conformance report (JSON, JUnit XML, Markdown, HTML, YAML)");
  report->add_option("paths", command.paths, "Scenario files or directories")->required();
  report->add_option("--out", command.report.out, "Directory for the report files (default reports)");
  report->add_option("--seed", command.run.seed, "Seed of the load balancers' randomness (default 1)");
  report->add_option("--mode", command.run.mode, "decision (in-process) or datapath (real sockets on loopback)")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, Mode>{{"decision", Mode::kDecision}, {"datapath", Mode::kDatapath}}));
  report->add_option("--time-scale", command.run.time_scale,
                     "Datapath mode: multiply every delay and timeout on the wire by this (default 1)")
      ->check(CLI::Range(0.001, 1000.0));
  report->add_flag("-v,--verbose", command.verbose, "Print every step (PASS lines too), as `gwsim run` does");
  add_common_options(*report, command.run, command.report);
  return report;
}

void add_run_report_options(CLI::App& run, RunOptions& run_options, ReportOptions& options) {
  run.add_option("-o,--output", options.output, "text (PASS/FAIL lines), or the whole report on stdout: json or junit")
      ->check(CLI::IsMember({"text", "json", "junit"}));
  run.add_option("--report", options.out, "Also write the conformance report into this directory");
  add_common_options(run, run_options, options);
}

int run_and_report(const std::vector<std::string>& paths, RunOptions run_options, const ReportOptions& options) {
  const bool structured = options.output != "text";
  const bool wants_report = !options.out.empty() || options.min_coverage.has_value() || structured;
  std::vector<ScenarioResult> results;
  int code = 0;
  if (wants_report) {
    run_options.on_result = [&results](const ScenarioResult& r) { results.push_back(r); };
    // Build and write the report before run_paths' closing lines: `N passed, M failed` stays last.
    run_options.before_summary = [&](const conformance::RunSummary& summary, std::ostream& out) {
      code = write_report_files(paths, run_options, options, std::move(results), summary, out);
    };
  }
  ProgressLine progress;
  progress.attach(run_options);

  // With -o json|junit stdout carries only the report; the PASS/FAIL text is dropped.
  std::ostringstream dropped;
  conformance::RunSummary summary = conformance::run_paths(paths, run_options, structured ? static_cast<std::ostream&>(dropped) : std::cout);
  std::cout.flush();
  if (!wants_report) return summary.exit_code();
  return code;
}

int run_report(const ReportCommand& command) {
  RunOptions run_options = command.run;
  run_options.quiet = !command.verbose;
  return run_and_report(command.paths, run_options, command.report);
}

}  // namespace gwsim::cli
