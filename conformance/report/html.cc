// conformance.html: one self-contained page (inline CSS, inline SVG, a little inline script;
// no external file, no network) that answers at a glance: first the totals, the feature matrix,
// the route coverage and what is not simulated; then the charts of expected against observed
// distributions that say something (a real split, a failure), a filterable list of scenarios
// with expected against actual and the explanation for failures, and the known deviations.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <set>
#include <sstream>

#include "conformance/report/report.h"

namespace gwsim::conformance::report {

namespace {

using detail::html_escape;

constexpr const char* kPassed = "#2e7d32";
constexpr const char* kFailed = "#c62828";
constexpr const char* kKnown = "#ef6c00";
constexpr const char* kSkipped = "#9e9e9e";
constexpr const char* kExpected = "#90caf9";
constexpr const char* kObserved = "#1565c0";

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string duration(double ms) {
  char buf[32];
  if (ms >= 1000) std::snprintf(buf, sizeof buf, "%.2f s", ms / 1000);
  else std::snprintf(buf, sizeof buf, "%.1f ms", ms);
  return buf;
}

const char* status_label(const std::string& status) {
  if (status == "passed") return "PASS";
  if (status == "failed") return "FAIL";
  if (status == "xfail") return "XFAIL";
  if (status == "knownDeviation") return "KNOWN DEVIATION";
  if (status == "unexpectedPass") return "UNEXPECTED PASS";
  if (status == "badInput") return "BAD INPUT";
  return "SKIP";
}

// A stacked bar of passed / failed / known deviation / skipped.
std::string matrix_bar(const FeatureRow& f) {
  const double width = 120;
  std::ostringstream svg;
  svg << "<svg class=\"bar\" xmlns=\"http://www.w3.org/2000/svg\" width=\"120\" height=\"12\" viewBox=\"0 0 120 12\">";
  double x = 0;
  const std::pair<int, const char*> parts[] = {
      {f.passed, kPassed}, {f.failed, kFailed}, {f.known_deviations, kKnown}, {f.skipped, kSkipped}};
  for (const auto& [n, color] : parts) {
    if (n == 0 || f.scenarios == 0) continue;
    double w = width * n / f.scenarios;
    svg << "<rect x=\"" << num(x) << "\" y=\"0\" width=\"" << num(w) << "\" height=\"12\" fill=\"" << color << "\"/>";
    x += w;
  }
  svg << "</svg>";
  return svg.str();
}

std::string short_key(const std::string& key) {
  // Keep labels readable under a bar; the full key is in the bar's <title>.
  if (key.size() <= 12) return key;
  return key.substr(0, 5) + "…" + key.substr(key.size() - 6);
}

// Expected (light, with the tolerance as a whisker) against observed (dark; red when outside
// the tolerance) share per key.
std::string distribution_chart(const DistributionResult& d, const std::string& title) {
  std::set<std::string> keys;
  for (const auto& [k, n] : d.counts) keys.insert(k);
  for (const auto& [k, s] : d.expected) keys.insert(k);
  auto observed = [&](const std::string& k) {
    auto it = d.counts.find(k);
    return it == d.counts.end() || d.total == 0 ? 0.0 : static_cast<double>(it->second) / d.total;
  };
  auto expected = [&](const std::string& k) {
    auto it = d.expected.find(k);
    return it == d.expected.end() ? 0.0 : it->second;
  };
  double top = 0.1;
  for (const auto& k : keys) {
    top = std::max(top, observed(k));
    if (!d.expected.empty()) top = std::max(top, expected(k) + d.tolerance);
  }
  top = std::min(1.0, std::ceil(top * 10 - 1e-9) / 10);
  const int left = 44, plot_h = 160, top_pad = 28, group = 76;
  const int width = std::max(250, left + static_cast<int>(keys.size()) * group + 16);  // room for the legend
  const int height = top_pad + plot_h + 40;
  auto y = [&](double share) { return top_pad + plot_h * (1 - std::clamp(share, 0.0, top) / top); };

  std::ostringstream svg;
  svg << "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
      << "\" viewBox=\"0 0 " << width << " " << height << "\" role=\"img\"><title>" << html_escape(title) << "</title>";
  // Legend.
  svg << "<rect x=\"" << left << "\" y=\"6\" width=\"10\" height=\"10\" fill=\"" << kExpected << "\"/><text x=\""
      << left + 14 << "\" y=\"15\" class=\"legend\">expected ± tolerance</text>";
  svg << "<rect x=\"" << left + 140 << "\" y=\"6\" width=\"10\" height=\"10\" fill=\"" << kObserved
      << "\"/><text x=\"" << left + 154 << "\" y=\"15\" class=\"legend\">observed</text>";
  // Axis and grid.
  for (int i = 0; i <= 4; ++i) {
    double share = top * i / 4;
    double gy = y(share);
    svg << "<line x1=\"" << left << "\" x2=\"" << width - 8 << "\" y1=\"" << num(gy) << "\" y2=\"" << num(gy)
        << "\" class=\"grid\"/><text x=\"" << left - 4 << "\" y=\"" << num(gy + 3) << "\" class=\"axis\">"
        << detail::format_share(share).substr(0, 4) << "</text>";
  }
  int i = 0;
  for (const auto& k : keys) {
    const std::string label = k.empty() ? "(none)" : k;
    const double x0 = left + i++ * group + 8;
    const double o = observed(k);
    if (!d.expected.empty()) {
      const double e = expected(k);
      svg << "<rect class=\"expected\" x=\"" << num(x0) << "\" y=\"" << num(y(e)) << "\" width=\"22\" height=\""
          << num(y(0) - y(e)) << "\" fill=\"" << kExpected << "\"><title>" << html_escape(label) << " expected "
          << detail::format_share(e) << " ± " << detail::format_share(d.tolerance) << "</title></rect>";
      const double lo = y(std::max(0.0, e - d.tolerance)), hi = y(std::min(top, e + d.tolerance));
      svg << "<path class=\"whisker\" d=\"M" << num(x0 + 11) << " " << num(lo) << "V" << num(hi) << "M" << num(x0 + 6)
          << " " << num(lo) << "h10M" << num(x0 + 6) << " " << num(hi) << "h10\"/>";
    }
    bool outside = !d.expected.empty() && std::abs(o - expected(k)) > d.tolerance + 1e-9;
    svg << "<rect class=\"observed\" x=\"" << num(x0 + 24) << "\" y=\"" << num(y(o)) << "\" width=\"22\" height=\""
        << num(y(0) - y(o)) << "\" fill=\"" << (outside ? kFailed : kObserved) << "\"><title>" << html_escape(label)
        << " observed " << detail::format_share(o) << " (" << (d.counts.count(k) ? d.counts.at(k) : 0) << " of "
        << d.total << ")</title></rect>";
    svg << "<text x=\"" << num(x0 + 35) << "\" y=\"" << num(y(o) - 3) << "\" class=\"value\">"
        << detail::format_share(o).substr(0, 4) << "</text>";
    svg << "<text x=\"" << num(x0 + 23) << "\" y=\"" << top_pad + plot_h + 14 << "\" class=\"key\">"
        << html_escape(short_key(label)) << "</text>";
  }
  svg << "<line x1=\"" << left << "\" x2=\"" << width - 8 << "\" y1=\"" << num(y(0)) << "\" y2=\"" << num(y(0))
      << "\" class=\"baseline\"/>";
  svg << "</svg>";
  return svg.str();
}

std::string coverage_bar(const Coverage& c) {
  std::ostringstream svg;
  double w = c.total == 0 ? 0 : 300.0 * c.hit / c.total;
  svg << "<svg class=\"coverage-bar\" xmlns=\"http://www.w3.org/2000/svg\" width=\"300\" height=\"14\" "
         "viewBox=\"0 0 300 14\"><rect width=\"300\" height=\"14\" fill=\"#eeeeee\"/><rect width=\""
      << num(w) << "\" height=\"14\" fill=\"" << kPassed << "\"/></svg>";
  return svg.str();
}

const char* kStyle = R"CSS(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#212121;background:#fafafa}
header,main{max-width:1200px;margin:0 auto;padding:0 20px}
header{padding-top:16px}
h1{font-size:24px;margin:8px 0}h2{font-size:19px;margin:28px 0 10px;border-bottom:1px solid #ddd;padding-bottom:4px}
h3{font-size:15px;margin:16px 0 8px}
.meta{color:#616161}
.totals{display:flex;flex-wrap:wrap;gap:8px;margin:12px 0}
.total{padding:6px 12px;border-radius:6px;background:#fff;border:1px solid #ddd}
.total b{font-size:18px;margin-right:4px}
nav a{margin-right:14px}
table{border-collapse:collapse;background:#fff}
th,td{border:1px solid #e0e0e0;padding:3px 8px;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}
td.zero{color:#bdbdbd}
.status-passed,.passed{color:#2e7d32}.status-failed,.failed,.status-badInput{color:#c62828}
.status-knownDeviation,.status-xfail{color:#ef6c00}.status-unexpectedPass{color:#6a1b9a}.status-skipped{color:#757575}
.badge{display:inline-block;min-width:44px;font-size:11px;font-weight:600;padding:1px 6px;border-radius:4px;color:#fff;text-align:center}
.badge.passed{background:#2e7d32}.badge.failed,.badge.badInput{background:#c62828}
.badge.knownDeviation,.badge.xfail{background:#ef6c00}.badge.unexpectedPass{background:#6a1b9a}.badge.skipped{background:#9e9e9e}
.filters{display:flex;flex-wrap:wrap;gap:10px;align-items:center;margin-bottom:8px}
#filter-text{min-width:260px;padding:4px}
#scenario-list{list-style:none;padding:0;margin:0}
#scenario-list>li{background:#fff;border:1px solid #e0e0e0;border-radius:4px;margin:3px 0;padding:3px 8px}
summary{cursor:pointer}
.features{color:#757575;font-size:12px;margin-left:6px}
.dur{color:#9e9e9e;font-size:12px;margin-left:6px}
ol.steps{margin:4px 0 6px;padding-left:22px}
.failure{margin:4px 0 8px}
.mismatch th{background:#fbe9e7}
pre{background:#f5f5f5;padding:6px;overflow-x:auto;font-size:12px;margin:4px 0}
code{font-size:12px}
.charts{display:flex;flex-wrap:wrap;gap:14px}
figure{background:#fff;border:1px solid #e0e0e0;margin:0;padding:6px}
figcaption{font-size:12px;max-width:420px}
svg text{font:10px system-ui,sans-serif;fill:#424242}
svg text.axis{text-anchor:end}svg text.value,svg text.key{text-anchor:middle}
svg .grid{stroke:#eeeeee}svg .baseline{stroke:#616161}svg .whisker{stroke:#0d47a1;stroke-width:1.5;fill:none}
.unreached td{color:#c62828}
.small{font-size:12px;color:#616161}
)CSS";

const char* kScript = R"JS(
(function () {
  var text = document.getElementById('filter-text');
  var feature = document.getElementById('filter-feature');
  var boxes = Array.prototype.slice.call(document.querySelectorAll('.filter-status'));
  var items = Array.prototype.slice.call(document.querySelectorAll('#scenario-list > li'));
  var count = document.getElementById('visible-count');
  function apply() {
    var q = text.value.trim().toLowerCase();
    var f = feature.value;
    var on = {};
    boxes.forEach(function (b) { on[b.value] = b.checked; });
    var shown = 0;
    items.forEach(function (li) {
      var ok = on[li.getAttribute('data-status')] &&
               (!q || li.getAttribute('data-search').indexOf(q) >= 0) &&
               (!f || (' ' + li.getAttribute('data-features') + ' ').indexOf(' ' + f + ' ') >= 0);
      li.hidden = !ok;
      if (ok) shown++;
    });
    count.textContent = shown + ' of ' + items.length + ' scenarios shown';
  }
  text.addEventListener('input', apply);
  feature.addEventListener('change', apply);
  boxes.forEach(function (b) { b.addEventListener('change', apply); });
  Array.prototype.slice.call(document.querySelectorAll('[data-filter-feature]')).forEach(function (a) {
    a.addEventListener('click', function (e) {
      e.preventDefault();
      feature.value = a.getAttribute('data-filter-feature');
      apply();
      document.getElementById('scenarios').scrollIntoView();
    });
  });
  apply();
  document.body.setAttribute('data-ready', 'yes');
})();
)JS";

// A distribution chart says something when the expectation is a real split (two or more keys
// expected to share the traffic) or when the step failed; a single expected key at 1.0 or a
// `distinct` count alone draws one tall bar, which the step's PASS says as well.
bool chart_says_something(const ScenarioResult& scenario, const StepResult& step) {
  if (!step.distribution) return false;
  if (!step.passed || step_status_name(scenario, step) != "passed") return true;
  int shared = 0;
  for (const auto& [k, share] : step.distribution->expected) shared += share > 0 ? 1 : 0;
  return shared >= 2;
}

void write_step_failure(std::ostringstream& out, const StepResult& step) {
  out << "<div class=\"failure\">";
  if (!step.request.empty()) out << "<div class=\"small\">request: <code>" << html_escape(step.request) << "</code>";
  if (step.responses > 1)
    out << " · " << step.failed_responses << " of " << step.responses << " responses failed a per-response field";
  if (!step.request.empty()) out << "</div>";
  if (!step.unsupported.empty()) out << "<p><b>not yet supported:</b> " << html_escape(step.unsupported) << "</p>";
  if (!step.explanation_summary.empty())
    out << "<p class=\"why\"><b>why:</b> " << html_escape(step.explanation_summary) << "</p>";
  if (!step.mismatches.empty()) {
    out << "<table class=\"mismatch\"><tr><th>field</th><th>expected</th><th>actual</th></tr>";
    for (const auto& m : step.mismatches)
      out << "<tr><td><code>" << html_escape(m.field) << "</code></td><td>" << html_escape(m.expected) << "</td><td>"
          << html_escape(m.actual) << "</td></tr>";
    out << "</table>";
  }
  out << "<details><summary>details and decision trace</summary><pre>";
  for (const auto& d : step.details) out << html_escape(d) << "\n";
  out << "</pre></details></div>";
}

}  // namespace

std::string to_html(const Report& report) {
  const ReportMeta& m = report.meta;
  const RunSummary& s = report.summary;
  const Coverage& c = report.coverage;
  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<title>gwsim conformance report</title>\n<style>" << kStyle << "</style>\n</head>\n"
      << "<body data-ready=\"no\">\n<header>\n<h1>gwsim conformance report</h1>\n";
  out << "<p class=\"meta\">gwsim " << html_escape(m.gwsim_version) << " · follows <b id=\"istio-release\">Istio "
      << html_escape(m.istio_release) << "</b> (behaviour of " << html_escape(m.istio_version) << ") · mode "
      << html_escape(m.mode) << " · seed " << m.seed;
  if (m.timestamps && !m.date.empty()) out << " · " << html_escape(m.date);
  out << "<br>";
  for (const auto& p : m.paths) out << "<code>" << html_escape(p) << "</code> ";
  out << "</p>\n<div class=\"totals\" id=\"totals\">";
  auto total = [&](const char* cls, int n, const char* what) {
    out << "<span class=\"total " << cls << "\"><b>" << n << "</b>" << what << "</span>";
  };
  total("status-passed", s.passed, "passed");
  total("status-failed", s.failed, "failed");
  total("status-knownDeviation", s.known_deviations, "known deviations");
  total("status-unexpectedPass", s.unexpected_passes, "unexpected passes");
  total("status-skipped", s.skipped, "skipped");
  out << "<span class=\"total\"><b>" << detail::format_percent(c.percent()) << "%</b>route coverage</span>";
  out << "<span class=\"total\"><b>" << report.scenarios.size() << "</b>scenarios, " << report.steps.total
      << " steps</span>";
  out << "</div>\n<nav><a href=\"#features\">Features</a><a href=\"#coverage\">Route coverage</a>"
      << "<a href=\"#unsimulated\">Not simulated</a><a href=\"#charts\">Distributions</a>"
      << "<a href=\"#scenarios\">Scenarios</a><a href=\"#deviations\">Known deviations</a></nav>\n</header>\n<main>\n";

  // ---- feature matrix
  out << "<section id=\"features\">\n<h2>Feature matrix</h2>\n"
      << "<table id=\"feature-matrix\" class=\"matrix\">\n<thead><tr><th>Feature</th><th>Passed</th><th>Failed</th>"
      << "<th>Known deviation</th><th>Skipped</th><th>Scenarios</th><th></th></tr></thead>\n<tbody>\n";
  for (const auto& f : report.features) {
    auto cell = [&](int n, const char* cls) {
      out << "<td class=\"n " << (n == 0 ? "zero" : cls) << "\">" << n << "</td>";
    };
    out << "<tr data-feature=\"" << html_escape(f.name) << "\" class=\"status-" << f.status() << "\"><th><a href=\"#\" "
        << "data-filter-feature=\"" << html_escape(f.name) << "\">" << html_escape(f.name) << "</a></th>";
    cell(f.passed, "status-passed");
    cell(f.failed, "status-failed");
    cell(f.known_deviations, "status-knownDeviation");
    cell(f.skipped, "status-skipped");
    out << "<td class=\"n\">" << f.scenarios << "</td><td>" << matrix_bar(f) << "</td></tr>\n";
  }
  out << "</tbody>\n</table>\n</section>\n";

  // ---- coverage
  out << "<section id=\"coverage\">\n<h2>Route coverage</h2>\n<p><b>" << detail::format_percent(c.percent())
      << "%</b> of the routes were reached: " << c.hit << " of " << c.total
      << " (each VirtualService http route and match, each tcp/tls route; weighted destinations count "
         "separately).";
  if (m.min_coverage)
    out << " Minimum " << detail::format_percent(*m.min_coverage) << "%: "
        << (c.below(*m.min_coverage) ? "<b class=\"failed\">not reached</b>" : "<b class=\"passed\">reached</b>") << ".";
  out << "</p>\n" << coverage_bar(c) << "\n";
  auto route_row = [&](const CoverageRoute& r, bool with_hits) {
    const RouteTarget& t = r.target;
    std::string route = t.kind == "http" ? "http[" + std::to_string(t.index) + "]" +
                                               (t.match_index >= 0 ? " match[" + std::to_string(t.match_index) + "]" : "")
                                         : t.kind + " " + t.match;
    out << "<tr><td><code>" << html_escape(t.virtual_service) << "</code></td><td>" << html_escape(route) << "</td><td>"
        << html_escape(t.name) << "</td><td><code>" << html_escape(t.destination.empty() ? t.action : t.destination)
        << "</code>" << (t.destination.empty() ? "" : " (" + std::to_string(t.weight) + ")") << "</td><td><code>"
        << html_escape(t.gateway) << "</code></td><td><code>" << html_escape(t.source) << "</code></td>";
    if (with_hits) {
      out << "<td class=\"n\">" << r.hits << "</td><td class=\"small\">";
      for (std::size_t i = 0; i < r.scenarios.size() && i < 3; ++i)
        out << (i ? ", " : "") << html_escape(r.scenarios[i]);
      if (r.scenarios.size() > 3) out << " and " << r.scenarios.size() - 3 << " more";
      out << "</td>";
    }
    out << "</tr>\n";
  };
  const char* head = "<tr><th>VirtualService</th><th>Route</th><th>Name</th><th>Destination (weight)</th>"
                     "<th>Gateway</th><th>Defined at</th>";
  out << "<h3>Routes no scenario reached (" << c.total - c.hit << ")</h3>\n";
  if (c.total == c.hit) {
    out << "<p class=\"small\">Every route was reached.</p>\n";
  } else {
    out << "<table id=\"unreached-routes\" class=\"unreached\">" << head << "</tr>\n";
    for (const auto& r : c.routes)
      if (r.hits == 0) route_row(r, false);
    out << "</table>\n";
  }
  out << "<details><summary>All routes (" << c.total << ")</summary><table id=\"all-routes\">" << head
      << "<th>Responses</th><th>Scenarios</th></tr>\n";
  for (const auto& r : c.routes) route_row(r, true);
  out << "</table></details>\n</section>\n";

  // ---- not simulated
  out << "<section id=\"unsimulated\">\n<h2>Not simulated</h2>\n<p>Kinds gwsim stores but does not simulate: ";
  for (const auto& k : report.unsimulated_kinds)
    out << html_escape(k) << (&k == &report.unsimulated_kinds.back() ? "." : ", ");
  out << "</p>\n";
  if (report.unsimulated.empty()) {
    out << "<p class=\"small\">No scenario met an object of them that applies to its gateway.</p>\n";
  } else {
    out << "<table id=\"unsimulated-objects\"><tr><th>Object</th><th>Scenarios whose outcomes it may "
           "change</th></tr>\n";
    for (const auto& u : report.unsimulated) {
      std::string names;
      for (const auto& s : u.scenarios) names += (names.empty() ? "" : ", ") + s;
      out << "<tr><td><code>" << html_escape(u.object) << "</code></td><td>" << html_escape(names) << "</td></tr>\n";
    }
    out << "</table>\n";
  }
  out << "</section>\n";
  // ---- distributions
  out << "<section id=\"charts\">\n<h2>Distributions: expected against observed</h2>\n";
  int charts = 0;
  int trivial = 0;  // passing checks of one destination or of `distinct` only: not drawn
  std::ostringstream figures;
  for (const auto& r : report.scenarios) {
    for (const auto& step : r.steps) {
      if (!step.distribution) continue;
      if (!chart_says_something(r, step)) {
        ++trivial;
        continue;
      }
      const DistributionResult& d = *step.distribution;
      std::string title = r.name + " / " + step.name;
      std::string status = step_status_name(r, step);
      figures << "<figure id=\"chart-" << charts++ << "\" data-status=\"" << status << "\">"
              << distribution_chart(d, title) << "<figcaption><span class=\"badge " << status << "\">"
              << status_label(status) << "</span> " << html_escape(title) << "<br><span class=\"small\">by "
              << html_escape(d.by) << " over " << d.total << " responses";
      if (!d.expected.empty()) figures << ", tolerance " << detail::format_share(d.tolerance);
      if (d.distinct) figures << ", distinct " << *d.distinct;
      figures << "</span></figcaption></figure>\n";
    }
  }
  if (charts == 0 && trivial == 0) out << "<p class=\"small\">No step of this run checks a distribution.</p>\n";
  if (charts > 0) out << "<div class=\"charts\">\n" << figures.str() << "</div>\n";
  if (trivial > 0)
    out << "<p class=\"small\" id=\"charts-not-drawn\">" << trivial << " more passing distribution check"
        << (trivial == 1 ? "" : "s") << " (one destination, or a count of distinct keys) not drawn: "
        << "their steps are in the scenario list.</p>\n";
  out << "</section>\n";

  // ---- scenarios
  out << "<section id=\"scenarios\">\n<h2>Scenarios</h2>\n<div class=\"filters\">"
      << "<input id=\"filter-text\" type=\"search\" placeholder=\"filter by name, file, step\" aria-label=\"filter\">"
      << "<select id=\"filter-feature\" aria-label=\"feature\"><option value=\"\">every feature</option>";
  for (const auto& f : report.features)
    out << "<option value=\"" << html_escape(f.name) << "\">" << html_escape(f.name) << "</option>";
  out << "</select>";
  for (const char* st : {"passed", "failed", "knownDeviation", "unexpectedPass", "badInput", "skipped"})
    out << "<label><input type=\"checkbox\" class=\"filter-status\" value=\"" << st << "\" checked> "
        << status_label(st) << "</label>";
  out << "<span id=\"visible-count\" class=\"small\"></span></div>\n<ul id=\"scenario-list\">\n";
  for (const auto& r : report.scenarios) {
    std::string status = scenario_status_name(r.status);
    std::string features;
    for (const auto& f : r.features) features += (features.empty() ? "" : " ") + f;
    if (r.features.empty()) features = "(none)";
    std::string search = r.name + " " + r.file + " " + features;
    for (const auto& step : r.steps) search += " " + step.name;
    std::transform(search.begin(), search.end(), search.begin(), [](unsigned char ch) { return std::tolower(ch); });
    bool open = r.status == ScenarioStatus::kFailed || r.status == ScenarioStatus::kBadInput;
    out << "<li class=\"scenario\" data-status=\"" << status << "\" data-features=\""
        << html_escape(features) << "\" data-search=\"" << html_escape(search) << "\"><details" << (open ? " open" : "")
        << "><summary><span class=\"badge " << status << "\">" << status_label(status) << "</span> "
        << html_escape(r.name) << "<span class=\"features\">" << html_escape(features) << "</span>";
    if (m.timestamps) out << "<span class=\"dur\">" << duration(r.duration_ms) << "</span>";
    out << "</summary>\n<div class=\"small\"><code>" << html_escape(r.file) << "</code></div>";
    if (!r.description.empty()) out << "<p>" << html_escape(r.description) << "</p>";
    if (!r.known_deviation.empty())
      out << "<p class=\"status-knownDeviation\">known deviation: " << html_escape(r.known_deviation) << "</p>";
    if (!r.unsimulated.empty()) {
      std::string names;
      for (const auto& u : r.unsimulated) names += (names.empty() ? "" : ", ") + u;
      out << "<p class=\"status-knownDeviation\">unsimulated: " << html_escape(names)
          << " may change these outcomes (gwsim does not simulate them)</p>";
    }
    if (!r.errors.empty()) {
      out << "<pre>";
      for (const auto& e : r.errors) out << html_escape(e.to_string()) << "\n";
      out << "</pre>";
    }
    if (!r.references.empty()) {
      out << "<div class=\"small\">references:";
      for (const auto& ref : r.references) {
        const detail::Reference parts = detail::split_reference(ref);
        out << " ";
        if (!parts.url.empty())
          out << "<a href=\"" << html_escape(parts.url) << "\" rel=\"noreferrer\">" << html_escape(parts.url) << "</a>";
        if (!parts.note.empty()) out << (parts.url.empty() ? "" : " ") << html_escape(parts.note);
      }
      out << "</div>";
    }
    if (!r.steps.empty()) {
      out << "<ol class=\"steps\">";
      for (const auto& step : r.steps) {
        std::string st = step_status_name(r, step);
        out << "<li class=\"step\" data-status=\"" << st << "\"><span class=\"badge " << st << "\">" << status_label(st)
            << "</span> " << html_escape(step.name) << " <span class=\"small\">" << html_escape(step.action) << "</span>";
        if (m.timestamps) out << "<span class=\"dur\">" << duration(step.duration_ms) << "</span>";
        if (!step.passed) write_step_failure(out, step);
        out << "</li>";
      }
      out << "</ol>";
    }
    out << "</details></li>\n";
  }
  out << "</ul>\n</section>\n";

  // ---- known deviations
  out << "<section id=\"deviations\">\n<h2>Known deviations</h2>\n";
  if (report.known_deviations.empty()) {
    out << "<p class=\"small\">None: no scenario is marked <code>knownDeviation</code>.</p>\n";
  } else {
    out << "<table id=\"known-deviations\"><tr><th>Scenario</th><th>Reason</th><th>Now</th></tr>\n";
    for (const auto& k : report.known_deviations)
      out << "<tr><td>" << html_escape(k.scenario) << "<div class=\"small\"><code>" << html_escape(k.file)
          << "</code></div></td><td>" << html_escape(k.reason) << "</td><td>"
          << (k.unexpected_pass ? "<b class=\"status-unexpectedPass\">passes: remove knownDeviation</b>"
                                : "<span class=\"status-knownDeviation\">still deviates</span>")
          << "</td></tr>\n";
    out << "</table>\n";
  }
  out << "</section>\n";

  out << "</main>\n<script>" << kScript << "</script>\n</body>\n</html>\n";
  return out.str();
}

}  // namespace gwsim::conformance::report
