#include "engine/router/tcp_proxy.h"

#include "engine/text/ascii.h"

namespace gwsim::router {

Exchange tcp_proxy(const route::RouteTable& table, const http::Request& request, match::RoutingResult routing,
                   lb::Random& rng, lb::LoadBalancerState& lb_state, const UpstreamCall& upstream) {
  Exchange ex;
  ex.trace = std::move(routing.trace);
  match::DecisionTrace& t = ex.trace;
  t.status = 0;
  if (t.outcome != match::Outcome::kRouted) return ex;
  const route::Endpoint* e = lb::choose_endpoint(*routing.cluster, request, rng, lb_state);
  if (!e) {
    t.outcome = match::Outcome::kNoHealthyUpstream;
    t.response_flags = "UH";
    t.detail = "no healthy endpoint in " + routing.cluster->name + ": the connection is closed";
    return ex;
  }
  http::UpstreamRequest up;
  up.method = request.method;
  up.scheme = request.scheme;
  up.authority = request.host;
  up.path = request.path;
  up.client_ip = table.proxy.pod_ip;
  for (const auto& [k, v] : request.headers) up.headers.emplace_back(text::to_lower(k), v);
  http::UpstreamResponse resp = upstream(*e, up, AttemptContext{});
  t.attempts.push_back(match::Attempt{endpoint_ref(*e), pod_ref(*e), resp.connected ? resp.status : 0,
                                      resp.connected ? "" : "connection failure"});
  t.pod = pod_ref(*e);
  t.endpoint = endpoint_ref(*e);
  ex.endpoint = e;
  ex.upstream_request = std::move(up);
  if (!resp.connected) {
    t.outcome = match::Outcome::kUpstreamFailure;
    t.response_flags = "UF";
    t.detail = "connection to " + t.endpoint + " failed: the client connection is closed";
    return ex;
  }
  t.status = resp.status;
  ex.response.status = resp.status;
  for (const auto& [k, v] : resp.headers) ex.response.headers.emplace_back(text::to_lower(k), v);
  ex.response.body = std::move(resp.body);
  return ex;
}

}  // namespace gwsim::router
