// conformance.html is one self-contained page: feature matrix, charts, filterable scenarios,
// route coverage, known deviations; nothing loaded from elsewhere. (tests/report/ renders it
// in headless Chromium.)
#include <regex>

#include <gtest/gtest.h>

#include "conformance/report/report.h"
#include "tests/conformance/report/report_fixture.h"

namespace gwsim::conformance::report {
namespace {

using testing::make_report;
using testing::TempDir;

bool has(const std::string& html, const std::string& what) { return html.find(what) != std::string::npos; }

int count(const std::string& html, const std::string& what) {
  int n = 0;
  for (std::size_t at = html.find(what); at != std::string::npos; at = html.find(what, at + 1)) ++n;
  return n;
}

TEST(ReportHtml, Sections) {
  TempDir dir;
  std::string html = to_html(make_report(dir, true, 90.0));
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_TRUE(has(html, "<table id=\"feature-matrix\"")) << html;
  EXPECT_TRUE(has(html, "<tr data-feature=\"MatchConditions\" class=\"status-failed\">"));
  EXPECT_TRUE(has(html, "id=\"scenario-list\""));
  EXPECT_TRUE(has(html, "id=\"filter-text\""));
  EXPECT_EQ(count(html, "<li class=\"scenario\""), 7);
  EXPECT_TRUE(has(html, "id=\"unreached-routes\""));
  EXPECT_TRUE(has(html, "<b>80.0%</b> of the routes were reached: 4 of 5"));
  EXPECT_TRUE(has(html, "<b class=\"failed\">not reached</b>"));
  EXPECT_TRUE(has(html, "id=\"known-deviations\""));
  EXPECT_TRUE(has(html, "passes: remove knownDeviation"));
  EXPECT_TRUE(has(html, "2025-01-02T03:04:05Z"));
}

TEST(ReportHtml, ChartOfExpectedAgainstObserved) {
  TempDir dir;
  std::string html = to_html(make_report(dir));
  // One chart: the 90/10 step; an expected and an observed bar per subset.
  EXPECT_EQ(count(html, "<svg class=\"chart\""), 1) << html;
  EXPECT_EQ(count(html, "<rect class=\"expected\""), 2);
  EXPECT_EQ(count(html, "<rect class=\"observed\""), 2);
  EXPECT_TRUE(has(html, "<title>canary-split / 90/10 split</title>"));
  EXPECT_TRUE(has(html, "by subset over 400 responses, tolerance 0.060"));
}

TEST(ReportHtml, FailuresShowExpectedAgainstActual) {
  TempDir dir;
  std::string html = to_html(make_report(dir));
  EXPECT_TRUE(has(html, "<table class=\"mismatch\"><tr><th>field</th><th>expected</th><th>actual</th></tr>"
                        "<tr><td><code>status</code></td><td>503</td><td>200</td></tr>"))
      << html;
  EXPECT_TRUE(has(html, "listener: 0.0.0.0_8080"));  // the decision trace
}

TEST(ReportHtml, SelfContainedAndEscaped) {
  TempDir dir;
  std::string html = to_html(make_report(dir));
  // Nothing fetched: no external script, style sheet, image or font.
  EXPECT_FALSE(std::regex_search(html, std::regex("<(script|img|iframe|link)[^>]*(src|href)=")));
  EXPECT_FALSE(has(html, "@import"));
  EXPECT_FALSE(has(html, "url("));
  // Text from scenarios is escaped.
  EXPECT_TRUE(has(html, "said to fail &lt;today&gt;"));
  EXPECT_TRUE(has(html, "canary-split &lt;checks&gt; &amp; more"));
  EXPECT_FALSE(has(html, "<today>"));
  // Exactly one inline script, at the end.
  EXPECT_EQ(count(html, "<script>"), 1);
}

// The page answers at a glance: totals, the feature matrix, coverage and what is not simulated
// come before the charts and the scenario list.
TEST(ReportHtml, SummariesComeBeforeChartsAndScenarios) {
  TempDir dir;
  std::string html = to_html(make_report(dir));
  const std::size_t features = html.find("<section id=\"features\">"), coverage = html.find("<section id=\"coverage\">"),
                    unsimulated = html.find("<section id=\"unsimulated\">"), charts = html.find("<section id=\"charts\">"),
                    scenarios = html.find("<section id=\"scenarios\">"), deviations = html.find("<section id=\"deviations\">");
  ASSERT_NE(deviations, std::string::npos);
  EXPECT_LT(html.find("id=\"totals\""), features);
  EXPECT_LT(features, coverage);
  EXPECT_LT(coverage, unsimulated);
  EXPECT_LT(unsimulated, charts);
  EXPECT_LT(charts, scenarios);
  EXPECT_LT(scenarios, deviations);
  EXPECT_EQ(count(html, "<section "), 6);
  EXPECT_EQ(count(html, "</section>"), 6);
}

TEST(ReportHtml, TheHeaderNamesTheIstioReleaseGwsimFollows) {
  TempDir dir;
  std::string html = to_html(make_report(dir));
  EXPECT_TRUE(has(html, "follows <b id=\"istio-release\">Istio 1.30</b> (behaviour of master@")) << html.substr(0, 3000);
}

// Only a chart that says something is drawn: a real split or a failure. A passing check of one
// destination at 1.0 (or of `distinct` alone) is counted, not drawn.
TEST(ReportHtml, TrivialDistributionChartsAreNotDrawn) {
  TempDir dir;
  Report report = make_report(dir);
  ScenarioResult* split = nullptr;
  for (auto& r : report.scenarios)
    if (r.name == "canary-split") split = &r;
  ASSERT_TRUE(split);
  StepResult one = split->steps[0];
  one.name = "everything to v1";
  one.distribution->expected = {{"v1", 1.0}};
  StepResult distinct_only = one;
  distinct_only.name = "three pods";
  distinct_only.distribution->expected.clear();
  distinct_only.distribution->distinct = 3;
  StepResult failing = one;
  failing.name = "one destination, failed";
  failing.passed = false;
  split->steps.push_back(one);
  split->steps.push_back(distinct_only);
  split->steps.push_back(failing);
  std::string html = to_html(report);
  EXPECT_EQ(count(html, "<svg class=\"chart\""), 2) << html;  // the 90/10 split and the failure
  EXPECT_TRUE(has(html, "<title>canary-split / one destination, failed</title>"));
  EXPECT_FALSE(has(html, "<title>canary-split / everything to v1</title>"));
  EXPECT_TRUE(has(html, "<p class=\"small\" id=\"charts-not-drawn\">2 more passing distribution checks"));
}

// A reference whose text carries a note after the URL links the URL only.
TEST(ReportHtml, AReferenceWithANoteLinksOnlyItsUrl) {
  TempDir dir;
  Report report = make_report(dir);
  report.scenarios[0].references = {
      "https://github.com/envoyproxy/envoy/blob/main/source/common/router/config_impl.cc (WeightedClusterEntry: "
      "picked by weight)",
      "Istio's docs, section Routing", "http://example.com/a"};
  std::string html = to_html(report);
  EXPECT_TRUE(has(html, "<a href=\"https://github.com/envoyproxy/envoy/blob/main/source/common/router/config_impl.cc\" "
                        "rel=\"noreferrer\">https://github.com/envoyproxy/envoy/blob/main/source/common/router/"
                        "config_impl.cc</a> (WeightedClusterEntry: picked by weight)"))
      << html;
  EXPECT_TRUE(has(html, " Istio&apos;s docs, section Routing"));
  EXPECT_TRUE(has(html, "<a href=\"http://example.com/a\" rel=\"noreferrer\">http://example.com/a</a>"));
  EXPECT_FALSE(std::regex_search(html, std::regex("href=\"[^\"]*\\s[^\"]*\"")));  // no href holds a space
}

TEST(ReportHtml, UnreachedRoutesNameTheirDestination) {
  TempDir dir;
  std::string html = to_html(make_report(dir));
  std::size_t table = html.find("<table id=\"unreached-routes\"");
  ASSERT_NE(table, std::string::npos);
  std::string unreached = html.substr(table, html.find("</table>", table) - table);
  EXPECT_TRUE(has(unreached, "<td><code>outbound|80|v1|echo.default.svc.cluster.local</code></td>")) << unreached;
}

TEST(ReportHtml, FailingStepsSayWhy) {
  TempDir dir;
  std::string html = to_html(make_report(dir));
  // wrong-status expected 503 and was routed by the catch-all; known-and-failing's host has no
  // virtual host, and the explanation names the domain that came closest.
  EXPECT_TRUE(has(html, "<p class=\"why\"><b>why:</b> Routed by route #3 main (VirtualService default/vs http[2])"))
      << html;
  EXPECT_TRUE(has(html, "<p class=\"why\"><b>why:</b> NoVirtualHost: no domain of the 1 virtual host(s) of http.8080 "
                        "matches Host &quot;other.example.com&quot;; nearest: virtual host echo.example.com:80"));
}

}  // namespace
}  // namespace gwsim::conformance::report
