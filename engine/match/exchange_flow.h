// exchange() in steps, for a data path whose upstream calls are asynchronous (engine/datapath).
//
// match::exchange() runs a whole request with a synchronous upstream callback. A proxy on real
// sockets cannot block, so ExchangeFlow offers the same decisions one step at a time:
//
//   ExchangeFlow flow(table, request, rng);      // route_request + local replies + CORS
//   switch (flow.step()) {
//     case kRespond: write flow.exchange().response
//     case kClose / kUnsupported: close the connection
//     case kTcp: flow.tcp_endpoint(...) then flow.tcp_connected(ok)
//     case kUpstream:
//       wait flow.fault_delay(); while (auto* e = flow.begin_attempt(rng, lb)) {
//         send flow.attempt_request() to e; if (!flow.end_attempt(response)) break; }
//   }
//
// Every decision and every draw from `rng` happens in the same order as in exchange(), so a
// seeded run makes the same choices in decision mode and in datapath mode
// (tests/engine/exchange_flow_test.cc runs the conformance suite through both and compares).
// Additions that only a real data path can see: per-try and route timeouts, the upstream
// service time, CORS.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/lb/load_balancer.h"
#include "engine/match/decide.h"
#include "engine/match/request.h"
#include "engine/route/route_table.h"

namespace gwsim::match {

// ---- Envoy behaviour shared by every data path (same semantics as decide.cc) ----------

namespace envoy {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

std::string lower(std::string_view s);
void set_header(HeaderList& headers, const std::string& name, const std::string& value);
void remove_header(HeaderList& headers, const std::string& name);
void apply_ops(HeaderList& headers, const route::HeaderOps& ops);
// A deterministic x-request-id in UUID v4 shape, drawn from the injected randomness.
std::string request_id(lb::Random& rng);
// Envoy treats loopback and RFC 1918 sources as internal (x-envoy-internal: true).
bool is_internal_address(const std::string& ip);
// A response Envoy makes itself (server: istio-envoy; text/plain body when there is one).
Response local_reply(int status, std::string body);
std::string host_without_port(std::string_view host);
std::string redirect_location(const route::RedirectAction& a, const Request& r, const route::Route& route);
std::string rewrite_path(const route::RouteAction& a, const route::Route& route, const std::string& original);
bool retriable(const route::RetryPolicy& p, const UpstreamResponse& resp);
// Whether a per-try timeout is retried (Envoy counts it as a 5xx / reset).
bool retriable_timeout(const route::RetryPolicy& p);
// Envoy's filter chain match on server name: exact, then the longest "*.suffix", then a chain
// without a server-name criterion. Draws nothing from any random source.
const route::FilterChain* select_filter_chain(const route::Listener& listener, std::string_view sni);
bool percent_hit(double percent, lb::Random& rng);
std::string endpoint_ref(const route::Endpoint& e);  // "ip:port"
std::string pod_ref(const route::Endpoint& e);       // "ns/name"

}  // namespace envoy

// ---- the steps ------------------------------------------------------------------------

class ExchangeFlow {
 public:
  enum class Step {
    kRespond,      // a local reply is ready in exchange().response (404, redirect, 503 NC, CORS, ...)
    kClose,        // no HTTP answer: close the connection (no listener, TLS error, no chain)
    kUnsupported,  // configuration gwsim does not simulate (the trace says what)
    kUpstream,     // an HTTP route: attempts follow
    kTcp,          // a TCP proxy chain (PASSTHROUGH, TCP): one connection to one endpoint
  };

  // `table` must outlive the flow; the request is copied (load balancers hash it).
  ExchangeFlow(const route::RouteTable& table, Request request, lb::Random& rng);

  Step step() const { return step_; }
  const Request& request() const { return request_; }
  const route::RouteTable& table() const { return table_; }
  const RoutingResult& routing() const { return routing_; }
  Exchange& exchange() { return ex_; }
  const DecisionTrace& trace() const { return ex_.trace; }

  // ---- kUpstream ----
  std::optional<model::Millis> fault_delay() const { return fault_delay_; }     // DI: wait first
  std::optional<model::Millis> route_timeout() const;    // all attempts together; nullopt: none
  std::optional<model::Millis> per_try_timeout() const;  // each attempt; nullopt: none
  const std::vector<route::Mirror>& mirrors() const;
  const UpstreamRequest& base_request() const { return up_; }  // before the attempt count

  // The endpoint of the next attempt, or nullptr when none follows: the response is then
  // final (503 UH when there was no attempt yet).
  const route::Endpoint* begin_attempt(lb::Random& rng, lb::LoadBalancerState& lb_state);
  const UpstreamRequest& attempt_request() const { return *ex_.upstream_request; }
  // The attempt's answer (connected=false: connection failure). Returns true when another
  // attempt follows; otherwise the response is final. `service_time_ms` becomes
  // x-envoy-upstream-service-time.
  bool end_attempt(const UpstreamResponse& response, std::int64_t service_time_ms = 0);
  // The attempt hit its per-try timeout. Returns true when another attempt follows.
  bool end_attempt_timeout();
  // The route timeout expired (during an attempt or the backoff): 504 UT, final.
  void route_timed_out();
  bool finished() const { return finished_; }

  // ---- kTcp ----
  const route::Endpoint* tcp_endpoint(lb::Random& rng, lb::LoadBalancerState& lb_state);  // nullptr: UH, close
  void tcp_connected(bool connected);  // UF when not

 private:
  void finish_local(int status, std::string body);
  void finish_from_last();
  bool cors_preflight();
  void add_cors_headers();

  const route::RouteTable& table_;
  Request request_;
  RoutingResult routing_;
  Exchange ex_;
  Step step_ = Step::kClose;
  const route::Cluster* cluster_ = nullptr;
  const route::Endpoint* tcp_endpoint_ = nullptr;
  std::optional<model::Millis> fault_delay_;
  UpstreamRequest up_;
  std::uint32_t max_attempts_ = 1;
  std::uint32_t attempt_ = 0;
  std::set<std::string> tried_;
  UpstreamResponse last_;
  std::int64_t last_service_time_ = 0;
  bool retries_exhausted_ = false;
  bool finished_ = false;
  std::string cors_origin_;  // allowed Origin of a CORS request, "" when none
};

// exchange() expressed with ExchangeFlow and a synchronous upstream: what the data path
// decides, without sockets. Used to check both paths agree.
Exchange exchange_in_steps(const route::RouteTable& table, const Request& request, lb::Random& rng,
                           lb::LoadBalancerState& lb_state, const UpstreamCall& upstream);

}  // namespace gwsim::match
