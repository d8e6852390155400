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

}  // namespace
}  // namespace gwsim::conformance::report
