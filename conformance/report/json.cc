// conformance.json: the whole run, documented in docs/report.md and docs/report.schema.json.
#include <cmath>

#include <nlohmann/json.hpp>

#include "conformance/report/report.h"

namespace gwsim::conformance::report {

namespace {

using Json = nlohmann::ordered_json;

// Durations at microsecond precision: more digits are noise.
double rounded_ms(double ms) { return std::round(ms * 1000.0) / 1000.0; }
double rounded_percent(double p) { return std::round(p * 100.0) / 100.0; }

Json headers_json(const HeaderList& headers) {
  Json j = Json::object();
  for (const auto& [k, v] : headers) j[k] = v;
  return j;
}

// The `expect` block, with the scenario format's field names; only the fields given.
Json expectation_json(const Expectation& e) {
  Json j = Json::object();
  if (!e.status.empty()) j["status"] = e.status.size() == 1 ? Json(e.status.front()) : Json(e.status);
  if (e.response_flags) j["responseFlags"] = *e.response_flags;
  if (e.refused) j["refused"] = *e.refused;
  if (e.closed) j["closed"] = *e.closed;
  if (e.outcome) j["outcome"] = *e.outcome;
  if (e.body) j["body"] = *e.body;
  if (e.body_contains) j["bodyContains"] = *e.body_contains;
  if (!e.headers.empty()) j["headers"] = headers_json(e.headers);
  if (!e.absent_headers.empty()) j["absentHeaders"] = e.absent_headers;
  if (e.route) {
    Json r = Json::object();
    const RouteExpectation& x = *e.route;
    if (x.gateway) r["gateway"] = *x.gateway;
    if (x.virtual_service) r["virtualService"] = *x.virtual_service;
    if (x.name) r["name"] = *x.name;
    if (x.index) r["index"] = *x.index;
    if (x.listener) r["listener"] = *x.listener;
    if (x.route_config) r["routeConfig"] = *x.route_config;
    if (x.virtual_host) r["virtualHost"] = *x.virtual_host;
    j["route"] = r;
  }
  if (e.cluster) j["cluster"] = *e.cluster;
  if (e.backend) {
    Json b = Json::object();
    const BackendExpectation& x = *e.backend;
    if (x.service) b["service"] = *x.service;
    if (x.port) b["port"] = *x.port;
    if (x.subset) b["subset"] = *x.subset;
    if (x.pod) b["pod"] = *x.pod;
    if (!x.pod_labels.empty()) b["podLabels"] = x.pod_labels;
    j["backend"] = b;
  }
  if (e.upstream_request) {
    Json u = Json::object();
    const UpstreamRequestExpectation& x = *e.upstream_request;
    if (x.host) u["host"] = *x.host;
    if (x.path) u["path"] = *x.path;
    if (!x.headers.empty()) u["headers"] = headers_json(x.headers);
    if (!x.absent_headers.empty()) u["absentHeaders"] = x.absent_headers;
    j["upstreamRequest"] = u;
  }
  if (e.attempts) j["attempts"] = *e.attempts;
  if (e.unsimulated) j["unsimulated"] = *e.unsimulated;
  if (e.distribution) {
    Json d = {{"by", e.distribution->by}, {"tolerance", e.distribution->tolerance}};
    if (!e.distribution->expected.empty()) d["expected"] = e.distribution->expected;
    if (e.distribution->distinct) d["distinct"] = *e.distribution->distinct;
    j["distribution"] = d;
  }
  if (e.rejected) j["rejected"] = *e.rejected;
  return j;
}

// What the first response showed, in the same vocabulary as `expected`.
Json actual_json(const StepResult& step) {
  if (step.traces.empty()) return nullptr;
  const match::DecisionTrace& t = step.traces.front();
  Json j = {{"status", t.status},
            {"responseFlags", t.response_flags},
            {"outcome", match::outcome_name(t.outcome)},
            {"route",
             {{"gateway", t.gateway},
              {"virtualService", t.virtual_service},
              {"name", t.route_name},
              {"index", t.http_index},
              {"listener", t.listener},
              {"routeConfig", t.route_config},
              {"virtualHost", t.virtual_host}}},
            {"cluster", t.cluster},
            {"backend",
             {{"service", t.service}, {"port", t.service_port_upstream}, {"subset", t.subset}, {"pod", t.pod}}},
            {"attempts", static_cast<int>(t.attempts.size())}};
  return j;
}

Json step_json(const ScenarioResult& scenario, const StepResult& step, bool timestamps) {
  Json j = {{"name", step.name}, {"action", step.action}, {"status", step_status_name(scenario, step)},
            {"where", step.where}};
  if (timestamps) j["durationMs"] = rounded_ms(step.duration_ms);
  if (!step.request.empty()) {
    j["request"] = step.request;
    j["responses"] = step.responses;
    j["failedResponses"] = step.failed_responses;
  }
  j["expected"] = step.expect ? expectation_json(*step.expect) : Json(nullptr);
  j["actual"] = actual_json(step);
  Json mismatches = Json::array();
  for (const auto& m : step.mismatches)
    mismatches.push_back({{"field", m.field}, {"expected", m.expected}, {"actual", m.actual}});
  j["mismatches"] = mismatches;
  if (!step.unsupported.empty()) j["unsupported"] = step.unsupported;
  if (!step.unsimulated.empty()) j["unsimulated"] = step.unsimulated;
  if (step.distribution) {
    const DistributionResult& d = *step.distribution;
    Json observed = Json::object();
    for (const auto& [k, n] : d.counts) observed[k.empty() ? "(none)" : k] = n;
    Json dj = {{"by", d.by}, {"tolerance", d.tolerance}, {"total", d.total}, {"observed", observed}};
    dj["expected"] = d.expected.empty() ? Json(nullptr) : Json(d.expected);
    dj["distinct"] = d.distinct ? Json(*d.distinct) : Json(nullptr);
    j["distribution"] = dj;
  }
  Json hits = Json::object();
  for (const auto& [id, n] : step.route_hits) hits[id] = n;
  j["routeHits"] = hits;
  Json traces = Json::array();
  for (const auto& t : step.traces) traces.push_back(Json(t.to_json()));
  j["traces"] = traces;
  j["details"] = step.details;
  if (!step.explanation.empty()) j["explanation"] = {{"summary", step.explanation_summary}, {"text", step.explanation}};
  return j;
}

Json scenario_json(const ScenarioResult& r, bool timestamps) {
  Json j = {{"name", r.name},
            {"file", r.file},
            {"status", scenario_status_name(r.status)},
            {"description", r.description},
            {"features", r.features},
            {"references", r.references}};
  j["knownDeviation"] = r.known_deviation.empty() ? Json(nullptr) : Json(r.known_deviation);
  if (!r.unsimulated.empty()) j["unsimulated"] = r.unsimulated;  // outcomes they may change: marked
  if (timestamps) j["durationMs"] = rounded_ms(r.duration_ms);
  Json errors = Json::array();
  for (const auto& e : r.errors) errors.push_back(e.to_string());
  j["errors"] = errors;
  j["warnings"] = r.warnings;
  Json steps = Json::array();
  for (const auto& s : r.steps) steps.push_back(step_json(r, s, timestamps));
  j["steps"] = steps;
  return j;
}

Json target_json(const CoverageRoute& route) {
  const RouteTarget& t = route.target;
  Json j = {{"id", t.id}, {"kind", t.kind}, {"label", t.label()}, {"virtualService", t.virtual_service},
            {"gateway", t.gateway}};
  if (t.kind == "http") {
    j["index"] = t.index;
    j["matchIndex"] = t.match_index;
    j["name"] = t.name;
  } else {
    j["match"] = t.match;
  }
  j["destination"] = t.destination.empty() ? Json(nullptr) : Json(t.destination);
  j["weight"] = t.destination.empty() ? Json(nullptr) : Json(t.weight);
  j["action"] = t.action.empty() ? Json(nullptr) : Json(t.action);
  j["source"] = t.source;
  j["hits"] = route.hits;
  j["scenarios"] = route.scenarios;
  return j;
}

}  // namespace

std::string to_json(const Report& report) {
  const ReportMeta& m = report.meta;
  Json j;
  j["schemaVersion"] = kReportSchemaVersion;
  j["gwsim"] = {{"version", m.gwsim_version}};
  j["istio"] = {{"release", m.istio_release}, {"behaviourVersion", m.istio_version}};
  j["date"] = m.timestamps && !m.date.empty() ? Json(m.date) : Json(nullptr);
  j["seed"] = m.seed;
  j["mode"] = m.mode;
  j["paths"] = m.paths;

  const RunSummary& s = report.summary;
  Json summary = {{"scenarios", static_cast<int>(report.scenarios.size())},
                  {"passed", s.passed},
                  {"failed", s.failed},
                  {"knownDeviations", s.known_deviations},
                  {"unexpectedPasses", s.unexpected_passes},
                  {"badInput", s.bad_input},
                  {"skipped", s.skipped},
                  {"steps",
                   {{"total", report.steps.total},
                    {"passed", report.steps.passed},
                    {"failed", report.steps.failed},
                    {"xfailed", report.steps.xfailed}}},
                  {"exitCode", report.exit_code()}};
  if (m.timestamps) {
    double total = 0;
    for (const auto& r : report.scenarios) total += r.duration_ms;
    summary["durationMs"] = rounded_ms(total);
  }
  j["summary"] = summary;

  Json features = Json::array();
  for (const auto& f : report.features)
    features.push_back({{"name", f.name},
                        {"status", f.status()},
                        {"scenarios", f.scenarios},
                        {"passed", f.passed},
                        {"failed", f.failed},
                        {"knownDeviations", f.known_deviations},
                        {"unexpectedPasses", f.unexpected_passes},
                        {"skipped", f.skipped}});
  j["features"] = features;

  const Coverage& c = report.coverage;
  Json routes = Json::array();
  Json unreached = Json::array();
  for (const auto& r : c.routes) {
    routes.push_back(target_json(r));
    if (r.hits == 0) unreached.push_back(r.target.id);
  }
  Json coverage = {{"total", c.total}, {"hit", c.hit}, {"percent", rounded_percent(c.percent())}};
  coverage["minimum"] = m.min_coverage ? Json(*m.min_coverage) : Json(nullptr);
  coverage["belowMinimum"] = m.min_coverage ? c.below(*m.min_coverage) : false;
  coverage["unreached"] = unreached;
  coverage["routes"] = routes;
  j["coverage"] = coverage;

  Json known = Json::array();
  for (const auto& k : report.known_deviations)
    known.push_back({{"scenario", k.scenario}, {"file", k.file}, {"reason", k.reason}, {"unexpectedPass", k.unexpected_pass}});
  j["knownDeviations"] = known;

  Json met = Json::array();
  for (const auto& u : report.unsimulated) met.push_back({{"object", u.object}, {"scenarios", u.scenarios}});
  j["unsimulated"] = {{"kinds", report.unsimulated_kinds}, {"objects", met}};

  Json scenarios = Json::array();
  for (const auto& r : report.scenarios) scenarios.push_back(scenario_json(r, m.timestamps));
  j["scenarios"] = scenarios;
  // Bodies may hold anything: invalid UTF-8 is replaced rather than thrown on.
  return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace gwsim::conformance::report
