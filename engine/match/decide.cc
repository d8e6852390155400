#include "engine/match/decide.h"

#include <algorithm>
#include <cstdio>
#include <strings.h>

#include <re2/re2.h>

namespace gwsim::match {

namespace {

using route::HeaderMatcher;
using route::PathMatcher;
using route::Route;

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view path_without_query(std::string_view path) {
  auto q = path.find_first_of("?#");
  return q == std::string_view::npos ? path : path.substr(0, q);
}

bool starts_with_ci(std::string_view s, std::string_view prefix, bool case_sensitive) {
  if (s.size() < prefix.size()) return false;
  return case_sensitive ? s.substr(0, prefix.size()) == prefix
                        : strncasecmp(s.data(), prefix.data(), prefix.size()) == 0;
}

// Envoy's path matching: prefix on the whole :path, exact and regex on the path without query.
bool path_matches(const PathMatcher& m, std::string_view path) {
  switch (m.kind) {
    case PathMatcher::Kind::kPrefix: return starts_with_ci(path, m.value, m.case_sensitive);
    case PathMatcher::Kind::kExact: {
      auto p = path_without_query(path);
      return m.case_sensitive ? p == m.value : iequals(p, m.value);
    }
    case PathMatcher::Kind::kRegex: {
      auto p = path_without_query(path);
      return m.regex && RE2::FullMatch(re2::StringPiece(p.data(), p.size()), *m.regex);
    }
  }
  return false;
}

// All values of a header joined with ",", as Envoy's header matcher sees them; nullopt if absent.
std::optional<std::string> header_value(const Request& r, const std::string& name) {
  if (name == ":method") return r.method;
  if (name == ":authority") return r.host;
  if (name == ":scheme") return r.scheme;
  if (name == ":path") return r.path;
  std::optional<std::string> out;
  for (const auto& [k, v] : r.headers) {
    if (!iequals(k, name)) continue;
    out = out ? *out + "," + v : v;
  }
  return out;
}

// Envoy HeaderUtility::matchHeaders, with Istio's treat_missing_header_as_empty for
// non-presence withoutHeaders matchers.
bool header_matches(const HeaderMatcher& m, const Request& r) {
  auto value = header_value(r, m.name);
  const bool presence = m.match.kind == route::StringMatcher::Kind::kPresent;
  if (!value) {
    if (m.invert && !presence) value = std::string();  // treat_missing_header_as_empty
    else return m.invert && presence;
  }
  return m.match.matches(*value) != m.invert;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::optional<std::string> query_parameter(std::string_view path, std::string_view name) {
  auto q = path.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  std::string_view query = path.substr(q + 1);
  if (auto hash = query.find('#'); hash != std::string_view::npos) query = query.substr(0, hash);
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    auto eq = pair.find('=');
    if (percent_decode(pair.substr(0, eq)) == name) {
      return eq == std::string_view::npos ? std::string() : percent_decode(pair.substr(eq + 1));
    }
    if (amp == std::string_view::npos) break;
    query = query.substr(amp + 1);
  }
  return std::nullopt;
}

bool route_matches(const Route& route, const Request& r) {
  if (!path_matches(route.match.path, r.path)) return false;
  for (const auto& h : route.match.headers) {
    if (!header_matches(h, r)) return false;
  }
  for (const auto& q : route.match.query_parameters) {
    auto v = query_parameter(r.path, q.name);
    if (!v || !q.match.matches(*v)) return false;
  }
  return true;
}

bool percent_hit(double percent, lb::Random& rng) {
  if (percent >= 100) return true;
  if (percent <= 0) return false;
  return rng.unit() * 100.0 < percent;
}

std::string pod_ref(const route::Endpoint& e) { return e.pod_namespace + "/" + e.pod_name; }
std::string endpoint_ref(const route::Endpoint& e) { return e.ip + ":" + std::to_string(e.port); }

void set_header(std::vector<std::pair<std::string, std::string>>& headers, const std::string& name,
                const std::string& value) {
  for (auto& [k, v] : headers) {
    if (k == name) {
      v = value;
      return;
    }
  }
  headers.emplace_back(name, value);
}

void remove_header(std::vector<std::pair<std::string, std::string>>& headers, const std::string& name) {
  headers.erase(std::remove_if(headers.begin(), headers.end(), [&](const auto& kv) { return kv.first == name; }),
                headers.end());
}

void apply_ops(std::vector<std::pair<std::string, std::string>>& headers, const route::HeaderOps& ops) {
  for (const auto& name : ops.remove) remove_header(headers, name);
  for (const auto& [k, v] : ops.set) set_header(headers, k, v);
  for (const auto& [k, v] : ops.add) headers.emplace_back(k, v);
}

// A deterministic x-request-id in UUID v4 shape, drawn from the injected randomness.
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
  // Envoy treats loopback and RFC 1918 sources as internal (x-envoy-internal: true).
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

std::string redirect_location(const route::RedirectAction& a, const Request& r, const Route& route) {
  std::string scheme = a.scheme.empty() ? r.scheme : a.scheme;
  std::string host = a.host.empty() ? r.host : a.host;
  if (a.port) {
    host = host_without_port(host) + ":" + std::to_string(a.port);
  } else if (!a.scheme.empty() && a.scheme != r.scheme) {
    // A scheme change drops the port only when it is the old scheme's default port.
    const std::string port = host.size() > host_without_port(host).size() ? host.substr(host_without_port(host).size() + 1) : "";
    if ((r.scheme == "http" && port == "80") || (r.scheme == "https" && port == "443")) host = host_without_port(host);
  }
  std::string path = r.path;
  std::string query;
  if (auto q = path.find('?'); q != std::string::npos) {
    query = path.substr(q);
    path = path.substr(0, q);
  }
  if (a.has_prefix_rewrite && route.match.path.kind == PathMatcher::Kind::kPrefix) {
    path = a.prefix_rewrite + path.substr(std::min(path.size(), route.match.path.value.size()));
  } else if (!a.path.empty()) {
    path = a.path;
    if (path.find('?') != std::string::npos) query.clear();
  }
  return scheme + "://" + host + path + query;
}

std::string rewrite_path(const route::RouteAction& a, const Route& route, const std::string& original) {
  if (a.regex_rewrite && a.regex_rewrite_pattern) {
    std::string path = original, query;
    if (auto q = path.find('?'); q != std::string::npos) {
      query = path.substr(q);
      path = path.substr(0, q);
    }
    RE2::GlobalReplace(&path, *a.regex_rewrite_pattern, a.regex_rewrite->rewrite);
    return path + query;
  }
  if (a.prefix_rewrite && route.match.path.kind == PathMatcher::Kind::kPrefix) {
    return *a.prefix_rewrite + original.substr(std::min(original.size(), route.match.path.value.size()));
  }
  if (a.prefix_rewrite) {
    // Envoy rewrites the whole path for exact and regex matches.
    auto q = original.find('?');
    return *a.prefix_rewrite + (q == std::string::npos ? "" : original.substr(q));
  }
  return original;
}

bool retry_on_has(const route::RetryPolicy& p, std::string_view what) {
  std::string_view list = p.retry_on;
  while (!list.empty()) {
    auto comma = list.find(',');
    if (list.substr(0, comma) == what) return true;
    if (comma == std::string_view::npos) break;
    list = list.substr(comma + 1);
  }
  return false;
}

// A per-try timeout is retried only under 5xx or gateway-error (Envoy's router).
bool retriable_timeout(const route::RetryPolicy& p) { return retry_on_has(p, "5xx") || retry_on_has(p, "gateway-error"); }

bool retriable(const route::RetryPolicy& p, const UpstreamResponse& resp) {
  auto on = [&p](std::string_view what) { return retry_on_has(p, what); };
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

// Envoy's server-name match for one chain criterion list: exact, or a "*.suffix" entry that
// covers the name; returns the matched pattern's length (longer is more specific), or -1.
int server_name_match(const std::vector<std::string>& names, std::string_view sni) {
  int best = -1;
  for (const auto& n : names) {
    if (iequals(n, sni)) return 1 << 20;  // exact beats every wildcard
    if (n.size() > 1 && n[0] == '*' && n[1] == '.' && sni.size() > n.size() - 1 &&
        iequals(sni.substr(sni.size() - (n.size() - 1)), std::string_view(n).substr(1))) {
      best = std::max(best, static_cast<int>(n.size()));
    }
  }
  return best;
}

const route::FilterChain* select_filter_chain(const route::Listener& listener, std::string_view sni) {
  const route::FilterChain* best = nullptr;
  int best_score = -1;
  const route::FilterChain* any = nullptr;  // the first chain without a server-name criterion
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

// Envoy's weighted_clusters pick: a random value below the total weight.
const route::WeightedCluster* pick_weighted(const std::vector<route::WeightedCluster>& clusters,
                                            std::uint32_t total_weight, lb::Random& rng) {
  if (clusters.empty()) return nullptr;
  if (clusters.size() == 1 || total_weight == 0) return &clusters.front();
  std::uint64_t r = rng.below(total_weight);
  for (const auto& c : clusters) {
    if (r < c.weight) return &c;
    r -= c.weight;
  }
  return &clusters.back();
}

// A TCP proxy chain (PASSTHROUGH, opaque TCP, or TLS terminated then TCP): the bytes go to one
// endpoint as they are. No HTTP is generated by the gateway: no headers added, no retries
// (tcp_proxy makes one connect attempt), and a failure closes the connection.
Exchange tcp_exchange(const route::RouteTable& table, const Request& request,
                      lb::Random& rng, lb::LoadBalancerState& lb_state, const UpstreamCall& upstream, Exchange ex) {
  DecisionTrace& t = ex.trace;
  t.status = 0;
  if (t.outcome != Outcome::kRouted) return ex;
  const route::Cluster& cluster = *table.find_cluster(t.cluster);
  const route::Endpoint* e = lb::choose_endpoint(cluster, request, rng, lb_state);
  if (!e) {
    t.outcome = Outcome::kNoHealthyUpstream;
    t.response_flags = "UH";
    t.detail = "no healthy endpoint in " + cluster.name + ": the connection is closed";
    return ex;
  }
  UpstreamRequest up;
  up.method = request.method;
  up.scheme = request.scheme;
  up.authority = request.host;
  up.path = request.path;
  up.client_ip = table.proxy.pod_ip;
  for (const auto& [k, v] : request.headers) up.headers.emplace_back(lower(k), v);
  UpstreamResponse resp = upstream(*e, up);
  t.attempts.push_back(Attempt{endpoint_ref(*e), pod_ref(*e), resp.connected ? resp.status : 0,
                               resp.connected ? "" : "connection failure"});
  t.pod = pod_ref(*e);
  t.endpoint = endpoint_ref(*e);
  ex.endpoint = e;
  ex.upstream_request = std::move(up);
  if (!resp.connected) {
    t.outcome = Outcome::kUpstreamFailure;
    t.response_flags = "UF";
    t.detail = "connection to " + t.endpoint + " failed: the client connection is closed";
    return ex;
  }
  t.status = resp.status;
  ex.response.status = resp.status;
  for (const auto& [k, v] : resp.headers) ex.response.headers.emplace_back(lower(k), v);
  ex.response.body = std::move(resp.body);
  return ex;
}

bool cors_origin_allowed(const route::CorsConfig& cors, std::string_view origin) {
  for (const auto& m : cors.origins) {
    if (m.matches(origin)) return true;
  }
  return false;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ",") + i;
  return out;
}

// Headers Envoy's CORS filter puts on every answer to an allowed origin.
void add_cors_origin_headers(std::vector<std::pair<std::string, std::string>>& headers,
                             const route::CorsConfig& cors, const std::string& origin) {
  headers.emplace_back("access-control-allow-origin", origin);
  if (cors.policy.allow_credentials.value_or(false)) headers.emplace_back("access-control-allow-credentials", "true");
}

// The preflight answer of Envoy's CORS filter, with Istio's translation of the policy
// (lists joined with ",", maxAge in seconds).
void add_cors_preflight_headers(std::vector<std::pair<std::string, std::string>>& headers,
                                const route::CorsConfig& cors, const std::string& origin) {
  const auto& p = cors.policy;
  add_cors_origin_headers(headers, cors, origin);
  if (!p.allow_methods.empty()) headers.emplace_back("access-control-allow-methods", join(p.allow_methods));
  if (!p.allow_headers.empty()) headers.emplace_back("access-control-allow-headers", join(p.allow_headers));
  if (p.max_age) headers.emplace_back("access-control-max-age", std::to_string(*p.max_age / 1000));
}

// What the CORS filter adds to an actual response for an allowed origin.
void add_cors_response_headers(std::vector<std::pair<std::string, std::string>>& headers,
                               const route::CorsConfig& cors, const std::string& origin) {
  add_cors_origin_headers(headers, cors, origin);
  if (!cors.policy.expose_headers.empty()) {
    headers.emplace_back("access-control-expose-headers", join(cors.policy.expose_headers));
  }
}

// The scheme Envoy records in X-Forwarded-Proto: the connection's, unless the gateway trusts
// the previous hop (gatewayTopology.numTrustedProxies), whose X-Forwarded-Proto it keeps.
std::string forwarded_proto(const route::RouteTable& table, const Request& request) {
  if (table.proxy.num_trusted_proxies > 0) {
    if (const std::string* xfp = request.header("x-forwarded-proto")) return *xfp;
  }
  return request.scheme;
}

}  // namespace

const std::string* Response::header


(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (iequals(k, name)) return &v;
  }
  return nullptr;
}

RoutingResult route_request(const route::RouteTable& table, const Request& request, lb::Random& rng) {
  RoutingResult out;
  DecisionTrace& t = out.trace;
  t.gateway_service = table.proxy.service;
  t.service_port = request.port;
  auto port_it = table.proxy.service_ports.find(request.port);
  const route::Listener* listener = port_it == table.proxy.service_ports.end() ? nullptr
                                                                                : table.find_listener(port_it->second);
  if (!listener) {
    t.outcome = Outcome::kNoListener;
    t.detail = port_it == table.proxy.service_ports.end()
                   ? "the gateway Service has no port " + std::to_string(request.port)
                   : "no listener on the gateway pod's port " + std::to_string(port_it->second);
    return out;
  }
  t.listener = listener->name;

  // Filter chain, as Envoy's matcher picks it: SNI first (exact, then the longest "*.suffix",
  // then chains without a server-name criterion); a connection without SNI (plaintext, or TLS
  // without the extension) only matches chains without one.
  const bool tls = request.scheme == "https";
  const std::string sni = !tls ? std::string() : request.sni.empty() ? host_without_port(request.host) : request.sni;
  const route::FilterChain* chain = select_filter_chain(*listener, sni);
  if (!chain) {
    t.outcome = Outcome::kNoFilterChain;
    t.detail = sni.empty() ? "no filter chain on " + listener->name + " accepts a connection without SNI"
                           : "no filter chain on " + listener->name + " matches SNI \"" + sni + "\"";
    return out;
  }
  out.filter_chain = chain;
  t.filter_chain = chain->name;
  t.tls_mode = chain->tls_mode;
  t.sni = sni;
  const bool terminates = !chain->tls_mode.empty() && chain->tls_mode != "PASSTHROUGH";
  if (chain->tls_mode.empty() && tls) {
    t.outcome = Outcome::kTlsError;
    t.detail = chain->http ? "TLS handshake to a plaintext HTTP server (the server speaks HTTP, not TLS)"
                           : "TLS to a plaintext TCP server";
    return out;
  }
  if (!chain->tls_mode.empty() && !tls) {
    t.outcome = Outcome::kTlsError;
    t.detail = "plaintext request to a " + chain->tls_mode + " TLS server";
    return out;
  }
  if (terminates) {
    if (chain->tls_mode == "ISTIO_MUTUAL") {
      t.outcome = Outcome::kTlsError;
      t.detail = "ISTIO_MUTUAL requires a client certificate issued by the mesh's CA";
      return out;
    }
    if (!chain->credential) {
      t.outcome = Outcome::kTlsError;
      t.detail = "TLS handshake fails: " + chain->credential_error;
      return out;
    }
    if (chain->tls_mode == "MUTUAL" && !request.client_certificate) {
      t.outcome = Outcome::kTlsError;
      t.detail = "MUTUAL TLS: the client presented no certificate";
      return out;
    }
  }
  if (!chain->http) {
    // A TCP proxy: the connection goes to the route's cluster as it is.
    const route::WeightedCluster* pick = pick_weighted(chain->tcp_clusters, chain->tcp_total_weight, rng);
    t.virtual_service = chain->virtual_service;
    t.gateway = chain->gateway;
    if (!pick) {
      t.outcome = Outcome::kClusterNotFound;
      t.response_flags = "NC";
      return out;
    }
    out.destination = pick;
    t.cluster = pick->cluster;
    t.subset = pick->subset;
    const route::Cluster* cluster = table.find_cluster(pick->cluster);
    if (!cluster) {
      t.outcome = Outcome::kClusterNotFound;
      t.response_flags = "NC";
      t.detail = "cluster " + pick->cluster + " does not exist: the connection is closed";
      return out;
    }
    t.service = cluster->service;
    t.service_port_upstream = cluster->port;
    t.outcome = Outcome::kRouted;
    return out;
  }
  t.route_config = chain->route_config;
  auto rc_it = table.route_configs.find(chain->route_config);
  if (rc_it == table.route_configs.end()) {
    t.outcome = Outcome::kNoRoute;
    t.status = 404;
    t.response_flags = "NR";
    return out;
  }
  const route::RouteConfiguration& rc = rc_it->second;
  int vh_index = rc.lookup.find(request.host);
  if (vh_index == route::VirtualHostTable::kNone) {
    t.outcome = Outcome::kNoVirtualHost;
    t.status = 404;
    t.response_flags = "NR";
    t.detail = "no virtual host in " + rc.name + " matches Host \"" + request.host + "\"";
    return out;
  }
  const route::VirtualHost& vh = rc.virtual_hosts[static_cast<std::size_t>(vh_index)];
  out.virtual_host = &vh;
  t.virtual_host = vh.name;
  // require_tls: ALL checks X-Forwarded-Proto as Envoy computed it.
  if (vh.require_tls && forwarded_proto(table, request) != "https") {
    t.outcome = Outcome::kTlsRedirect;
    t.status = 301;
    t.detail = "httpsRedirect: plaintext requests are redirected to https";
    return out;
  }
  const Route* matched = nullptr;
  for (std::size_t i = 0; i < vh.routes.size(); ++i) {
    if (route_matches(vh.routes[i], request)) {
      matched = &vh.routes[i];
      t.route_index = static_cast<int>(i);
      break;
    }
  }
  if (!matched) {
    t.outcome = Outcome::kNoRoute;
    t.status = 404;
    t.response_flags = "NR";
    t.detail = "no route of virtual host " + vh.name + " matches (no fall-through to other virtual hosts)";
    return out;
  }
  out.route = matched;
  t.route_name = matched->name;
  t.virtual_service = matched->virtual_service;
  t.gateway = matched->gateway;
  t.http_index = matched->http_index;
  t.match_index = matched->match_index;

  switch (matched->action_kind) {
    case Route::ActionKind::kUnsupported:
      t.outcome = Outcome::kUnsupported;
      t.detail = matched->unsupported_reason;
      return out;
    case Route::ActionKind::kRedirect:
      t.outcome = Outcome::kRedirect;
      t.status = static_cast<int>(matched->redirect.code);
      return out;
    case Route::ActionKind::kDirectResponse:
      t.outcome = Outcome::kDirectResponse;
      t.status = static_cast<int>(matched->direct_response.status);
      return out;
    case Route::ActionKind::kRoute: break;
  }
  if (matched->fault && matched->fault->abort_status && percent_hit(matched->fault->abort_percent, rng)) {
    t.outcome = Outcome::kFaultAbort;
    t.status = static_cast<int>(*matched->fault->abort_status);
    t.response_flags = "FI";
    return out;
  }
  const auto& clusters = matched->route.clusters;
  if (clusters.empty()) {
    t.outcome = Outcome::kClusterNotFound;
    t.status = 503;
    t.response_flags = "NC";
    return out;
  }
  const route::WeightedCluster* pick = pick_weighted(clusters, matched->route.total_weight, rng);
  out.destination = pick;
  t.cluster = pick->cluster;
  t.subset = pick->subset;
  const route::Cluster* cluster = table.find_cluster(pick->cluster);
  if (!cluster) {
    t.outcome = Outcome::kClusterNotFound;
    t.status = 503;
    t.response_flags = "NC";
    t.detail = "cluster " + pick->cluster + " does not exist" +
               (pick->subset.empty() ? " (no such service or port)" : " (no such service, port or subset)");
    return out;
  }
  t.service = cluster->service;
  t.service_port_upstream = cluster->port;
  t.outcome = Outcome::kRouted;
  return out;
}

Exchange exchange(const route::RouteTable& table, const Request& request, lb::Random& rng,
                  lb::LoadBalancerState& lb_state, const UpstreamCall& upstream) {
  Exchange ex;
  RoutingResult routing = route_request(table, request, rng);
  ex.trace = std::move(routing.trace);
  DecisionTrace& t = ex.trace;
  const Route* route = routing.route;

  if (routing.filter_chain && !routing.filter_chain->http) return tcp_exchange(table, request, rng, lb_state, upstream, std::move(ex));

  auto finish_local = [&](int status, std::string body) {
    ex.response = local_reply(status, std::move(body));
    t.status = status;
    if (route) apply_ops(ex.response.headers, route->response_headers);
  };

  // Envoy's CORS filter runs before the fault filter and the router: a preflight from an
  // allowed origin is answered by the gateway itself.
  const std::string* origin = request.header("origin");
  const bool cors_allowed = route && route->cors && origin && cors_origin_allowed(*route->cors, *origin);
  if (route && route->cors && origin && request.method == "OPTIONS" && request.header("access-control-request-method")) {
    if (cors_allowed || route->cors->policy.unmatched_preflights == "IGNORE") {
      t.outcome = Outcome::kCorsPreflight;
      t.response_flags = "-";
      ex.response = local_reply(200, "");
      t.status = 200;
      if (cors_allowed) add_cors_preflight_headers(ex.response.headers, *route->cors, *origin);
      return ex;
    }
  }

  switch (t.outcome) {
    case Outcome::kNoListener:
    case Outcome::kNoFilterChain:
    case Outcome::kTlsError:
    case Outcome::kUnsupported:
      t.status = 0;
      return ex;
    case Outcome::kNoVirtualHost:
    case Outcome::kNoRoute:
      finish_local(404, "");
      return ex;
    case Outcome::kTlsRedirect: {
      finish_local(301, "");
      // Envoy's SslRedirector: the Host header as sent, port included.
      ex.response.headers.emplace_back("location", "https://" + request.host + request.path);
      return ex;
    }
    case Outcome::kRedirect: {
      finish_local(t.status, "");
      ex.response.headers.emplace_back("location", redirect_location(route->redirect, request, *route));
      return ex;
    }
    case Outcome::kDirectResponse:
      finish_local(t.status, route->direct_response.body);
      return ex;
    case Outcome::kFaultAbort:
      finish_local(t.status, "fault filter abort");
      return ex;
    case Outcome::kClusterNotFound:
      finish_local(503, "");
      return ex;
    default: break;
  }

  const route::Cluster& cluster = *table.find_cluster(t.cluster);
  const route::RouteAction& action = route->route;
  if (route->fault && route->fault->delay && percent_hit(route->fault->delay_percent, rng)) {
    t.response_flags = "DI";
  }

  // The request as it leaves the gateway.
  UpstreamRequest up;
  up.method = request.method;
  up.scheme = request.scheme;
  up.authority = action.host_rewrite ? *action.host_rewrite
                 : !routing.destination->host_rewrite.empty() ? routing.destination->host_rewrite
                                                              : request.host;
  up.path = rewrite_path(action, *route, request.path);
  up.client_ip = table.proxy.pod_ip;
  for (const auto& [k, v] : request.headers) {
    std::string name = lower(k);
    if (name == "host" || name == "connection" || name == "keep-alive" || name == "transfer-encoding" ||
        name == "x-envoy-attempt-count" || name == "x-forwarded-proto" || name == "x-envoy-internal") {
      continue;  // Envoy owns these on an edge proxy (use_remote_address)
    }
    up.headers.emplace_back(std::move(name), v);
  }
  // Edge proxy headers (Istio gateways set use_remote_address).
  if (const std::string* xff = request.header("x-forwarded-for")) {
    set_header(up.headers, "x-forwarded-for", *xff + "," + request.source_ip);
  } else {
    set_header(up.headers, "x-forwarded-for", request.source_ip);
  }
  set_header(up.headers, "x-forwarded-proto", forwarded_proto(table, request));
  if (!request.header("x-request-id")) set_header(up.headers, "x-request-id", request_id(rng));
  if (is_internal_address(request.source_ip)) set_header(up.headers, "x-envoy-internal", "true");
  if (action.prefix_rewrite || action.regex_rewrite) {
    set_header(up.headers, "x-envoy-original-path", request.path);
  }
  apply_ops(up.headers, routing.destination->request_headers);
  apply_ops(up.headers, route->request_headers);

  // Mirrors: a copy goes to each mirror cluster (per its percentage); its answer is ignored.
  for (const auto& m : action.mirrors) {
    if (percent_hit(m.percent, rng)) t.mirrors.push_back(m.cluster);
  }
  const std::uint32_t max_attempts = 1 + (action.retry ? action.retry->num_retries : 0);
  // 0: no per-try timeout.
  const model::Millis per_try = action.retry ? action.retry->per_try_timeout.value_or(0) : 0;
  const model::Millis route_timeout = action.timeout.value_or(0);  // 0: disabled (Istio's default)
  model::Millis elapsed = 0;
  std::set<std::string> tried;
  UpstreamResponse last;
  bool retries_exhausted = false;
  bool timed_out = false;
  for (std::uint32_t attempt = 1; attempt <= max_attempts; ++attempt) {
    std::set<std::string> excluded = action.retry && action.retry->retry_previous_hosts ? tried : std::set<std::string>{};
    const route::Endpoint* e = lb::choose_endpoint(cluster, request, rng, lb_state, excluded);
    if (!e) {
      if (attempt == 1) {
        t.outcome = Outcome::kNoHealthyUpstream;
        t.response_flags = "UH";
        finish_local(503, "no healthy upstream");
        return ex;
      }
      break;
    }
    tried.insert(endpoint_ref(*e));
    UpstreamRequest sent = up;
    set_header(sent.headers, "x-envoy-attempt-count", std::to_string(attempt));
    last = upstream(*e, sent);
    // Time: the upstream answers after its delay, unless a per-try timeout cuts it short.
    model::Millis took = last.connected ? last.delay_ms : 0;
    timed_out = last.connected && per_try > 0 && last.delay_ms >= per_try;
    if (timed_out) took = per_try;
    t.pod = pod_ref(*e);
    t.endpoint = endpoint_ref(*e);
    ex.endpoint = e;
    ex.upstream_request = std::move(sent);
    if (route_timeout > 0 && elapsed + took >= route_timeout) {
      // The route's overall timeout fires first: Envoy answers 504 and stops retrying.
      t.attempts.push_back(Attempt{endpoint_ref(*e), pod_ref(*e), 0, "route timeout"});
      t.outcome = Outcome::kUpstreamTimeout;
      t.response_flags = "UT";
      t.detail = "no response within the route timeout of " + std::to_string(route_timeout) + "ms";
      finish_local(504, "upstream request timeout");
      return ex;
    }
    elapsed += took;
    t.attempts.push_back(Attempt{endpoint_ref(*e), pod_ref(*e), last.connected && !timed_out ? last.status : 0,
                                 !last.connected ? "connection failure" : timed_out ? "per-try timeout" : ""});
    const bool again = action.retry && (timed_out ? retriable_timeout(*action.retry) : retriable(*action.retry, last));
    if (!again) break;
    if (attempt == max_attempts) retries_exhausted = true;
  }

  if (timed_out) {
    t.outcome = Outcome::kUpstreamTimeout;
    t.response_flags = retries_exhausted ? "UT,URX" : "UT";
    t.detail = "no response within the per-try timeout of " + std::to_string(per_try) + "ms";
    finish_local(504, "upstream request timeout");
    return ex;
  }

  if (!last.connected) {
    t.outcome = Outcome::kUpstreamFailure;
    t.response_flags = retries_exhausted ? "UF,URX" : "UF";
    finish_local(503, "upstream connect error or disconnect/reset before headers. reset reason: connection failure");
    return ex;
  }
  t.outcome = Outcome::kRouted;
  t.status = last.status;
  if (retries_exhausted) t.response_flags = "URX";
  ex.response.status = last.status;
  for (const auto& [k, v] : last.headers) ex.response.headers.emplace_back(lower(k), v);
  ex.response.body = std::move(last.body);
  set_header(ex.response.headers, "server", "istio-envoy");
  set_header(ex.response.headers, "x-envoy-upstream-service-time", "0");
  if (cors_allowed) add_cors_response_headers(ex.response.headers, *route->cors, *origin);
  apply_ops(ex.response.headers, routing.destination->response_headers);
  apply_ops(ex.response.headers, route->response_headers);
  return ex;
}

}  // namespace gwsim::match
