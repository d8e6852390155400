#include "engine/match/exchange_flow.h"

#include <algorithm>
#include <cstdio>
#include <strings.h>

#include <re2/re2.h>

namespace gwsim::match {

namespace envoy {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

bool has_token(std::string_view list, std::string_view what) {
  while (!list.empty()) {
    auto comma = list.find(',');
    if (list.substr(0, comma) == what) return true;
    if (comma == std::string_view::npos) break;
    list = list.substr(comma + 1);
  }
  return false;
}

// Envoy's server-name match for one chain: exact beats every wildcard; among "*.suffix"
// entries the longest wins. -1: no match.
int server_name_match(const std::vector<std::string>& names, std::string_view sni) {
  int best = -1;
  for (const auto& n : names) {
    if (iequals(n, sni)) return 1 << 20;
    if (n.size() > 1 && n[0] == '*' && n[1] == '.' && sni.size() > n.size() - 1 &&
        iequals(sni.substr(sni.size() - (n.size() - 1)), std::string_view(n).substr(1))) {
      best = std::max(best, static_cast<int>(n.size()));
    }
  }
  return best;
}

}  // namespace

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

void set_header(HeaderList& headers, const std::string& name, const std::string& value) {
  for (auto& [k, v] : headers) {
    if (k == name) {
      v = value;
      return;
    }
  }
  headers.emplace_back(name, value);
}

void remove_header(HeaderList& headers, const std::string& name) {
  headers.erase(std::remove_if(headers.begin(), headers.end(), [&](const auto& kv) { return kv.first == name; }),
                headers.end());
}

void apply_ops(HeaderList& headers, const route::HeaderOps& ops) {
  for (const auto& name : ops.remove) remove_header(headers, name);
  for (const auto& [k, v] : ops.set) set_header(headers, k, v);
  for (const auto& [k, v] : ops.add) headers.emplace_back(k, v);
}

std::string request_id(lb::Random& rng) {
  std::uint64_t a = rng.next(), b = rng.next();
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xffff), static_cast<unsigned>(a & 0xfff),
                static_cast<unsigned>(0x8000 | ((b >> 48) & 0x3fff)),
                static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return buf;
}

bool is_internal_address(const std::string& ip) {
  return ip.rfind("127.", 0) == 0 || ip.rfind("10.", 0) == 0 || ip.rfind("192.168.", 0) == 0 || ip == "::1" ||
         (ip.rfind("172.", 0) == 0 && [&] {
           int second = std::atoi(ip.c_str() + 4);
           return second >= 16 && second <= 31;
         }());
}

Response local_reply(int status, std::string body) {
  Response r;
  r.status = status;
  if (!body.empty()) {
    r.headers.emplace_back("content-length", std::to_string(body.size()));
    r.headers.emplace_back("content-type", "text/plain");
  }
  r.headers.emplace_back("server", "istio-envoy");
  r.body = std::move(body);
  return r;
}

std::string host_without_port(std::string_view host) {
  if (!host.empty() && host.front() == '[') {
    auto close = host.find(']');
    return std::string(close == std::string_view::npos ? host : host.substr(0, close + 1));
  }
  auto colon = host.rfind(':');
  if (colon != std::string_view::npos && host.find(':') == colon) return std::string(host.substr(0, colon));
  return std::string(host);
}

std::string redirect_location(const route::RedirectAction& a, const Request& r, const route::Route& route) {
  std::string scheme = a.scheme.empty() ? r.scheme : a.scheme;
  std::string host = a.host.empty() ? r.host : a.host;
  if (a.port) {
    host = host_without_port(host) + ":" + std::to_string(a.port);
  } else if (!a.scheme.empty() && a.scheme != r.scheme) {
    host = host_without_port(host);  // a scheme change drops the old scheme's port
  }
  std::string path = r.path;
  std::string query;
  if (auto q = path.find('?'); q != std::string::npos) {
    query = path.substr(q);
    path = path.substr(0, q);
  }
  if (a.has_prefix_rewrite && route.match.path.kind == route::PathMatcher::Kind::kPrefix) {
    path = a.prefix_rewrite + path.substr(std::min(path.size(), route.match.path.value.size()));
  } else if (!a.path.empty()) {
    path = a.path;
    if (path.find('?') != std::string::npos) query.clear();
  }
  return scheme + "://" + host + path + query;
}

std::string rewrite_path(const route::RouteAction& a, const route::Route& route, const std::string& original) {
  if (a.regex_rewrite && a.regex_rewrite_pattern) {
    std::string path = original, query;
    if (auto q = path.find('?'); q != std::string::npos) {
      query = path.substr(q);
      path = path.substr(0, q);
    }
    RE2::GlobalReplace(&path, *a.regex_rewrite_pattern, a.regex_rewrite->rewrite);
    return path + query;
  }
  if (a.prefix_rewrite && route.match.path.kind == route::PathMatcher::Kind::kPrefix) {
    return *a.prefix_rewrite + original.substr(std::min(original.size(), route.match.path.value.size()));
  }
  if (a.prefix_rewrite) {
    // Envoy rewrites the whole path for exact and regex matches.
    auto q = original.find('?');
    return *a.prefix_rewrite + (q == std::string::npos ? "" : original.substr(q));
  }
  return original;
}

bool retriable(const route::RetryPolicy& p, const UpstreamResponse& resp) {
  auto on = [&p](std::string_view what) { return has_token(p.retry_on, what); };
  if (!resp.connected) return on("connect-failure") || on("5xx") || on("gateway-error") || on("reset");
  if (on("5xx") && resp.status >= 500) return true;
  if (on("gateway-error") && (resp.status == 502 || resp.status == 503 || resp.status == 504)) return true;
  if (on("retriable-status-codes") &&
      std::find(p.retriable_status_codes.begin(), p.retriable_status_codes.end(),
                static_cast<std::uint32_t>(resp.status)) != p.retriable_status_codes.end()) {
    return true;
  }
  return false;
}

bool retriable_timeout(const route::RetryPolicy& p) {
  // RetryStateImpl::wouldRetryFromReset: a per-try timeout is a local reset, retried under
  // reset, 5xx and gateway-error.
  return has_token(p.retry_on, "5xx") || has_token(p.retry_on, "gateway-error") || has_token(p.retry_on, "reset");
}

const route::FilterChain* select_filter_chain(const route::Listener& listener, std::string_view sni) {
  const route::FilterChain* best = nullptr;
  int best_score = -1;
  const route::FilterChain* any = nullptr;
  for (const auto& c : listener.filter_chains) {
    if (c.server_names.empty()) {
      if (!any) any = &c;
      continue;
    }
    if (sni.empty()) continue;
    int score = server_name_match(c.server_names, sni);
    if (score > best_score) {
      best = &c;
      best_score = score;
    }
  }
  return best ? best : any;
}

bool percent_hit(double percent, lb::Random& rng) {
  if (percent >= 100) return true;
  if (percent <= 0) return false;
  return rng.unit() * 100.0 < percent;
}

std::string endpoint_ref(const route::Endpoint& e) { return e.ip + ":" + std::to_string(e.port); }
std::string pod_ref(const route::Endpoint& e) { return e.pod_namespace + "/" + e.pod_name; }

}  // namespace envoy

using namespace envoy;

ExchangeFlow::ExchangeFlow(const route::RouteTable& table, Request request, lb::Random& rng)
    : table_(table), request_(std::move(request)) {
  routing_ = route_request(table_, request_, rng);
  ex_.trace = routing_.trace;
  DecisionTrace& t = ex_.trace;
  const route::Route* route = routing_.route;

  if (routing_.filter_chain && !routing_.filter_chain->http) {
    // A TCP proxy chain: no HTTP from the gateway; a failure closes the connection.
    t.status = 0;
    step_ = t.outcome == Outcome::kRouted ? Step::kTcp : Step::kClose;
    if (step_ == Step::kTcp) cluster_ = table_.find_cluster(t.cluster);
    return;
  }

  switch (t.outcome) {
    case Outcome::kNoListener:
    case Outcome::kNoFilterChain:
    case Outcome::kTlsError:
      t.status = 0;
      step_ = Step::kClose;
      return;
    case Outcome::kUnsupported:
      t.status = 0;
      step_ = Step::kUnsupported;
      return;
    case Outcome::kNoVirtualHost:
    case Outcome::kNoRoute: finish_local(404, ""); return;
    case Outcome::kTlsRedirect:
      finish_local(301, "");
      ex_.response.headers.emplace_back("location", "https://" + host_without_port(request_.host) + request_.path);
      return;
    case Outcome::kRedirect:
      finish_local(t.status, "");
      ex_.response.headers.emplace_back("location", redirect_location(route->redirect, request_, *route));
      return;
    case Outcome::kDirectResponse: finish_local(t.status, route->direct_response.body); return;
    case Outcome::kFaultAbort: finish_local(t.status, "fault filter abort"); return;
    case Outcome::kClusterNotFound: finish_local(503, ""); return;
    default: break;
  }

  // The CORS filter runs before the router: an allowed preflight never goes upstream.
  if (cors_preflight()) return;

  cluster_ = table_.find_cluster(t.cluster);
  const route::RouteAction& action = route->route;
  if (route->fault && route->fault->delay && percent_hit(route->fault->delay_percent, rng)) {
    t.response_flags = "DI";
    fault_delay_ = *route->fault->delay;
  }

  // The request as it leaves the gateway.
  up_.method = request_.method;
  up_.scheme = request_.scheme;
  up_.authority = action.host_rewrite.value_or(request_.host);
  up_.path = rewrite_path(action, *route, request_.path);
  up_.client_ip = table_.proxy.pod_ip;
  for (const auto& [k, v] : request_.headers) {
    std::string name = lower(k);
    if (name == "host" || name == "connection" || name == "keep-alive" || name == "transfer-encoding" ||
        name == "x-envoy-attempt-count" || name == "x-forwarded-proto" || name == "x-envoy-internal") {
      continue;  // Envoy owns these on an edge proxy (use_remote_address)
    }
    up_.headers.emplace_back(std::move(name), v);
  }
  if (const std::string* xff = request_.header("x-forwarded-for")) {
    set_header(up_.headers, "x-forwarded-for", *xff + "," + request_.source_ip);
  } else {
    set_header(up_.headers, "x-forwarded-for", request_.source_ip);
  }
  set_header(up_.headers, "x-forwarded-proto", request_.scheme);
  if (!request_.header("x-request-id")) set_header(up_.headers, "x-request-id", request_id(rng));
  if (is_internal_address(request_.source_ip)) set_header(up_.headers, "x-envoy-internal", "true");
  if (action.host_rewrite || action.prefix_rewrite || action.regex_rewrite) {
    set_header(up_.headers, "x-envoy-original-path", request_.path);
  }
  apply_ops(up_.headers, routing_.destination->request_headers);
  apply_ops(up_.headers, route->request_headers);
  max_attempts_ = 1 + (action.retry ? action.retry->num_retries : 0);
  step_ = Step::kUpstream;
}

void ExchangeFlow::finish_local(int status, std::string body) {
  ex_.response = local_reply(status, std::move(body));
  ex_.trace.status = status;
  if (routing_.route) apply_ops(ex_.response.headers, routing_.route->response_headers);
  step_ = Step::kRespond;
  finished_ = true;
}

std::optional<model::Millis> ExchangeFlow::route_timeout() const {
  if (!routing_.route) return std::nullopt;
  const auto& t = routing_.route->route.timeout;
  if (!t || *t <= 0) return std::nullopt;  // Istio: 0 disables the route timeout
  return t;
}

std::optional<model::Millis> ExchangeFlow::per_try_timeout() const {
  if (!routing_.route || !routing_.route->route.retry) return std::nullopt;
  const auto& t = routing_.route->route.retry->per_try_timeout;
  if (!t || *t <= 0) return std::nullopt;
  return t;
}

const std::vector<route::Mirror>& ExchangeFlow::mirrors() const {
  static const std::vector<route::Mirror> kNone;
  return routing_.route && step_ == Step::kUpstream ? routing_.route->route.mirrors : kNone;
}

const route::Endpoint* ExchangeFlow::begin_attempt(lb::Random& rng, lb::LoadBalancerState& lb_state) {
  if (finished_ || step_ != Step::kUpstream) return nullptr;
  if (attempt_ >= max_attempts_) {
    finish_from_last();
    return nullptr;
  }
  ++attempt_;
  const route::RouteAction& action = routing_.route->route;
  std::set<std::string> excluded =
      action.retry && action.retry->retry_previous_hosts ? tried_ : std::set<std::string>{};
  const route::Endpoint* e = cluster_ ? lb::choose_endpoint(*cluster_, request_, rng, lb_state, excluded) : nullptr;
  if (!e) {
    if (attempt_ == 1) {
      ex_.trace.outcome = Outcome::kNoHealthyUpstream;
      ex_.trace.response_flags = "UH";
      finish_local(503, "no healthy upstream");
    } else {
      finish_from_last();
    }
    return nullptr;
  }
  tried_.insert(endpoint_ref(*e));
  UpstreamRequest sent = up_;
  set_header(sent.headers, "x-envoy-attempt-count", std::to_string(attempt_));
  DecisionTrace& t = ex_.trace;
  t.pod = pod_ref(*e);
  t.endpoint = endpoint_ref(*e);
  ex_.endpoint = e;
  ex_.upstream_request = std::move(sent);
  return e;
}

bool ExchangeFlow::end_attempt(const UpstreamResponse& response, std::int64_t service_time_ms) {
  if (finished_ || !ex_.endpoint) return false;
  last_ = response;
  last_service_time_ = service_time_ms;
  ex_.trace.attempts.push_back(Attempt{ex_.trace.endpoint, ex_.trace.pod, response.connected ? response.status : 0,
                                       response.connected ? "" : "connection failure"});
  const route::RouteAction& action = routing_.route->route;
  if (!action.retry || !retriable(*action.retry, response)) {
    finish_from_last();
    return false;
  }
  if (attempt_ == max_attempts_) {
    retries_exhausted_ = true;
    finish_from_last();
    return false;
  }
  return true;
}

bool ExchangeFlow::end_attempt_timeout() {
  if (finished_ || !ex_.endpoint) return false;
  ex_.trace.attempts.push_back(Attempt{ex_.trace.endpoint, ex_.trace.pod, 0, "per-try timeout"});
  const route::RouteAction& action = routing_.route->route;
  if (action.retry && retriable_timeout(*action.retry) && attempt_ < max_attempts_) return true;
  ex_.trace.outcome = Outcome::kRouted;
  ex_.trace.response_flags = "UT";
  finish_local(504, "upstream request timeout");
  return false;
}

void ExchangeFlow::route_timed_out() {
  if (finished_) return;
  if (ex_.endpoint && ex_.trace.attempts.size() < attempt_)
    ex_.trace.attempts.push_back(Attempt{ex_.trace.endpoint, ex_.trace.pod, 0, "route timeout"});
  ex_.trace.outcome = Outcome::kRouted;
  ex_.trace.response_flags = "UT";
  finish_local(504, "upstream request timeout");
}

void ExchangeFlow::finish_from_last() {
  if (finished_) return;
  DecisionTrace& t = ex_.trace;
  if (!last_.connected) {
    t.outcome = Outcome::kUpstreamFailure;
    t.response_flags = retries_exhausted_ ? "UF,URX" : "UF";
    finish_local(503, "upstream connect error or disconnect/reset before headers. reset reason: connection failure");
    return;
  }
  t.outcome = Outcome::kRouted;
  t.status = last_.status;
  if (retries_exhausted_) t.response_flags = "URX";
  ex_.response.status = last_.status;
  for (const auto& [k, v] : last_.headers) ex_.response.headers.emplace_back(lower(k), v);
  ex_.response.body = std::move(last_.body);
  set_header(ex_.response.headers, "server", "istio-envoy");
  set_header(ex_.response.headers, "x-envoy-upstream-service-time", std::to_string(last_service_time_));
  apply_ops(ex_.response.headers, routing_.destination->response_headers);
  apply_ops(ex_.response.headers, routing_.route->response_headers);
  add_cors_headers();
  step_ = Step::kUpstream;
  finished_ = true;
}

// Envoy's CORS filter (envoy.filters.http.cors) with the route's policy.
bool ExchangeFlow::cors_preflight() {
  const route::Route* route = routing_.route;
  if (!route || !route->cors) return false;
  const std::string* origin = request_.header("origin");
  if (!origin || origin->empty()) return false;
  bool allowed = false;
  for (const auto& m : route->cors->origins) {
    if (m.matches("*") || m.matches(*origin)) {
      allowed = true;
      break;
    }
  }
  if (!allowed) return false;
  cors_origin_ = *origin;
  const std::string* method = request_.header("access-control-request-method");
  if (request_.method != "OPTIONS" || !method || method->empty()) return false;  // a simple request

  const model::CorsPolicy& p = route->cors->policy;
  finish_local(200, "");
  auto& h = ex_.response.headers;
  h.emplace_back("access-control-allow-origin", *origin);
  if (p.allow_credentials && *p.allow_credentials) h.emplace_back("access-control-allow-credentials", "true");
  auto join = [](const std::vector<std::string>& list) {
    std::string out;
    for (const auto& item : list) out += (out.empty() ? "" : ",") + item;
    return out;
  };
  if (!p.allow_methods.empty()) h.emplace_back("access-control-allow-methods", join(p.allow_methods));
  if (!p.allow_headers.empty()) h.emplace_back("access-control-allow-headers", join(p.allow_headers));
  if (p.max_age) h.emplace_back("access-control-max-age", std::to_string(*p.max_age / 1000));
  cors_origin_.clear();
  return true;
}

void ExchangeFlow::add_cors_headers() {
  if (cors_origin_.empty() || !routing_.route || !routing_.route->cors) return;
  const model::CorsPolicy& p = routing_.route->cors->policy;
  auto& h = ex_.response.headers;
  set_header(h, "access-control-allow-origin", cors_origin_);
  if (p.allow_credentials && *p.allow_credentials) set_header(h, "access-control-allow-credentials", "true");
  if (!p.expose_headers.empty()) {
    std::string list;
    for (const auto& item : p.expose_headers) list += (list.empty() ? "" : ",") + item;
    set_header(h, "access-control-expose-headers", list);
  }
}

const route::Endpoint* ExchangeFlow::tcp_endpoint(lb::Random& rng, lb::LoadBalancerState& lb_state) {
  if (step_ != Step::kTcp || finished_ || !cluster_) return nullptr;
  DecisionTrace& t = ex_.trace;
  tcp_endpoint_ = lb::choose_endpoint(*cluster_, request_, rng, lb_state);
  if (!tcp_endpoint_) {
    t.outcome = Outcome::kNoHealthyUpstream;
    t.response_flags = "UH";
    t.detail = "no healthy endpoint in " + cluster_->name + ": the connection is closed";
    finished_ = true;
    return nullptr;
  }
  t.pod = pod_ref(*tcp_endpoint_);
  t.endpoint = endpoint_ref(*tcp_endpoint_);
  ex_.endpoint = tcp_endpoint_;
  return tcp_endpoint_;
}

void ExchangeFlow::tcp_connected(bool connected) {
  if (!tcp_endpoint_ || finished_) return;
  DecisionTrace& t = ex_.trace;
  t.attempts.push_back(Attempt{t.endpoint, t.pod, 0, connected ? "" : "connection failure"});
  if (!connected) {
    t.outcome = Outcome::kUpstreamFailure;
    t.response_flags = "UF";
    t.detail = "connection to " + t.endpoint + " failed: the client connection is closed";
  }
  finished_ = true;
}

Exchange exchange_in_steps(const route::RouteTable& table, const Request& request, lb::Random& rng,
                           lb::LoadBalancerState& lb_state, const UpstreamCall& upstream) {
  ExchangeFlow flow(table, request, rng);
  switch (flow.step()) {
    case ExchangeFlow::Step::kTcp: {
      // As tcp_exchange(): the tunnelled request reaches the pod as sent.
      const route::Endpoint* e = flow.tcp_endpoint(rng, lb_state);
      if (!e) return std::move(flow.exchange());
      UpstreamRequest up;
      up.method = request.method;
      up.scheme = request.scheme;
      up.authority = request.host;
      up.path = request.path;
      up.client_ip = table.proxy.pod_ip;
      for (const auto& [k, v] : request.headers) up.headers.emplace_back(lower(k), v);
      UpstreamResponse resp = upstream(*e, up);
      flow.tcp_connected(resp.connected);
      Exchange ex = std::move(flow.exchange());
      ex.upstream_request = std::move(up);
      if (resp.connected) {
        ex.trace.attempts.back().status = resp.status;
        ex.trace.status = resp.status;
        ex.response.status = resp.status;
        for (const auto& [k, v] : resp.headers) ex.response.headers.emplace_back(lower(k), v);
        ex.response.body = std::move(resp.body);
      }
      return ex;
    }
    case ExchangeFlow::Step::kUpstream:
      while (const route::Endpoint* e = flow.begin_attempt(rng, lb_state)) {
        if (!flow.end_attempt(upstream(*e, flow.attempt_request()))) break;
      }
      return std::move(flow.exchange());
    default: return std::move(flow.exchange());
  }
}

}  // namespace gwsim::match
