#include "engine/router/router.h"

#include <array>
#include <set>

#include "engine/http/connection_manager.h"
#include "engine/http/http1_codec.h"
#include "engine/match/cluster_pick.h"
#include "engine/match/remote_address.h"
#include "engine/match/route_match.h"
#include "engine/match/virtual_host.h"
#include "engine/router/cors.h"
#include "engine/router/edge_headers.h"
#include "engine/router/fault.h"
#include "engine/router/http_filter.h"
#include "engine/router/jwt_authn.h"
#include "engine/router/local_reply.h"
#include "engine/router/rbac.h"
#include "engine/router/rewrite.h"
#include "engine/router/tcp_proxy.h"
#include "engine/text/ascii.h"

namespace gwsim::router {

namespace {

// The gateway's HTTP filters, in Envoy's order (Istio's gateway: cors, fault, then the router).
constexpr std::array<HttpFilter, 3> kHttpFilters = {kRbacFilter, kCorsFilter, kFaultFilter};


// The request as it leaves the gateway: rewrites, Envoy's edge headers, header operations.
http::UpstreamRequest upstream_request(const route::RouteTable& table, const http::Request& request,
                                       const match::RoutingResult& routing, lb::Random& rng) {
  const route::Route& route = *routing.route;
  const route::RouteAction& action = route.route;
  http::UpstreamRequest up;
  up.method = request.method;
  up.scheme = request.scheme;
  up.authority = action.host_rewrite                         ? *action.host_rewrite
                 : !routing.destination->host_rewrite.empty() ? routing.destination->host_rewrite
                                                              : request.host;
  up.path = rewrite_path(action, route, request.path);
  up.client_ip = table.proxy.pod_ip;
  mutate_request_headers(table, request, routing.remote_address, rng, up.headers);
  if (action.prefix_rewrite || action.regex_rewrite) set_header(up.headers, "x-envoy-original-path", request.path);
  apply_header_ops(up.headers, routing.destination->request_headers);
  apply_header_ops(up.headers, route.request_headers);
  return up;
}

// The router's attempts on the routed request (Envoy's Router::Filter with RetryStateImpl).
void route_upstream(const route::RouteTable& table, const http::Request& request, FilterState& s,
                    lb::LoadBalancerState& lb_state, const UpstreamCall& upstream, Exchange& ex) {
  match::RoutingResult& routing = s.routing;
  match::DecisionTrace& t = routing.trace;
  const route::Route& route = *routing.route;
  const route::RouteAction& action = route.route;
  auto finish_local = [&](match::Outcome outcome) {
    t.outcome = outcome;
    send_local_reply(routing, request, t, ex.response);
  };

  const http::UpstreamRequest up = upstream_request(table, request, routing, s.rng);
  // Mirrors: a copy goes to each mirror cluster (per its percentage); its answer is ignored.
  for (const auto& m : action.mirrors) {
    if (percent_hit(m.percent, s.rng)) t.mirrors.push_back(m.cluster);
  }
  RetryState retry(action);
  AttemptContext context;
  context.route = &route;
  context.max_attempts = retry.max_attempts();
  context.per_try_timeout = retry.per_try_timeout();
  context.fault_delay = s.fault_delay;
  std::set<std::string> tried;
  http::UpstreamResponse last;
  RetryState::Timing timing;
  bool retries_exhausted = false;
  for (std::uint32_t attempt = 1; attempt <= retry.max_attempts(); ++attempt) {
    const route::Endpoint* e = retry.retry_previous_hosts()
                                   ? lb::choose_endpoint(*routing.cluster, request, s.rng, lb_state, tried)
                                   : lb::choose_endpoint(*routing.cluster, request, s.rng, lb_state);
    if (!e) {
      if (attempt == 1) {
        t.response_flags = "UH";
        finish_local(match::Outcome::kNoHealthyUpstream);
        return;
      }
      break;
    }
    tried.insert(endpoint_ref(*e));
    http::UpstreamRequest sent = up;
    set_header(sent.headers, "x-envoy-attempt-count", std::to_string(attempt));
    context.attempt = attempt;
    context.budget = retry.attempt_budget();
    last = upstream(*e, sent, context);
    timing = retry.record(last);
    t.pod = pod_ref(*e);
    t.endpoint = endpoint_ref(*e);
    ex.endpoint = e;
    ex.upstream_request = std::move(sent);
    if (timing.route_timeout) {
      // The route's overall timeout fires first: Envoy answers 504 and stops retrying.
      t.attempts.push_back(match::Attempt{endpoint_ref(*e), pod_ref(*e), 0, "route timeout"});
      t.response_flags = "UT";
      t.detail = "no response within the route timeout of " + std::to_string(retry.route_timeout()) + "ms";
      finish_local(match::Outcome::kUpstreamTimeout);
      return;
    }
    t.attempts.push_back(match::Attempt{endpoint_ref(*e), pod_ref(*e),
                                        last.connected && !timing.per_try_timeout ? last.status : 0,
                                        !last.connected          ? (last.terminated ? "connection termination"
                                                                                    : "connection failure")
                                        : timing.per_try_timeout ? "per-try timeout"
                                                                 : ""});
    if (!retry.retriable(last, timing)) break;
    if (attempt == retry.max_attempts()) retries_exhausted = true;
  }

  if (timing.per_try_timeout) {
    t.response_flags = retries_exhausted ? "UT,URX" : "UT";
    t.detail = "no response within the per-try timeout of " + std::to_string(retry.per_try_timeout()) + "ms";
    finish_local(match::Outcome::kUpstreamTimeout);
    return;
  }
  if (!last.connected) {
    // Router::Filter::onUpstreamReset: the reset reason gives the flag, UF for a connection that
    // failed, UC for one the upstream ended after the request was sent.
    const char* flag = last.terminated ? "UC" : "UF";
    t.response_flags = retries_exhausted ? std::string(flag) + ",URX" : std::string(flag);
    t.detail = last.terminated ? "connection termination" : "connection failure";
    finish_local(match::Outcome::kUpstreamFailure);
    return;
  }
  t.outcome = match::Outcome::kRouted;
  t.status = last.status;
  if (retries_exhausted) t.response_flags = "URX";
  ex.response.status = last.status;
  for (const auto& [k, v] : last.headers) ex.response.headers.emplace_back(text::to_lower(k), v);
  ex.response.body = std::move(last.body);
  set_header(ex.response.headers, "server", "istio-envoy");
  set_header(ex.response.headers, "x-envoy-upstream-service-time", "0");
  encode_headers(kHttpFilters, s, ex.response.headers);
  apply_header_ops(ex.response.headers, routing.destination->response_headers);
  apply_header_ops(ex.response.headers, route.response_headers);
}

Exchange exchange_http(const route::RouteTable& table, const http::Request& request, match::RoutingResult routing,
                       lb::Random& rng, lb::LoadBalancerState& lb_state, const UpstreamCall& upstream);

}  // namespace

Exchange exchange(const route::RouteTable& table, const http::Request& request, lb::Random& rng,
                  lb::LoadBalancerState& lb_state, const UpstreamCall& upstream) {
  match::RoutingResult connection;
  match::match_connection(table, request, connection);
  return exchange(table, request, std::move(connection), rng, lb_state, upstream);
}

Exchange exchange(const route::RouteTable& table, const http::Request& request, match::RoutingResult routing,
                  lb::Random& rng, lb::LoadBalancerState& lb_state, const UpstreamCall& upstream) {
  if (!routing.filter_chain || routing.trace.outcome != match::Outcome::kRouted) {
    Exchange ex;
    send_local_reply(routing, request, routing.trace, ex.response);
    ex.trace = std::move(routing.trace);
    return ex;
  }
  if (!routing.filter_chain->http) {
    if (!rbac_on_new_connection(table, request, routing)) {
      Exchange ex;
      ex.trace = std::move(routing.trace);
      return ex;
    }
    match::pick_cluster(table, rng, routing);
    return tcp_proxy(table, request, std::move(routing), rng, lb_state, upstream);
  }
  // Envoy's HTTP/1 codec, then its connection manager, before any filter or route
  // (http1_codec.h, connection_manager.h): what they refuse is answered here, and everything after
  // sees the request they hand on (its authority, its normalised path), the upstream included.
  http::Request decoded = request;
  std::optional<http::RequestRejection> rejection = http::http1_codec_decode(decoded);
  if (!rejection) rejection = http::connection_manager_decode(decoded);
  if (rejection) {
    match::DecisionTrace& t = routing.trace;
    t.outcome = match::Outcome::kRequestRejected;
    t.status = rejection->status;
    t.detail = std::string(rejection->details);
    // The codec's errors are downstream protocol errors (DPE).
    if (t.detail.starts_with("http1.")) t.response_flags = "DPE";
    Exchange ex;
    send_local_reply(routing, decoded, t, ex.response);
    ex.trace = std::move(t);
    return ex;
  }
  Exchange ex = exchange_http(table, decoded, std::move(routing), rng, lb_state, upstream);
  // An explanation must see the request the route stage matched: keep it when the codec or the
  // path normalisation changed what routing reads (moved, not copied).
  if (!ex.routed_request && (decoded.path != request.path || decoded.host != request.host))
    ex.routed_request = std::move(decoded);
  return ex;
}

namespace {

// The HTTP filters and the router on a request the connection manager accepted.
Exchange exchange_http(const route::RouteTable& table, const http::Request& request, match::RoutingResult routing,
                       lb::Random& rng, lb::LoadBalancerState& lb_state, const UpstreamCall& upstream) {
  // As match::route_request: the downstream address, once, before the stages and filters.
  match::detect_remote_address(table, request, routing);
  // jwt_authn, the first HTTP filter, clears the route cache (see jwt_authn.h): the route stages
  // and every filter after it see the request it leaves.
  Exchange ex;
  http::Request authenticated;
  if (table.jwt_authn) {
    authenticated = request;
    if (jwt_authn_decode_headers(table, authenticated, routing, ex.response, jwt_clock_now()) ==
        FilterStatus::kLocalReply) {
      ex.trace = std::move(routing.trace);
      return ex;
    }
  }
  const http::Request& filtered = table.jwt_authn ? authenticated : request;
  const bool routed = match::match_virtual_host(table, filtered, routing) && match::match_route(filtered, routing);
  // The fault filter's abort is drawn before the cluster stage (see fault.h), then the filters
  // run in Envoy's order on whatever the stages decided: a CORS preflight is answered even on a
  // route that would abort, redirect or name a missing cluster.
  const bool aborted = routed && decide_fault_abort(routing, rng);
  if (routed && !aborted) match::pick_cluster(table, rng, routing);

  FilterState state{table, filtered, routing, rng, ex.response};
  state.fault_abort = aborted;
  if (decode_headers(kHttpFilters, state) == FilterStatus::kContinue) {
    if (routing.trace.outcome != match::Outcome::kRouted) {
      send_local_reply(routing, filtered, routing.trace, ex.response);
    } else {
      ex.fault_delay = state.fault_delay;
      route_upstream(table, filtered, state, lb_state, upstream, ex);
    }
  }
  if (table.jwt_authn) {
    ex.routed_request = std::move(authenticated);
    ex.claims = std::move(routing.authn.claims);
  }
  ex.trace = std::move(routing.trace);
  return ex;
}

}  // namespace

}  // namespace gwsim::router
