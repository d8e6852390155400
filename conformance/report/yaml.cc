// conformance.yaml: the run in the shape of the Kubernetes Gateway API ConformanceReport
// (gateway.networking.k8s.io, conformance/apis/v1), so people used to that format can read it:
// profiles, each with core and extended results (result, statistics, failed and skipped
// tests) and the extended features supported or not. Two kinds of profile (docs/report.md):
// ISTIO-GATEWAY-*, gwsim's scenarios against Istio's networking.istio.io APIs, and GATEWAY-*,
// the Gateway API conformance tests ported as scenarios (conformance/suite/GatewayAPI*), counted
// as the upstream suite counts them (conformance/report/gateway_api.h).
#include <algorithm>
#include <map>
#include <set>

#include <yaml-cpp/yaml.h>

#include "conformance/report/gateway_api.h"
#include "conformance/report/report.h"

namespace gwsim::conformance::report {

namespace {

constexpr const char* kHttpProfile = "ISTIO-GATEWAY-HTTP";
constexpr const char* kTlsProfile = "ISTIO-GATEWAY-TLS";
constexpr const char* kTcpProfile = "ISTIO-GATEWAY-TCP";

struct FeatureClass {
  const char* profile;
  bool core;
};

// Core: what every ingress configuration relies on (binding, hosts, ordering, matching,
// destinations, validation); extended: optional route actions and policies. Features of the
// suite's imported test sets (IstioGatewaySimulation, IstioIntegrationRouting) and features
// gwsim does not know classify a scenario by its other features, else as HTTP extended.
const std::map<std::string, FeatureClass>& feature_classes() {
  static const std::map<std::string, FeatureClass> classes = {
      {"GatewaySelection", {kHttpProfile, true}},
      {"PortTranslation", {kHttpProfile, true}},
      {"HTTPServerMerge", {kHttpProfile, true}},
      {"ServerHostNamespaces", {kHttpProfile, true}},
      {"VirtualServiceBinding", {kHttpProfile, true}},
      {"VirtualHostNaming", {kHttpProfile, true}},
      {"HostMatching", {kHttpProfile, true}},
      {"RouteOrder", {kHttpProfile, true}},
      {"RouteCollapse", {kHttpProfile, true}},
      {"MatchConditions", {kHttpProfile, true}},
      {"Destinations", {kHttpProfile, true}},
      {"Subsets", {kHttpProfile, true}},
      {"DestinationRulePrecedence", {kHttpProfile, true}},
      {"Outcomes", {kHttpProfile, true}},
      {"Validation", {kHttpProfile, true}},
      {"ConfigChanges", {kHttpProfile, true}},
      {"HttpsTermination", {kTlsProfile, true}},
      {"SniRouting", {kTlsProfile, true}},
      {"GatewayMerging", {kTlsProfile, true}},
      {"Passthrough", {kTlsProfile, false}},
      {"TcpRoutes", {kTcpProfile, true}},
  };
  return classes;
}

bool is_test_set(const std::string& feature) {
  return feature == "IstioGatewaySimulation" || feature == "IstioIntegrationRouting";
}

struct Placement {
  std::string profile;
  bool core = true;
  std::string feature;  // the feature that decided (extended: listed as supported or not)
};

Placement place(const ScenarioResult& r) {
  const auto& classes = feature_classes();
  for (const auto& f : r.features)
    if (auto it = classes.find(f); it != classes.end()) return {it->second.profile, it->second.core, f};
  for (const auto& f : r.features)
    if (!is_test_set(f)) return {kHttpProfile, false, f};
  if (!r.features.empty()) return {kHttpProfile, false, r.features.front()};
  return {kHttpProfile, true, ""};
}

struct Section {
  int passed = 0, failed = 0, skipped = 0;
  std::vector<std::string> failed_tests, skipped_tests;
  std::map<std::string, bool> features;  // extended: feature -> all its scenarios passed
  bool any() const { return passed + failed + skipped > 0; }
  std::string result() const {
    if (failed > 0) return "failure";
    if (skipped > 0) return passed > 0 ? "partial" : "skipped";
    return "success";
  }
};

void add(Section& s, const ScenarioResult& r, const std::string& feature, bool extended) {
  bool ok = false;
  switch (r.status) {
    case ScenarioStatus::kPassed:
    case ScenarioStatus::kUnexpectedPass:
      ++s.passed;
      ok = true;
      break;
    case ScenarioStatus::kFailed:
    case ScenarioStatus::kBadInput:
      ++s.failed;
      s.failed_tests.push_back(r.name);
      break;
    case ScenarioStatus::kKnownDeviation:  // expected to fail today: reported as skipped
    case ScenarioStatus::kSkipped:
      ++s.skipped;
      s.skipped_tests.push_back(r.name);
      break;
  }
  if (extended && !feature.empty()) {
    auto [it, inserted] = s.features.emplace(feature, ok);
    if (!inserted) it->second = it->second && ok;
  }
}

void emit_list(YAML::Emitter& out, const char* key, const std::vector<std::string>& items) {
  if (items.empty()) return;
  out << YAML::Key << key << YAML::Value << YAML::BeginSeq;
  for (const auto& item : items) out << item;
  out << YAML::EndSeq;
}

// One core or extended section; `supported` and `unsupported` only for extended ones.
void emit_section(YAML::Emitter& out, const char* key, const Section& s, const std::vector<std::string>& supported = {},
                  const std::vector<std::string>& unsupported = {}) {
  out << YAML::Key << key << YAML::Value << YAML::BeginMap;
  emit_list(out, "failedTests", s.failed_tests);
  out << YAML::Key << "result" << YAML::Value << s.result();
  emit_list(out, "skippedTests", s.skipped_tests);
  out << YAML::Key << "statistics" << YAML::Value << YAML::BeginMap << YAML::Key << "Failed" << YAML::Value << s.failed
      << YAML::Key << "Passed" << YAML::Value << s.passed << YAML::Key << "Skipped" << YAML::Value << s.skipped
      << YAML::EndMap;
  emit_list(out, "supportedFeatures", supported);
  emit_list(out, "unsupportedFeatures", unsupported);
  out << YAML::EndMap;
}

// ISTIO-* profiles: a feature is supported when every scenario of it passed.
void split_features(const Section& s, std::vector<std::string>& supported, std::vector<std::string>& unsupported) {
  for (const auto& [f, ok] : s.features) (ok ? supported : unsupported).push_back(f);
}

// GATEWAY-* profiles: upstream lists every extended feature of the profile, as supported (the
// implementation claims it) or not. gwsim claims a feature when it has ported tests in the
// profile and all of them passed; a feature with a failing test or none is unsupported.
void split_gateway_api_features(const gateway_api::Profile& profile, const Section& s,
                                std::vector<std::string>& supported, std::vector<std::string>& unsupported) {
  for (const auto& f : profile.extended) {
    auto it = s.features.find(f);
    (it != s.features.end() && it->second ? supported : unsupported).push_back(f);
  }
}

std::string summary_of(const char* what, const Section& s) {
  std::string r = s.result();
  std::string out = std::string(what) + " tests ";
  if (r == "success") return out + "succeeded.";
  if (r == "failure") return out + "failed with " + std::to_string(s.failed) + " test failures.";
  if (r == "skipped") return out + "were all skipped.";
  return out + "partially succeeded with " + std::to_string(s.skipped) + " test skips.";
}

}  // namespace

std::string to_conformance_yaml(const Report& report) {
  const ReportMeta& m = report.meta;
  struct Profile {
    Section core, extended;
    const gateway_api::Profile* gateway_api = nullptr;  // set for the GATEWAY-* profiles
  };
  std::map<std::string, Profile> profiles;
  std::set<std::string> provisional_passed;
  for (const auto& r : report.scenarios) {
    if (gateway_api::is_test(r.features)) {
      bool ok = r.status == ScenarioStatus::kPassed || r.status == ScenarioStatus::kUnexpectedPass;
      if (ok && gateway_api::is_provisional(r.name)) provisional_passed.insert(r.name);
      for (const auto& placement : gateway_api::place(r.features)) {
        Profile& profile = profiles[placement.profile->name];
        profile.gateway_api = placement.profile;
        Section& section = placement.extended ? profile.extended : profile.core;
        add(section, r, "", false);
        if (!placement.extended) continue;
        for (const auto& f : r.features) {
          if (!placement.profile->extended.count(f)) continue;
          auto [it, inserted] = section.features.emplace(f, ok);
          if (!inserted) it->second = it->second && ok;
        }
      }
      continue;
    }
    Placement p = place(r);
    Profile& profile = profiles[p.profile];
    add(p.core ? profile.core : profile.extended, r, p.feature, !p.core);
  }
  bool any_gateway_api =
      std::any_of(profiles.begin(), profiles.end(), [](const auto& p) { return p.second.gateway_api; });

  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "apiVersion" << YAML::Value << "gateway.networking.k8s.io/v1";
  out << YAML::Key << "kind" << YAML::Value << "ConformanceReport";
  if (m.timestamps && !m.date.empty()) out << YAML::Key << "date" << YAML::Value << YAML::DoubleQuoted << m.date;
  if (any_gateway_api) out << YAML::Key << "gatewayAPIVersion" << YAML::Value << gateway_api::kSuiteVersion;
  out << YAML::Key << "implementation" << YAML::Value << YAML::BeginMap << YAML::Key << "organization" << YAML::Value
      << "gwsim" << YAML::Key << "project" << YAML::Value << "gwsim" << YAML::Key << "version" << YAML::Value
      << m.gwsim_version << YAML::Key << "contact" << YAML::Value << YAML::Flow << YAML::BeginSeq << YAML::EndSeq
      << YAML::EndMap;
  out << YAML::Key << "istioRelease" << YAML::Value << YAML::DoubleQuoted << m.istio_release;
  out << YAML::Key << "istioVersion" << YAML::Value << YAML::DoubleQuoted << m.istio_version;
  out << YAML::Key << "mode" << YAML::Value << m.mode;
  out << YAML::Key << "seed" << YAML::Value << m.seed;
  out << YAML::Key << "profiles" << YAML::Value << YAML::BeginSeq;
  for (const auto& [name, p] : profiles) {
    out << YAML::BeginMap;
    // Upstream always reports a profile's core section, even with no core test in it.
    bool core = p.core.any() || p.gateway_api;
    if (core) emit_section(out, "core", p.core);
    if (p.extended.any()) {
      std::vector<std::string> supported, unsupported;
      if (p.gateway_api)
        split_gateway_api_features(*p.gateway_api, p.extended, supported, unsupported);
      else
        split_features(p.extended, supported, unsupported);
      emit_section(out, "extended", p.extended, supported, unsupported);
    }
    out << YAML::Key << "name" << YAML::Value << name;
    std::string summary;
    if (core) summary = summary_of("Core", p.core);
    if (p.extended.any()) summary.append(summary.empty() ? "" : " ").append(summary_of("Extended", p.extended));
    out << YAML::Key << "summary" << YAML::Value << summary;
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
  const Coverage& c = report.coverage;
  out << YAML::Key << "routeCoverage" << YAML::Value << YAML::BeginMap << YAML::Key << "percent" << YAML::Value
      << detail::format_percent(c.percent()) << YAML::Key << "reached" << YAML::Value << c.hit << YAML::Key << "total"
      << YAML::Value << c.total << YAML::EndMap;
  emit_list(out, "succeededProvisionalTests", {provisional_passed.begin(), provisional_passed.end()});
  out << YAML::EndMap;
  std::string header = "# gwsim conformance report in the shape of a Gateway API ConformanceReport (docs/report.md).\n";
  header +=
      any_gateway_api
          ? std::string(
                "# ISTIO-* profiles: gwsim scenarios against Istio's networking.istio.io APIs; GATEWAY-*: Gateway\n"
                "# API's conformance tests (") +
                gateway_api::kSuiteVersion + ") ported as scenarios.\n"
          : "# Tests are gwsim scenarios against Istio's networking.istio.io APIs, not Gateway API's suite.\n";
  return header + out.c_str() + "\n";
}

}  // namespace gwsim::conformance::report
