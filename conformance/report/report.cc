#include "conformance/report/report.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "engine/model/kinds.h"

namespace gwsim::conformance::report {

namespace fs = std::filesystem;

namespace {

constexpr const char* kNoFeature = "(none)";

}  // namespace

const char* scenario_status_name(ScenarioStatus status) {
  switch (status) {
    case ScenarioStatus::kPassed: return "passed";
    case ScenarioStatus::kFailed: return "failed";
    case ScenarioStatus::kKnownDeviation: return "knownDeviation";
    case ScenarioStatus::kUnexpectedPass: return "unexpectedPass";
    case ScenarioStatus::kBadInput: return "badInput";
    case ScenarioStatus::kSkipped: return "skipped";
  }
  return "failed";
}

std::string step_status_name(const ScenarioResult& scenario, const StepResult& step) {
  if (scenario.status == ScenarioStatus::kSkipped) return "skipped";
  if (step.passed) return "passed";
  return scenario.status == ScenarioStatus::kKnownDeviation ? "xfail" : "failed";
}

std::string FeatureRow::status() const {
  if (failed > 0) return "failed";
  if (known_deviations > 0) return "knownDeviation";
  if (passed > 0) return "passed";
  return "skipped";
}

double Coverage::percent() const { return total == 0 ? 0.0 : 100.0 * hit / total; }

bool Coverage::below(double minimum) const {
  // Compare at the precision shown, so "90.0% is below 90" never happens.
  return total == 0 || std::stod(detail::format_percent(percent())) + 1e-9 < minimum;
}

int Report::exit_code() const {
  int code = summary.exit_code();
  if (code == 0 && meta.min_coverage && coverage.below(*meta.min_coverage)) code = 1;
  return code;
}

RunSummary summarize(const std::vector<ScenarioResult>& results) {
  RunSummary s;
  for (const auto& r : results) {
    switch (r.status) {
      case ScenarioStatus::kPassed: ++s.passed; break;
      case ScenarioStatus::kUnexpectedPass:
        ++s.passed;
        ++s.unexpected_passes;
        break;
      case ScenarioStatus::kKnownDeviation: ++s.known_deviations; break;
      case ScenarioStatus::kFailed: ++s.failed; break;
      case ScenarioStatus::kBadInput:
        ++s.bad_input;
        ++s.failed;
        break;
      case ScenarioStatus::kSkipped: ++s.skipped; break;
    }
  }
  return s;
}

std::vector<FeatureRow> feature_rows(const std::vector<ScenarioResult>& results) {
  std::map<std::string, FeatureRow> rows;
  for (const auto& r : results) {
    std::vector<std::string> features = r.features;
    if (features.empty()) features.push_back(kNoFeature);
    std::sort(features.begin(), features.end());
    features.erase(std::unique(features.begin(), features.end()), features.end());
    for (const auto& f : features) {
      FeatureRow& row = rows[f];
      row.name = f;
      ++row.scenarios;
      switch (r.status) {
        case ScenarioStatus::kPassed: ++row.passed; break;
        case ScenarioStatus::kUnexpectedPass:
          ++row.passed;
          ++row.unexpected_passes;
          break;
        case ScenarioStatus::kKnownDeviation: ++row.known_deviations; break;
        case ScenarioStatus::kFailed:
        case ScenarioStatus::kBadInput: ++row.failed; break;
        case ScenarioStatus::kSkipped: ++row.skipped; break;
      }
    }
  }
  std::vector<FeatureRow> out;
  for (auto& [name, row] : rows)
    if (name != kNoFeature) out.push_back(std::move(row));
  if (auto it = rows.find(kNoFeature); it != rows.end()) out.push_back(std::move(it->second));
  return out;
}

Coverage compute_coverage(const std::vector<ScenarioResult>& results) {
  std::vector<RouteTarget> targets;
  for (const auto& r : results) merge_targets(targets, r.routes);
  std::map<std::string, CoverageRoute> routes;
  for (auto& t : targets) routes[t.id].target = std::move(t);
  for (const auto& r : results) {
    for (const auto& step : r.steps) {
      for (const auto& [id, n] : step.route_hits) {
        auto it = routes.find(id);
        if (it == routes.end()) continue;  // cannot happen: hits come from the same tables
        it->second.hits += n;
        auto& who = it->second.scenarios;
        if (std::find(who.begin(), who.end(), r.name) == who.end()) who.push_back(r.name);
      }
    }
  }
  Coverage c;
  for (auto& [id, route] : routes) {
    ++c.total;
    if (route.hits > 0) ++c.hit;
    c.routes.push_back(std::move(route));
  }
  std::stable_sort(c.routes.begin(), c.routes.end(), [](const CoverageRoute& a, const CoverageRoute& b) {
    const RouteTarget &x = a.target, &y = b.target;
    if (x.virtual_service != y.virtual_service) return x.virtual_service < y.virtual_service;
    if (x.kind != y.kind) return x.kind < y.kind;
    if (x.index != y.index) return x.index < y.index;
    if (x.match_index != y.match_index) return x.match_index < y.match_index;
    return x.id < y.id;
  });
  return c;
}

Report build_report(ReportMeta meta, std::vector<ScenarioResult> results) {
  Report report;
  report.meta = std::move(meta);
  report.summary = summarize(results);
  report.features = feature_rows(results);
  report.coverage = compute_coverage(results);
  for (const auto& r : results) {
    if (!r.known_deviation.empty() &&
        (r.status == ScenarioStatus::kKnownDeviation || r.status == ScenarioStatus::kUnexpectedPass))
      report.known_deviations.push_back(
          {r.name, r.file, r.known_deviation, r.status == ScenarioStatus::kUnexpectedPass});
    for (const auto& step : r.steps) {
      ++report.steps.total;
      std::string s = step_status_name(r, step);
      if (s == "passed") ++report.steps.passed;
      else if (s == "xfail") ++report.steps.xfailed;
      else if (s == "failed") ++report.steps.failed;
    }
  }
  for (const auto& k : model::known_kinds())
    if (!k.simulated)
      report.unsimulated_kinds.push_back(std::string(k.kind) + " (" + (*k.group ? k.group : "core") + ")");
  std::map<std::string, std::vector<std::string>> met;  // object -> scenarios
  for (const auto& r : results)
    for (const auto& object : r.unsimulated) met[object].push_back(r.name);
  for (auto& [object, scenarios] : met) report.unsimulated.push_back({object, std::move(scenarios)});
  report.scenarios = std::move(results);
  return report;
}

Result<std::vector<std::string>> write_report(const Report& report, const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return make_error("cannot create " + dir + ": " + ec.message());
  const std::string texts[] = {to_json(report), to_junit_xml(report), to_markdown(report), to_html(report),
                               to_conformance_yaml(report)};
  std::vector<std::string> written;
  for (std::size_t i = 0; i < std::size(kReportFiles); ++i) {
    fs::path path = fs::path(dir) / kReportFiles[i];
    // Write beside, then rename: a reader never sees half a report.
    fs::path temporary = path;
    temporary += ".tmp";
    {
      std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
      out << texts[i];
      if (!out) return make_error("cannot write " + temporary.string());
    }
    fs::rename(temporary, path, ec);
    if (ec) return make_error("cannot write " + path.string() + ": " + ec.message());
    written.push_back(path.string());
  }
  return written;
}

namespace detail {

// Length of the valid UTF-8 sequence at text[i], 0 when invalid.
std::size_t utf8_length(const std::string& text, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char c = byte(i);
  std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > text.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  return n;
}

std::string xml_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      // Bodies may hold anything; the documents must stay valid UTF-8.
      std::size_t n = utf8_length(text, i);
      if (n == 0) {
        out += "?";
      } else {
        out.append(text, i, n);
        i += n - 1;
      }
      continue;
    }
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // XML 1.0 allows no control characters but tab, newline and carriage return.
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') out += "?";
        else out += static_cast<char>(c);
    }
  }
  return out;
}

std::string html_escape(const std::string& text) { return xml_escape(text); }

std::string markdown_cell(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += "\\|";
    else if (c == '\n' || c == '\r') out += ' ';
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else out += c;
  }
  return out;
}

std::string format_percent(double percent) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", percent);
  return buf;
}

std::string format_share(double share) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", share);
  return buf;
}

Reference split_reference(const std::string& reference) {
  const bool link = reference.rfind("https://", 0) == 0 || reference.rfind("http://", 0) == 0;
  if (!link) return {"", reference};
  // A URL holds no whitespace: the first one ends it, and the rest is the note.
  const std::size_t end = reference.find_first_of(" \t\n");
  if (end == std::string::npos) return {reference, ""};
  const std::size_t note = reference.find_first_not_of(" \t\n", end);
  return {reference.substr(0, end), note == std::string::npos ? "" : reference.substr(note)};
}

}  // namespace detail

}  // namespace gwsim::conformance::report
