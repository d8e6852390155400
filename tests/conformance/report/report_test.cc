#include "conformance/report/report.h"

#include <algorithm>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/conformance/report/report_fixture.h"

namespace gwsim::conformance::report {
namespace {

using testing::make_report;
using testing::TempDir;

const ScenarioResult* find(const Report& r, const std::string& name) {
  for (const auto& s : r.scenarios)
    if (s.name == name) return &s;
  return nullptr;
}

TEST(Report, StatusesAndSummary) {
  TempDir dir;
  Report r = make_report(dir);
  ASSERT_EQ(r.scenarios.size(), 7u);
  EXPECT_EQ(find(r, "canary-split")->status, ScenarioStatus::kPassed);
  EXPECT_EQ(find(r, "api-route")->status, ScenarioStatus::kPassed);
  EXPECT_EQ(find(r, "wrong-status")->status, ScenarioStatus::kFailed);
  EXPECT_EQ(find(r, "known-but-passes")->status, ScenarioStatus::kUnexpectedPass);
  EXPECT_EQ(find(r, "known-and-failing")->status, ScenarioStatus::kKnownDeviation);
  EXPECT_EQ(find(r, "skipped-one")->status, ScenarioStatus::kSkipped);
  EXPECT_EQ(r.summary.passed, 3);  // including the unexpected pass
  EXPECT_EQ(r.summary.failed, 2);  // including bad input
  EXPECT_EQ(r.summary.bad_input, 1);
  EXPECT_EQ(r.summary.known_deviations, 1);
  EXPECT_EQ(r.summary.unexpected_passes, 1);
  EXPECT_EQ(r.summary.skipped, 1);
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(r.steps.total, 6);
  EXPECT_EQ(r.steps.passed, 4);
  EXPECT_EQ(r.steps.failed, 1);
  EXPECT_EQ(r.steps.xfailed, 1);
}

TEST(Report, StepsCarryStructuredResults) {
  TempDir dir;
  Report r = make_report(dir);
  const StepResult& split = find(r, "canary-split")->steps.at(0);
  EXPECT_EQ(split.action, "request");
  EXPECT_EQ(split.responses, 400);
  ASSERT_TRUE(split.distribution);
  EXPECT_EQ(split.distribution->total, 400);
  EXPECT_EQ(split.distribution->counts.at("v1") + split.distribution->counts.at("v2"), 400);
  EXPECT_DOUBLE_EQ(split.distribution->expected.at("v1"), 0.9);
  ASSERT_FALSE(split.traces.empty());
  EXPECT_EQ(split.traces.front().route_name, "canary");

  const StepResult& wrong = find(r, "wrong-status")->steps.at(0);
  ASSERT_EQ(wrong.mismatches.size(), 2u);
  EXPECT_EQ(wrong.mismatches[0].field, "status");
  EXPECT_EQ(wrong.mismatches[0].expected, "503");
  EXPECT_EQ(wrong.mismatches[0].actual, "200");
  EXPECT_EQ(wrong.failed_responses, 1);
  ASSERT_TRUE(wrong.expect);
  EXPECT_EQ(wrong.expect->status, std::vector<int>{503});
}

TEST(Report, CoverageCountsRoutesAcrossScenarios) {
  TempDir dir;
  Report r = make_report(dir);
  const Coverage& c = r.coverage;
  ASSERT_EQ(c.total, 5) << to_json(r);
  EXPECT_EQ(c.hit, 4);
  EXPECT_DOUBLE_EQ(c.percent(), 80.0);
  std::vector<std::string> unreached;
  for (const auto& route : c.routes)
    if (route.hits == 0) unreached.push_back(route.target.label());
  ASSERT_EQ(unreached.size(), 1u);
  EXPECT_EQ(unreached[0], "default/vs http[1] \"api\" match[1]");

  // Weighted destinations count separately, and both were reached by the 90/10 split.
  int canary = 0;
  for (const auto& route : c.routes) {
    if (route.target.name != "canary") continue;
    ++canary;
    EXPECT_FALSE(route.target.destination.empty());
    EXPECT_GT(route.hits, 0) << route.target.label();
    EXPECT_EQ(route.scenarios, std::vector<std::string>{"canary-split"});
  }
  EXPECT_EQ(canary, 2);
  // The catch-all was reached by several scenarios sharing the manifest.
  for (const auto& route : c.routes) {
    if (route.target.name == "main") {
      EXPECT_GE(route.scenarios.size(), 3u) << route.target.label();
    }
  }
}

TEST(Report, MinCoverage) {
  TempDir dir;
  Report low = make_report(dir, false, 90.0);
  EXPECT_TRUE(low.coverage.below(90.0));
  EXPECT_FALSE(low.coverage.below(80.0));
  Coverage none;
  EXPECT_TRUE(none.below(0.0));  // nothing compiled is never enough

  // Coverage alone fails a run that otherwise passes.
  Report passing = low;
  passing.summary = RunSummary{};
  passing.summary.passed = 3;
  EXPECT_EQ(passing.exit_code(), 1);
  passing.meta.min_coverage = 80.0;
  EXPECT_EQ(passing.exit_code(), 0);
}

TEST(Report, KnownDeviationsAndUnexpectedPass) {
  TempDir dir;
  Report r = make_report(dir);
  ASSERT_EQ(r.known_deviations.size(), 2u);
  EXPECT_EQ(r.known_deviations[0].scenario, "known-but-passes");
  EXPECT_TRUE(r.known_deviations[0].unexpected_pass);
  EXPECT_EQ(r.known_deviations[0].reason, "said to fail <today>");
  EXPECT_EQ(r.known_deviations[1].scenario, "known-and-failing");
  EXPECT_FALSE(r.known_deviations[1].unexpected_pass);
  EXPECT_EQ(step_status_name(*find(r, "known-and-failing"), find(r, "known-and-failing")->steps[0]), "xfail");
}

TEST(Report, FeatureMatrix) {
  TempDir dir;
  Report r = make_report(dir);
  std::map<std::string, FeatureRow> rows;
  for (const auto& f : r.features) rows[f.name] = f;
  EXPECT_EQ(rows["MatchConditions"].passed, 1);
  EXPECT_EQ(rows["MatchConditions"].failed, 1);
  EXPECT_EQ(rows["MatchConditions"].status(), "failed");
  EXPECT_EQ(rows["HostMatching"].passed, 1);
  EXPECT_EQ(rows["HostMatching"].unexpected_passes, 1);
  EXPECT_EQ(rows["HostMatching"].known_deviations, 1);
  EXPECT_EQ(rows["HostMatching"].status(), "knownDeviation");
  EXPECT_EQ(rows["Cors"].skipped, 1);
  EXPECT_EQ(rows["Cors"].status(), "skipped");
  EXPECT_EQ(rows["Subsets"].status(), "passed");
  EXPECT_EQ(rows["LoadBalancing"].scenarios, 1);
  // The bad input has no features: it is counted under "(none)", last.
  EXPECT_EQ(r.features.back().name, "(none)");
  EXPECT_EQ(r.features.back().failed, 1);
}

TEST(Report, MarkdownSummary) {
  TempDir dir;
  Report r = make_report(dir);
  std::string md = to_markdown(r);
  EXPECT_NE(md.find("**3 passed, 2 failed**"), std::string::npos) << md;
  EXPECT_NE(md.find("route coverage 80.0% (4 of 5 routes)"), std::string::npos) << md;
  EXPECT_NE(md.find("| MatchConditions | 2 | 1 | 1 | 0 | 0 | **FAIL** |"), std::string::npos) << md;
  EXPECT_NE(md.find("### wrong-status / expects 503"), std::string::npos) << md;
  // Cluster names hold "|": escaped inside table cells.
  EXPECT_NE(md.find("| `cluster` | \"outbound\\|80\\|v9\\|echo.default.svc.cluster.local\" |"), std::string::npos) << md;
  EXPECT_NE(md.find("**passes now: remove `knownDeviation`**"), std::string::npos) << md;
  EXPECT_NE(md.find("`default/vs` | http[1] match[1] api"), std::string::npos) << md;
  EXPECT_NE(md.find("bad-one"), std::string::npos) << md;
}

TEST(Report, WritesFiveFilesDeterministically) {
  TempDir dir;
  Report a = make_report(dir);
  TempDir other;
  Report b = make_report(other);
  // Same seed, no timestamps: the same documents (paths aside, which name the temp dirs).
  auto strip = [](std::string text, const std::string& path) {
    for (std::size_t at; (at = text.find(path)) != std::string::npos;) text.replace(at, path.size(), "ROOT");
    return text;
  };
  EXPECT_EQ(strip(to_json(a), dir.path()), strip(to_json(b), other.path()));
  EXPECT_EQ(strip(to_html(a), dir.path()), strip(to_html(b), other.path()));

  auto written = write_report(a, dir.path() + "/out/nested");
  ASSERT_TRUE(written.ok()) << written.error().to_string();
  ASSERT_EQ(written.value().size(), 5u);
  for (const auto& path : written.value()) EXPECT_FALSE(testing::read_file(path).empty()) << path;
  EXPECT_EQ(testing::read_file(dir.path() + "/out/nested/conformance.md"), to_markdown(a));
}

TEST(Report, RunHooksAndSummaryLast) {
  TempDir dir;
  std::string root = testing::write_report_scenarios(dir);
  RunOptions options;
  options.quiet = true;
  std::vector<std::string> started;
  int results = 0;
  options.on_start = [&](const std::string& file, int index, int total) {
    EXPECT_EQ(index, static_cast<int>(started.size()));
    EXPECT_EQ(total, 7);
    started.push_back(file);
  };
  options.on_result = [&](const ScenarioResult&) { ++results; };
  options.before_summary = [&](const RunSummary& summary, std::ostream& out) {
    EXPECT_EQ(summary.passed + summary.failed + summary.known_deviations, 7);
    out << "BEFORE SUMMARY\n";
  };
  std::ostringstream text;
  RunSummary summary = run_paths({root}, options, text);
  EXPECT_EQ(started.size(), 7u);
  EXPECT_EQ(results, 7);
  EXPECT_EQ(summary.passed, 4);  // nothing skipped this time
  std::string out = text.str();
  EXPECT_LT(out.find("BEFORE SUMMARY"), out.find("1 known deviation:")) << out;
  EXPECT_EQ(out.substr(out.rfind('\n', out.size() - 2) + 1), "4 passed, 2 failed\n") << out;
}

TEST(Report, Escaping) {
  EXPECT_EQ(detail::xml_escape("a<b>&\"'\x01"), "a&lt;b&gt;&amp;&quot;&apos;?");
  EXPECT_EQ(detail::xml_escape("caf\xc3\xa9 \xff"), "caf\xc3\xa9 ?");  // invalid UTF-8 replaced
  EXPECT_EQ(detail::markdown_cell("a|b\nc"), "a\\|b c");
  EXPECT_EQ(detail::format_percent(80), "80.0");
}

}  // namespace
}  // namespace gwsim::conformance::report

namespace gwsim::conformance::report {
namespace {

// issue #12 item 6: the report lists what gwsim does not simulate and marks the scenarios whose
// outcomes such objects may change.
TEST(Report, NotSimulatedKindsAndTheScenariosTheyMayChange) {
  ScenarioResult a;
  a.name = "with-filter";
  a.status = ScenarioStatus::kPassed;
  a.unsimulated = {"EnvoyFilter istio-system/add-lua"};
  StepResult step;
  step.name = "one";
  step.passed = true;
  step.unsimulated = a.unsimulated;
  a.steps.push_back(step);
  ScenarioResult b = a;
  b.name = "also-with-filter";
  ScenarioResult c;
  c.name = "plain";
  c.status = ScenarioStatus::kPassed;
  Report r = build_report(ReportMeta{}, {a, b, c});
  ASSERT_EQ(r.unsimulated.size(), 1u);
  EXPECT_EQ(r.unsimulated[0].object, "EnvoyFilter istio-system/add-lua");
  EXPECT_EQ(r.unsimulated[0].scenarios, (std::vector<std::string>{"with-filter", "also-with-filter"}));
  EXPECT_NE(std::find(r.unsimulated_kinds.begin(), r.unsimulated_kinds.end(), "EnvoyFilter (networking.istio.io)"),
            r.unsimulated_kinds.end());
  EXPECT_NE(std::find(r.unsimulated_kinds.begin(), r.unsimulated_kinds.end(), "WasmPlugin (extensions.istio.io)"),
            r.unsimulated_kinds.end());

  const std::string md = to_markdown(r);
  EXPECT_NE(md.find("## Not simulated"), std::string::npos) << md;
  EXPECT_NE(md.find("| `EnvoyFilter istio-system/add-lua` | with-filter, also-with-filter |"), std::string::npos) << md;
  const std::string html = to_html(r);
  EXPECT_NE(html.find("unsimulated: EnvoyFilter istio-system/add-lua may change these outcomes"), std::string::npos);
  const nlohmann::json j = nlohmann::json::parse(to_json(r));
  EXPECT_EQ(j["unsimulated"]["objects"][0]["object"], "EnvoyFilter istio-system/add-lua");
  EXPECT_EQ(j["scenarios"][0]["unsimulated"][0], "EnvoyFilter istio-system/add-lua");
  EXPECT_EQ(j["scenarios"][0]["steps"][0]["unsimulated"][0], "EnvoyFilter istio-system/add-lua");
  EXPECT_FALSE(j["scenarios"][2].contains("unsimulated"));  // nothing to mark
  const std::string xml = to_junit_xml(r);
  EXPECT_NE(xml.find("<property name=\"unsimulated\" value=\"EnvoyFilter istio-system/add-lua\"/>"), std::string::npos)
      << xml;
  // The passing step carries it too (a testcase with properties, not a self-closed one).
  EXPECT_NE(xml.find("<testcase name=\"one\" classname=\"with-filter\" file=\"\" time=\"0.000\">\n      <properties>"), std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<testsuite name=\"plain\""), std::string::npos);
}

}  // namespace
}  // namespace gwsim::conformance::report
