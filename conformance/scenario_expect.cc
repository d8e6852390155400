// A request step's `expect` block: the outcome, per-response checks and a distribution
// (docs/scenario-format.md).
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "conformance/scenario_parser.h"
#include "engine/match/trace.h"
#include "engine/model/snapshot.h"

namespace gwsim::conformance::detail {

namespace {

const std::vector<std::string> kDistributionKeys = {"subset", "pod",     "service", "cluster",
                                                     "version", "status"};

}  // namespace

std::optional<Expectation> ScenarioParser::parse_expect(const Node& node, const std::string& path) {
  static const std::vector<std::string> kFields = {
      "status",          "responseFlags", "refused",       "closed",   "outcome",    "body",
      "bodyContains",    "headers",       "absentHeaders", "route",    "cluster",    "backend",
      "upstreamRequest", "attempts",      "distribution",  "rejected", "unsimulated"};
  if (!p_.mapping(node, path, kFields)) return std::nullopt;
  if (node.size() == 0) {
    p_.error(node, path + ": no expectation given; a step with `expect` must assert something");
    return std::nullopt;
  }
  Expectation e;
  auto field = [&](const char* key) { return path + "." + key; };
  const Node status = node["status"];
  if (status.IsDefined()) {
    if (status.IsSequence()) {
      if (status.size() == 0) p_.error(status, field("status") + ": expected at least one status code");
      for (std::size_t i = 0; i < status.size(); ++i)
        if (auto v = p_.integer(status[i], field("status") + "[" + std::to_string(i) + "]", 100, 599))
          e.status.push_back(static_cast<int>(*v));
    } else if (auto v = p_.integer(status, field("status"), 100, 599)) {
      e.status.push_back(static_cast<int>(*v));
    }
  }
  if (node["responseFlags"].IsDefined())
    e.response_flags = p_.string(node["responseFlags"], field("responseFlags"));
  if (node["refused"].IsDefined()) e.refused = p_.boolean(node["refused"], field("refused"));
  if (node["closed"].IsDefined()) e.closed = p_.boolean(node["closed"], field("closed"));
  if (node["outcome"].IsDefined()) {
    e.outcome = p_.string(node["outcome"], field("outcome"));
    if (e.outcome && !match::outcome_named(*e.outcome)) {
      std::string names;
      for (match::Outcome o : match::kAllOutcomes) {
        if (!names.empty()) names += ", ";
        names += match::outcome_name(o);
      }
      p_.error(node["outcome"], field("outcome") + ": unknown outcome \"" + *e.outcome + "\"; one of " + names);
    }
  }
  if (node["body"].IsDefined()) e.body = p_.string(node["body"], field("body"));
  if (node["bodyContains"].IsDefined()) e.body_contains = p_.string(node["bodyContains"], field("bodyContains"));
  if (node["headers"].IsDefined()) e.headers = p_.string_map(node["headers"], field("headers"));
  if (node["absentHeaders"].IsDefined()) e.absent_headers = p_.string_list(node["absentHeaders"], field("absentHeaders"));
  if (node["cluster"].IsDefined()) e.cluster = p_.string(node["cluster"], field("cluster"));
  if (node["attempts"].IsDefined())
    if (auto v = p_.integer(node["attempts"], field("attempts"), 0, 1000)) e.attempts = static_cast<int>(*v);
  if (node["rejected"].IsDefined()) e.rejected = p_.string(node["rejected"], field("rejected"));
  if (node["unsimulated"].IsDefined()) e.unsimulated = p_.string_list(node["unsimulated"], field("unsimulated"));

  const Node route = node["route"];
  if (route.IsDefined()) {
    std::string rp = field("route");
    if (p_.mapping(route, rp,
                   {"gateway", "virtualService", "name", "index", "listener", "routeConfig", "virtualHost"})) {
      if (route.size() == 0) p_.error(route, rp + ": no field given; name what the route must be");
      RouteExpectation r;
      if (route["gateway"].IsDefined()) r.gateway = p_.string(route["gateway"], rp + ".gateway");
      if (route["virtualService"].IsDefined())
        r.virtual_service = p_.string(route["virtualService"], rp + ".virtualService");
      if (route["name"].IsDefined()) r.name = p_.string(route["name"], rp + ".name");
      if (route["index"].IsDefined())
        if (auto v = p_.integer(route["index"], rp + ".index", 0, 1000000)) r.index = static_cast<int>(*v);
      if (route["listener"].IsDefined()) r.listener = p_.string(route["listener"], rp + ".listener");
      if (route["routeConfig"].IsDefined()) r.route_config = p_.string(route["routeConfig"], rp + ".routeConfig");
      if (route["virtualHost"].IsDefined()) r.virtual_host = p_.string(route["virtualHost"], rp + ".virtualHost");
      e.route = r;
    }
  }

  const Node backend = node["backend"];
  if (backend.IsDefined()) {
    std::string bp = field("backend");
    if (p_.mapping(backend, bp, {"service", "port", "subset", "pod", "podLabels"})) {
      if (backend.size() == 0) p_.error(backend, bp + ": no field given; name what the backend must be");
      BackendExpectation b;
      if (backend["service"].IsDefined()) {
        b.service = p_.string(backend["service"], bp + ".service");
        if (b.service && b.service->find('/') == std::string::npos) b.service = "default/" + *b.service;
      }
      if (backend["port"].IsDefined())
        if (auto v = p_.integer(backend["port"], bp + ".port", 1, 65535)) b.port = static_cast<std::uint32_t>(*v);
      if (backend["subset"].IsDefined()) b.subset = p_.string(backend["subset"], bp + ".subset");
      if (backend["pod"].IsDefined()) b.pod = p_.string(backend["pod"], bp + ".pod");
      if (backend["podLabels"].IsDefined())
        for (auto& [k, v] : p_.string_map(backend["podLabels"], bp + ".podLabels")) b.pod_labels[k] = v;
      e.backend = b;
    }
  }

  const Node upstream = node["upstreamRequest"];
  if (upstream.IsDefined()) {
    std::string up = field("upstreamRequest");
    if (p_.mapping(upstream, up, {"host", "path", "headers", "absentHeaders", "method", "tls", "sni", "protocol"})) {
      if (upstream.size() == 0) p_.error(upstream, up + ": no field given; name what the backend must receive");
      UpstreamRequestExpectation u;
      if (upstream["host"].IsDefined()) u.host = p_.string(upstream["host"], up + ".host");
      if (upstream["path"].IsDefined()) u.path = p_.string(upstream["path"], up + ".path");
      if (upstream["headers"].IsDefined()) u.headers = p_.string_map(upstream["headers"], up + ".headers");
      if (upstream["absentHeaders"].IsDefined())
        u.absent_headers = p_.string_list(upstream["absentHeaders"], up + ".absentHeaders");
      if (upstream["method"].IsDefined()) u.method = p_.string(upstream["method"], up + ".method");
      if (upstream["tls"].IsDefined()) u.tls = p_.boolean(upstream["tls"], up + ".tls");
      if (upstream["sni"].IsDefined()) u.sni = p_.string(upstream["sni"], up + ".sni");
      if (upstream["protocol"].IsDefined()) {
        u.protocol = p_.string(upstream["protocol"], up + ".protocol");
        if (u.protocol && *u.protocol != "HTTP/1.1" && *u.protocol != "HTTP/2")
          p_.error(upstream["protocol"], up + ".protocol: expected HTTP/1.1 or HTTP/2, got \"" + *u.protocol + "\"");
      }
      e.upstream_request = u;
    }
  }

  const Node distribution = node["distribution"];
  if (distribution.IsDefined()) {
    std::string dp = field("distribution");
    if (p_.mapping(distribution, dp, {"by", "expected", "tolerance", "distinct"})) {
      DistributionExpectation d;
      if (!distribution["by"].IsDefined()) {
        p_.error(distribution, dp + ".by is required (" + join(kDistributionKeys, " | ") + " | label:<key>)");
      } else if (auto by = p_.string(distribution["by"], dp + ".by")) {
        bool label = by->rfind("label:", 0) == 0 && by->size() > 6;
        if (!label && std::find(kDistributionKeys.begin(), kDistributionKeys.end(), *by) == kDistributionKeys.end()) {
          std::string hint = text::closest_name(*by, kDistributionKeys);
          p_.error(distribution["by"], dp + ".by: unknown key \"" + *by + "\"" +
                                           (hint.empty() ? " (allowed: " + join(kDistributionKeys, " | ") +
                                                               " | label:<key>)"
                                                         : "; did you mean \"" + hint + "\"?"));
        }
        d.by = *by;
      }
      const Node expected = distribution["expected"];
      if (expected.IsDefined()) {
        if (!expected.IsMap() || expected.size() == 0) {
          p_.error(expected, dp + ".expected: expected a mapping of keys to shares" + StrictYamlReader::kind_suffix(expected));
        } else {
          double sum = 0;
          for (auto it = expected.begin(); it != expected.end(); ++it) {
            auto key = p_.string(it->first, dp + ".expected");
            auto share = p_.number(it->second, dp + ".expected." + (key ? *key : "?"), 0.0, 1.0);
            if (key && share) {
              d.expected[*key] = *share;
              sum += *share;
            }
          }
          if (std::abs(sum - 1.0) > 1e-6) {
            std::ostringstream msg;
            msg << dp << ".expected: shares add up to " << sum << ", not 1 (keys not listed are expected at 0)";
            p_.error(expected, msg.str());
          }
        }
      }
      if (distribution["tolerance"].IsDefined())
        if (auto v = p_.number(distribution["tolerance"], dp + ".tolerance", 0.0, 1.0)) d.tolerance = *v;
      if (distribution["distinct"].IsDefined())
        if (auto v = p_.integer(distribution["distinct"], dp + ".distinct", 1, 1000000)) d.distinct = static_cast<int>(*v);
      if (!expected.IsDefined() && !d.distinct)
        p_.error(distribution, dp + ": give `expected` shares and/or `distinct`");
      e.distribution = d;
    }
  }
  return e;
}


}  // namespace gwsim::conformance::detail
