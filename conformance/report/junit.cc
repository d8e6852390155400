// conformance.xml: JUnit XML as CI systems read it (Jenkins, GitLab, GitHub test reporters):
// <testsuites> of one <testsuite> per scenario, one <testcase> per step. A failing step has a
// <failure>; a failing step of a known deviation is <skipped> (expected to fail); a scenario
// that could not be loaded has one <testcase name="(load)"> with an <error>; a skipped
// scenario has one <skipped> testcase. What gwsim does not simulate and may change an outcome is an
// `unsimulated` property of the scenario and of each step it may change.
#include <cstdio>
#include <sstream>

#include "conformance/report/report.h"

namespace gwsim::conformance::report {

namespace {

using detail::xml_escape;

std::string seconds(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", ms / 1000.0);
  return buf;
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

std::string failure_message(const StepResult& step) {
  if (!step.unsupported.empty()) return "not yet supported: " + step.unsupported;
  if (!step.mismatches.empty()) {
    std::string m = step.mismatches.front().to_string();
    if (step.mismatches.size() > 1) m += " (and " + std::to_string(step.mismatches.size() - 1) + " more)";
    return m;
  }
  for (const auto& d : step.details)
    if (d.rfind("at ", 0) != 0) return d;
  return "step failed";
}

}  // namespace

std::string to_junit_xml(const Report& report) {
  const bool t = report.meta.timestamps;
  std::ostringstream out;
  int tests = 0, failures = 0, errors = 0, skipped = 0;
  double total_ms = 0;
  std::ostringstream suites;
  for (const auto& r : report.scenarios) {
    int s_tests = 0, s_failures = 0, s_errors = 0, s_skipped = 0;
    std::ostringstream cases;
    const std::string classname = xml_escape(r.name);
    if (r.status == ScenarioStatus::kBadInput) {
      ++s_tests;
      ++s_errors;
      std::string text;
      for (const auto& e : r.errors) text += e.to_string() + "\n";
      cases << "    <testcase name=\"(load)\" classname=\"" << classname << "\" file=\"" << xml_escape(r.file) << "\">\n"
            << "      <error message=\"" << xml_escape(r.errors.empty() ? "bad input" : r.errors.front().message)
            << "\" type=\"badInput\">" << xml_escape(text) << "</error>\n    </testcase>\n";
    } else if (r.status == ScenarioStatus::kSkipped) {
      ++s_tests;
      ++s_skipped;
      cases << "    <testcase name=\"(scenario)\" classname=\"" << classname << "\" file=\"" << xml_escape(r.file)
            << "\">\n      <skipped message=\"skipped (--skip)\"/>\n    </testcase>\n";
    }
    for (const auto& step : r.steps) {
      ++s_tests;
      cases << "    <testcase name=\"" << xml_escape(step.name) << "\" classname=\"" << classname << "\" file=\""
            << xml_escape(r.file) << "\"";
      if (t) cases << " time=\"" << seconds(step.duration_ms) << "\"";
      std::string status = step_status_name(r, step);
      if (status == "passed" && step.unsimulated.empty()) {
        cases << "/>\n";
        continue;
      }
      cases << ">\n";
      // The step's outcome may differ in a cluster: name what gwsim does not simulate (issue #12).
      if (!step.unsimulated.empty()) {
        cases << "      <properties>\n";
        for (const auto& u : step.unsimulated)
          cases << "        <property name=\"unsimulated\" value=\"" << xml_escape(u) << "\"/>\n";
        cases << "      </properties>\n";
      }
      if (status == "passed") {
        cases << "    </testcase>\n";
        continue;
      }
      if (status == "xfail") {
        ++s_skipped;
        cases << "      <skipped message=\"" << xml_escape("known deviation: " + r.known_deviation) << "\"/>\n";
      } else {
        ++s_failures;
        cases << "      <failure message=\"" << xml_escape(failure_message(step)) << "\" type=\""
              << (step.unsupported.empty() ? "mismatch" : "unsupported") << "\">" << xml_escape(join_lines(step.details))
              << "</failure>\n";
      }
      cases << "    </testcase>\n";
    }
    suites << "  <testsuite name=\"" << classname << "\" tests=\"" << s_tests << "\" failures=\"" << s_failures
           << "\" errors=\"" << s_errors << "\" skipped=\"" << s_skipped << "\"";
    if (t) suites << " time=\"" << seconds(r.duration_ms) << "\"";
    suites << " file=\"" << xml_escape(r.file) << "\">\n";
    suites << "    <properties>\n      <property name=\"status\" value=\"" << scenario_status_name(r.status) << "\"/>\n";
    for (const auto& f : r.features) suites << "      <property name=\"feature\" value=\"" << xml_escape(f) << "\"/>\n";
    if (!r.known_deviation.empty())
      suites << "      <property name=\"knownDeviation\" value=\"" << xml_escape(r.known_deviation) << "\"/>\n";
    for (const auto& u : r.unsimulated)
      suites << "      <property name=\"unsimulated\" value=\"" << xml_escape(u) << "\"/>\n";
    suites << "    </properties>\n" << cases.str() << "  </testsuite>\n";
    tests += s_tests;
    failures += s_failures;
    errors += s_errors;
    skipped += s_skipped;
    total_ms += r.duration_ms;
  }
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites name=\"gwsim conformance\" tests=\"" << tests << "\" failures=\"" << failures << "\" errors=\""
      << errors << "\" skipped=\"" << skipped << "\"";
  if (t) {
    out << " time=\"" << seconds(total_ms) << "\"";
    if (!report.meta.date.empty()) out << " timestamp=\"" << xml_escape(report.meta.date) << "\"";
  }
  out << ">\n" << suites.str() << "</testsuites>\n";
  return out.str();
}

}  // namespace gwsim::conformance::report
