// Checking a step's `expect` against what happened: per response (every response of a
// request step must satisfy every per-response field) and over all responses (distribution).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "conformance/scenario.h"
#include "engine/http/request.h"
#include "engine/http/response.h"
#include "engine/match/trace.h"
#include "engine/model/k8s.h"
#include "engine/route/route_table.h"

namespace gwsim::conformance {

// What one request produced, copied out of the Exchange so it outlives the route table.
struct Observation {
  match::DecisionTrace trace;
  http::Response response;
  std::optional<http::UpstreamRequest> upstream_request;
  // How the backend that received upstream_request was reached (what the fake pod reports).
  bool upstream_tls = false;
  std::string upstream_sni;
  std::string upstream_protocol = "HTTP/1.1";  // HTTP/1.1 or HTTP/2
  model::Labels pod_labels;  // of the pod that answered; empty when none did
  std::string unsupported;   // non-empty: the outcome depends on something not simulated yet
  // Objects gwsim does not simulate that apply to the gateway and may change this outcome
  // (RouteTable::unsimulated): never silently ignored.
  std::vector<route::UnsimulatedRef> unsimulated;
  // non-empty: this mode cannot carry the request (datapath: HTTP/2, gRPC, upgrades); why.
  // Nothing was sent, nothing is checked: the step is reported as not runnable, not passed.
  std::string not_runnable;
  // Decision mode, when jwt_authn ran: the request the route stage matched and the verified
  // claims (router::Exchange), for the explanation of a miss.
  std::optional<http::Request> routed_request;
  nlohmann::json claims;
};

// One expectation field that did not hold.
struct Mismatch {
  std::string field;  // "status", "route.virtualService", "upstreamRequest.headers.x-a", ...
  std::string expected;
  std::string actual;
  std::string to_string() const;  // "status: expected 200, got 404"
};

// "Kind namespace/name" of each, sorted: how scenarios, run output and reports name them.
std::vector<std::string> unsimulated_names(const std::vector<route::UnsimulatedRef>& refs);

// Every per-response field of `expect` (all but distribution and rejected).
std::vector<Mismatch> check_response(const Expectation& expect, const Observation& observation);

// The distribution key of one response ("" when the response has none, e.g. no pod).
std::string distribution_key(const std::string& by, const Observation& observation);

struct DistributionReport {
  std::vector<Mismatch> mismatches;
  std::map<std::string, int> counts;  // key -> responses
  int total = 0;
  std::string table;  // "  v1  0.900 (expected 0.900 +- 0.050)" per key, for failure output
};

DistributionReport check_distribution(const DistributionExpectation& expect,
                                      const std::vector<Observation>& observations);

namespace detail {
// "ns/name" pod reference -> "name".
std::string pod_name_of(const std::string& pod_reference);
// Case-insensitive header lookup in a lower-cased (or any) header list; nullptr when absent.
const std::string* find_header(const std::vector<std::pair<std::string, std::string>>& headers,
                               std::string_view name);
// Every value of a header (case-insensitive name) joined with ",", as the echo server reports a
// header received several times; nullopt when absent.
std::optional<std::string> joined_header(const std::vector<std::pair<std::string, std::string>>& headers,
                                         std::string_view name);
std::string quote(const std::string& text);
}  // namespace detail

}  // namespace gwsim::conformance
