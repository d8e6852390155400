// Why a request went where it went (`gwsim route --explain`, failing steps of `gwsim run`, the
// report): for each stage of decide.h, what it considered and, for everything it did not take,
// the first reason: the listener for the Service port, the filter chains against the SNI, every
// virtual host domain against the Host (Envoy's order: exact, longest suffix wildcard, longest
// prefix wildcard, "*"), and each route of the chosen virtual host in order with the first
// condition that failed (which, expected, actual). Istio's pilot/pkg/simulation/traffic.go
// reports only the stage that failed; this says what came closest.
//
// It is built from the decision's own checks (the Service port lookup, select_filter_chain,
// VirtualHostTable::find, first_failed_condition), never a second matcher, so it cannot disagree
// with the decision: tests/engine/match/explain_test.cc holds the two together on random requests.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/http/request.h"
#include "engine/match/trace.h"
#include "engine/route/route_table.h"

namespace gwsim::match {

// The condition of a route's match the request failed first.
struct ConditionMiss {
  std::string condition;  // "path", "header version", "method", "query parameter q", "claim groups"
  std::string expected;   // "prefix /api", "exact v2", "present", "not exact v1", "absent"
  std::string actual;     // "/ping", "v1", "absent"
};

struct FilterChainCandidate {
  std::string name;
  std::vector<std::string> server_names;  // empty: any server name
  std::string tls_mode;                   // "" plaintext
  bool http = true;
  bool chosen = false;
  std::string why;  // why it was chosen or not
};

// One domain of one virtual host against the Host.
struct DomainCandidate {
  std::string virtual_host;
  std::string domain;
  std::string kind;  // "exact", "suffix wildcard", "prefix wildcard", "any"
  bool matches = false;
  bool chosen = false;  // the domain that selected the chosen virtual host
};

struct RouteCandidate {
  int index = 0;  // in the virtual host
  std::string name;
  std::string virtual_service;  // "ns/name"
  int http_index = 0;
  int match_index = -1;
  std::string source;  // file:line:col of the http route
  std::string match;   // its conditions, "prefix /api, header version exact v2"
  std::optional<ConditionMiss> miss;  // nullopt: the route matched
};

// An object or table entry that came close to taking the request, and why it did not.
struct NearMiss {
  std::string object;  // "VirtualService default/shop", "route #1", "cluster outbound|..."
  std::string source;  // file:line:col, when known
  std::string reason;
};

struct Explanation {
  // Where the request stopped: "listener", "filter chain", "virtual host", "route", "cluster",
  // or "" when a route (or a TCP chain) took it.
  std::string stopped_at;
  std::uint32_t service_port = 0;
  std::uint32_t target_port = 0;  // the pod port the Service port leads to; 0: no such Service port
  std::string listener;           // "" none
  std::vector<std::string> listeners;
  std::string sni;  // "" none sent
  std::vector<FilterChainCandidate> filter_chains;
  std::string route_config;
  std::string host;  // the Host as domains are matched: lower-case, without port
  std::vector<DomainCandidate> domains;
  std::string virtual_host;
  std::vector<RouteCandidate> routes;  // in order, up to the one that matched
  int total_routes = 0;                // of the chosen virtual host
  int matched_route = -1;              // the index of the route that matched; -1 none
  std::string cluster;
  std::vector<NearMiss> near_misses;  // nearest first
  std::string summary;                // one line: the outcome and what came closest

  nlohmann::json to_json() const;
  // Multi-line, each line indented two spaces (as DecisionTrace::to_text); long lists shortened.
  std::string to_text() const;
};

// Explains `request` (as the route stage saw it, after jwt_authn) through `table`; `decided` is
// the decision's trace, whose outcome and picked cluster (a weighted pick is random) the cluster
// stage explains; `claims`: what jwt_authn verified (null: no token), for claim matches.
Explanation explain(const route::RouteTable& table, const http::Request& request, const DecisionTrace& decided,
                    const nlohmann::json& claims = nlohmann::json());

// Describes a matcher as the explanation does: "exact v2", "prefix /a", "regex ^a.*", "present".
std::string describe_matcher(const route::StringMatcher& matcher);
// A route's match conditions, "prefix /api, header version exact v2" ("any request" when none).
std::string describe_match(const route::RouteMatch& match);

}  // namespace gwsim::match
