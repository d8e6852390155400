// The conformance report: what passed, what is covered, what is missing. A pure function of
// the run's results (conformance/results.h) and a few facts about the run (ReportMeta), written
// as five files (docs/report.md):
//
//   conformance.json   every scenario and step: result, duration, expected and actual, traces
//   conformance.xml    JUnit XML, one testcase per step
//   conformance.md     a summary fit for a pull-request comment
//   conformance.html   one self-contained page: feature matrix, scenarios, charts, coverage
//   conformance.yaml   the Kubernetes Gateway API ConformanceReport shape
//
// Everything is in run order (scenario files sorted, steps as written) or sorted by name, so
// two runs with the same seed give the same files apart from the date and the durations, and
// with ReportMeta::timestamps off, byte for byte the same files.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "conformance/coverage.h"
#include "conformance/results.h"
#include "engine/model/result.h"

namespace gwsim::conformance::report {

// The Istio release whose behaviour gwsim follows (docs/features.md: the newest stable release
// with its default settings, when the suite was last brought up to date).
inline constexpr const char* kIstioBehaviourVersion = "master@86c9f01fd735 (2026-08-22; behaviour of the newest stable release)";
// The Istio release gwsim follows: the newest stable release when kIstioBehaviourVersion was
// taken (1.30.3 of 2026-07-13; 1.31 was at rc.0, master at 1.32-dev).
inline constexpr const char* kIstioRelease = "1.30";
// Version of the JSON document's layout (docs/report.md, docs/report.schema.json).
inline constexpr const char* kReportSchemaVersion = "gwsim.io/report/v1";

struct ReportMeta {
  std::string gwsim_version = "dev";
  std::string istio_version = kIstioBehaviourVersion;
  std::string istio_release = kIstioRelease;
  std::string date;          // RFC 3339 UTC; "" leaves it out
  bool timestamps = true;    // false: no date and no durations, so the files are byte-stable
  std::uint64_t seed = 1;
  std::string mode = "decision";  // decision | datapath
  std::vector<std::string> paths;  // what was run, as given
  std::optional<double> min_coverage;  // --min-coverage, percent
};

// One row of the feature matrix. A scenario counts for every feature it lists.
struct FeatureRow {
  std::string name;
  int scenarios = 0;
  int passed = 0;             // including unexpected passes
  int failed = 0;             // including bad input
  int known_deviations = 0;
  int unexpected_passes = 0;  // also counted in `passed`
  int skipped = 0;
  // "passed", "failed", "knownDeviation" (no failure, some known deviation) or "skipped".
  std::string status() const;
};

struct CoverageRoute {
  RouteTarget target;
  int hits = 0;                        // responses that took it
  std::vector<std::string> scenarios;  // that hit it, in run order
};

struct Coverage {
  std::vector<CoverageRoute> routes;  // sorted by VirtualService, then index, then id
  int total = 0;
  int hit = 0;
  double percent() const;  // 0 when there is no route at all
  // --min-coverage: whether the run falls short of it (no route at all falls short of any).
  bool below(double minimum) const;
};

struct KnownDeviation {
  std::string scenario;
  std::string file;
  std::string reason;
  bool unexpected_pass = false;  // it passed: the mark should be removed
};

// An object gwsim does not simulate that applied to a gateway some scenario's requests went
// through: the outcomes of those scenarios may differ on a real gateway.
struct UnsimulatedUse {
  std::string object;                  // "EnvoyFilter istio-system/add-lua"
  std::vector<std::string> scenarios;  // that met it, in run order
};

struct StepTotals {
  int total = 0;
  int passed = 0;
  int failed = 0;
  int xfailed = 0;  // failing steps of known deviations
};

struct Report {
  ReportMeta meta;
  std::vector<ScenarioResult> scenarios;  // in run order
  RunSummary summary;
  std::vector<FeatureRow> features;  // sorted by name; "(none)" last
  Coverage coverage;
  std::vector<KnownDeviation> known_deviations;
  // What gwsim does not simulate: the kinds it stores without simulating ("EnvoyFilter
  // (networking.istio.io)", from the kinds table), and the objects of them the run met.
  std::vector<std::string> unsimulated_kinds;
  std::vector<UnsimulatedUse> unsimulated;  // sorted by object
  StepTotals steps;

  // 0 all passed (and coverage reached), 1 failures or coverage below the minimum, 2 bad input.
  int exit_code() const;
};

// The report of one run. `summary` is recounted from the results when they disagree (e.g. the
// caller has none), so a Report is consistent on its own.
Report build_report(ReportMeta meta, std::vector<ScenarioResult> results);

std::vector<FeatureRow> feature_rows(const std::vector<ScenarioResult>& results);
Coverage compute_coverage(const std::vector<ScenarioResult>& results);
RunSummary summarize(const std::vector<ScenarioResult>& results);

// The five documents.
std::string to_json(const Report& report);
std::string to_junit_xml(const Report& report);
std::string to_markdown(const Report& report);
std::string to_html(const Report& report);
std::string to_conformance_yaml(const Report& report);

inline constexpr const char* kReportFiles[] = {"conformance.json", "conformance.xml", "conformance.md",
                                              "conformance.html", "conformance.yaml"};

// Write the five files into `dir` (created when missing); returns the paths written.
Result<std::vector<std::string>> write_report(const Report& report, const std::string& dir);

// Names used across the documents.
const char* scenario_status_name(ScenarioStatus status);  // passed, failed, knownDeviation, ...
// passed | failed | xfail (a failing step of a known deviation) | skipped
std::string step_status_name(const ScenarioResult& scenario, const StepResult& step);

namespace detail {
std::string xml_escape(const std::string& text);   // also drops characters XML 1.0 forbids
std::string html_escape(const std::string& text);
std::string markdown_cell(const std::string& text);  // one table cell: | escaped, no newlines
std::string format_percent(double percent);           // "91.2"
std::string format_share(double share);               // "0.900"
// A scenario reference as written: a URL, optionally followed by a note ("https://... (Envoy's
// config_impl.cc)"), or text without a URL (url empty).
struct Reference {
  std::string url;
  std::string note;
};
Reference split_reference(const std::string& reference);
}  // namespace detail

}  // namespace gwsim::conformance::report
