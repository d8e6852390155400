// conformance.md: a summary fit for a pull-request comment. Long lists are cut (the JSON and
// HTML reports have everything), so the comment stays within what code hosts accept.
#include <sstream>

#include "conformance/report/report.h"

namespace gwsim::conformance::report {

namespace {

using detail::markdown_cell;

constexpr std::size_t kMaxFailures = 30;
constexpr std::size_t kMaxUnreached = 60;

std::string code(const std::string& text) {
  return text.empty() ? std::string() : std::string("`").append(markdown_cell(text)).append("`");
}

const char* feature_mark(const FeatureRow& f) {
  std::string s = f.status();
  if (s == "passed") return "pass";
  if (s == "failed") return "**FAIL**";
  if (s == "knownDeviation") return "known deviation";
  return "skipped";
}

}  // namespace

std::string to_markdown(const Report& report) {
  const ReportMeta& m = report.meta;
  const RunSummary& s = report.summary;
  const Coverage& c = report.coverage;
  std::ostringstream out;
  out << "# gwsim conformance report\n\n";
  out << "**" << s.passed << " passed, " << s.failed << " failed**";
  out << " · " << s.known_deviations << " known deviation" << (s.known_deviations == 1 ? "" : "s");
  if (s.unexpected_passes) out << " · " << s.unexpected_passes << " unexpected pass" << (s.unexpected_passes == 1 ? "" : "es");
  if (s.bad_input) out << " · " << s.bad_input << " bad input";
  out << " · " << s.skipped << " skipped";
  out << " · route coverage " << detail::format_percent(c.percent()) << "% (" << c.hit << " of " << c.total << " routes)";
  if (m.min_coverage)
    out << ", minimum " << detail::format_percent(*m.min_coverage) << "%" << (c.below(*m.min_coverage) ? " **not reached**" : "");
  out << "\n\n";
  out << "gwsim " << m.gwsim_version << " · follows Istio " << m.istio_release << " (behaviour of " << m.istio_version
      << ") · mode " << m.mode << " · seed "
      << m.seed;
  if (m.timestamps && !m.date.empty()) out << " · " << m.date;
  out << " · " << report.scenarios.size() << " scenarios, " << report.steps.total << " steps\n\n";

  out << "## Features\n\n";
  out << "| Feature | Scenarios | Passed | Failed | Known deviation | Skipped | |\n";
  out << "|---|---:|---:|---:|---:|---:|---|\n";
  for (const auto& f : report.features)
    out << "| " << markdown_cell(f.name) << " | " << f.scenarios << " | " << f.passed << " | " << f.failed << " | "
        << f.known_deviations << " | " << f.skipped << " | " << feature_mark(f) << " |\n";
  out << "\n";

  std::vector<std::pair<const ScenarioResult*, const StepResult*>> failures;
  std::vector<const ScenarioResult*> bad;
  for (const auto& r : report.scenarios) {
    if (r.status == ScenarioStatus::kBadInput) bad.push_back(&r);
    if (r.status != ScenarioStatus::kFailed) continue;
    for (const auto& step : r.steps)
      if (!step.passed) failures.emplace_back(&r, &step);
  }
  if (!failures.empty() || !bad.empty()) {
    out << "## Failures\n\n";
    for (const ScenarioResult* r : bad) {
      out << "- **" << markdown_cell(r->name) << "** (" << code(r->file) << "): bad input\n";
      for (const auto& e : r->errors) out << "  - " << code(e.to_string()) << "\n";
    }
    std::size_t shown = 0;
    for (const auto& [r, step] : failures) {
      if (shown++ == kMaxFailures) {
        out << "\n… and " << failures.size() - kMaxFailures << " more failing steps (see conformance.html)\n";
        break;
      }
      out << "\n### " << markdown_cell(r->name) << " / " << markdown_cell(step->name) << "\n\n";
      out << code(step->where);
      if (!step->request.empty()) out << " · " << code(step->request);
      out << "\n\n";
      if (!step->unsupported.empty()) out << "Not yet supported: " << markdown_cell(step->unsupported) << "\n\n";
      if (!step->explanation_summary.empty()) out << "Why: " << markdown_cell(step->explanation_summary) << "\n\n";
      if (!step->mismatches.empty()) {
        out << "| Field | Expected | Actual |\n|---|---|---|\n";
        for (const auto& mm : step->mismatches)
          out << "| " << code(mm.field) << " | " << markdown_cell(mm.expected) << " | " << markdown_cell(mm.actual) << " |\n";
        out << "\n";
      } else if (step->unsupported.empty()) {
        for (const auto& d : step->details)
          if (d.rfind("at ", 0) != 0) out << "    " << d << "\n";
        out << "\n";
      }
    }
    out << "\n";
  }

  out << "## Not simulated\n\n";
  out << "Kinds gwsim stores but does not simulate:";
  for (const auto& k : report.unsimulated_kinds)
    out << " " << markdown_cell(k) << (&k == &report.unsimulated_kinds.back() ? "." : ",");
  out << "\n\n";
  if (report.unsimulated.empty()) {
    out << "No scenario met an object of them that applies to its gateway.\n\n";
  } else {
    out << "Objects of them that applied to a gateway: the outcomes of these scenarios may differ on a real "
           "gateway.\n\n";
    out << "| Object | Scenarios |\n|---|---|\n";
    for (const auto& u : report.unsimulated) {
      std::string names;
      for (const auto& s : u.scenarios) names += (names.empty() ? "" : ", ") + s;
      out << "| " << code(u.object) << " | " << markdown_cell(names) << " |\n";
    }
    out << "\n";
  }

  if (!report.known_deviations.empty()) {
    out << "## Known deviations\n\n| Scenario | Reason | |\n|---|---|---|\n";
    for (const auto& k : report.known_deviations)
      out << "| " << markdown_cell(k.scenario) << " | " << markdown_cell(k.reason) << " | "
          << (k.unexpected_pass ? "**passes now: remove `knownDeviation`**" : "still deviates") << " |\n";
    out << "\n";
  }

  out << "## Route coverage\n\n";
  out << c.hit << " of " << c.total << " routes reached (" << detail::format_percent(c.percent()) << "%).";
  std::size_t unreached = static_cast<std::size_t>(c.total - c.hit);
  if (unreached == 0) {
    out << " Every route was reached.\n";
  } else {
    out << " Routes no scenario reached (" << unreached << "):\n\n";
    out << "| VirtualService | Route | Destination | Defined at |\n|---|---|---|---|\n";
    std::size_t shown = 0;
    for (const auto& r : c.routes) {
      if (r.hits > 0) continue;
      if (shown++ == kMaxUnreached) {
        out << "\n… and " << unreached - kMaxUnreached << " more (see conformance.json)\n";
        break;
      }
      const RouteTarget& t = r.target;
      std::string route = t.kind == "http" ? "http[" + std::to_string(t.index) + "]" +
                                                 (t.match_index >= 0 ? " match[" + std::to_string(t.match_index) + "]" : "") +
                                                 (t.name.empty() ? "" : " " + t.name)
                                           : t.kind + " " + t.match;
      out << "| " << code(t.virtual_service) << " | " << markdown_cell(route) << " | "
          << (t.destination.empty() ? (t.action.empty() ? std::string() : code(t.action))
                                    : code(t.destination) + " (" + std::to_string(t.weight) + ")")
          << " | " << code(t.source) << " |\n";
    }
  }
  out << "\n";
  return out.str();
}

}  // namespace gwsim::conformance::report
