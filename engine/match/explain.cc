#include "engine/match/explain.h"

#include <algorithm>
#include <sstream>

#include "engine/match/filter_chain.h"
#include "engine/match/route_match.h"
#include "engine/match/virtual_host.h"
#include "engine/route/virtual_host_table.h"
#include "engine/text/ascii.h"

namespace gwsim::match {

namespace {

using route::PathMatcher;
using route::StringMatcher;

std::string join(const std::vector<std::string>& items, const char* separator = ", ") {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : separator) + i;
  return out;
}

std::string in_quotes(const std::string& s) { return "\"" + s + "\""; }

std::string path_without_query(const std::string& path) { return path.substr(0, path.find_first_of("?#")); }

std::string describe_path(const PathMatcher& p) {
  std::string kind;
  switch (p.kind) {
    case PathMatcher::Kind::kPrefix: kind = "prefix"; break;
    case PathMatcher::Kind::kExact: kind = "exact"; break;
    case PathMatcher::Kind::kRegex: kind = "regex"; break;
    case PathMatcher::Kind::kPathSeparatedPrefix: kind = "path-separated prefix"; break;
  }
  return kind + " " + p.value + (p.case_sensitive ? "" : " (case-insensitive)");
}

// The name a header condition goes by: Istio turns method, authority and scheme matches into
// pseudo-header matchers.
std::string header_condition(const std::string& name) {
  if (name == ":method") return "method";
  if (name == ":authority") return "authority";
  if (name == ":scheme") return "scheme";
  if (name == ":path") return "header :path";
  return "header " + name;
}

std::string describe_header(const route::HeaderMatcher& h) {
  const bool presence = h.match.kind == StringMatcher::Kind::kPresent;
  if (presence) return h.invert ? "absent" : "present";
  return (h.invert ? "not " : "") + describe_matcher(h.match);
}

std::string claim_name(const route::ClaimMatcher& c) { return join(c.path, "."); }

// The claim's value at the matcher's path, as text; nullopt when absent.
std::optional<std::string> claim_value(const route::ClaimMatcher& c, const nlohmann::json& claims) {
  const nlohmann::json* v = &claims;
  for (const auto& key : c.path) {
    if (!v->is_object() || !v->contains(key)) return std::nullopt;
    v = &(*v)[key];
  }
  return v->is_string() ? v->get<std::string>() : v->dump();
}

// The first failed condition, as the user reads it.
ConditionMiss describe_miss(const route::Route& route, FailedCondition failed, const http::Request& request,
                            const nlohmann::json& claims) {
  const route::RouteMatch& m = route.match;
  switch (failed.kind) {
    case FailedCondition::Kind::kClaim: {
      const auto& c = m.claims[failed.index];
      auto value = claim_value(c, claims);
      return {"claim " + claim_name(c), (c.invert ? "not " : "") + describe_matcher(c.match),
              claims.is_null() ? "no verified token" : value.value_or("absent")};
    }
    case FailedCondition::Kind::kPath:
      // Envoy matches a prefix on the whole :path, the other kinds on the path without its query.
      return {"path", describe_path(m.path),
              m.path.kind == PathMatcher::Kind::kPrefix ? request.path : path_without_query(request.path)};
    case FailedCondition::Kind::kHeader: {
      const auto& h = m.headers[failed.index];
      return {header_condition(h.name), describe_header(h), header_value(request, h.name).value_or("absent")};
    }
    case FailedCondition::Kind::kQueryParameter: {
      const auto& q = m.query_parameters[failed.index];
      return {"query parameter " + q.name, describe_matcher(q.match),
              query_parameter(request.path, q.name).value_or("absent")};
    }
    case FailedCondition::Kind::kNone: break;
  }
  return {};
}

// How far a request got into a route's conditions before one failed: conditions passed first,
// then for a path miss the length of the common prefix (a typo late in the path is closer).
std::size_t closeness(const route::Route& route, FailedCondition failed, const http::Request& request) {
  const route::RouteMatch& m = route.match;
  std::size_t passed = 0;
  switch (failed.kind) {
    case FailedCondition::Kind::kClaim: passed = failed.index; break;
    case FailedCondition::Kind::kPath: passed = m.claims.size(); break;
    case FailedCondition::Kind::kHeader: passed = m.claims.size() + 1 + failed.index; break;
    case FailedCondition::Kind::kQueryParameter: passed = m.claims.size() + 1 + m.headers.size() + failed.index; break;
    case FailedCondition::Kind::kNone: passed = m.claims.size() + 1 + m.headers.size() + m.query_parameters.size(); break;
  }
  std::size_t common = 0;
  if (failed.kind == FailedCondition::Kind::kPath && m.path.kind != PathMatcher::Kind::kRegex) {
    const std::string& want = m.path.value;
    while (common < want.size() && common < request.path.size() &&
           text::ascii_lower(want[common]) == text::ascii_lower(request.path[common]))
      ++common;
  }
  return passed * 100000 + std::min<std::size_t>(common, 99999);
}

std::string route_label(const route::Route& r, int index) {
  std::string out = "route #" + std::to_string(index);
  if (!r.name.empty()) out += " " + r.name;
  if (!r.virtual_service.empty()) {
    out += " (VirtualService " + r.virtual_service + " http[" + std::to_string(r.http_index) + "]";
    if (r.match_index >= 0) out += " match[" + std::to_string(r.match_index) + "]";
    if (!r.parents.empty()) out += ", generated from " + r.parents;
    out += ")";
  }
  return out;
}

std::string miss_text(const ConditionMiss& m) {
  return m.condition + ": expected " + m.expected + ", got " + in_quotes(m.actual);
}

// Envoy's domain kinds (config_impl.cc): the lookup tries them in this order.
std::string domain_kind(const std::string& domain) {
  if (domain == "*") return "any";
  if (domain.front() == '*') return "suffix wildcard";
  if (domain.back() == '*') return "prefix wildcard";
  return "exact";
}

// Whether one domain takes the Host header: the decision's own lookup (VirtualHostTable::find)
// over that domain alone, so a domain shown as matching is one the lookup would take.
bool domain_covers(const std::string& domain, const std::string& host_header) {
  route::VirtualHostTable one;
  one.add(domain, 0);
  return one.find(host_header) == 0;
}

// Specificity among matching domains, in the lookup's order: exact, longer suffix, longer prefix, "*".
std::size_t domain_rank(const std::string& domain) {
  const std::string kind = domain_kind(domain);
  if (kind == "exact") return 3u << 20;
  if (kind == "suffix wildcard") return (2u << 20) + domain.size();
  if (kind == "prefix wildcard") return (1u << 20) + domain.size();
  return 0;
}

// Whole DNS labels two names share at their end ("api.example.com", "www.example.com": 2).
int common_labels(const std::string& a, const std::string& b) {
  std::size_t i = a.size(), j = b.size();
  int labels = 0;
  while (i > 0 && j > 0 && a[i - 1] == b[j - 1]) {
    --i;
    --j;
    if (a[i] == '.') ++labels;
  }
  if ((i == 0 || a[i - 1] == '.') && (j == 0 || b[j - 1] == '.') && !(i == a.size())) ++labels;
  return labels;
}

int server_name_score(const std::vector<std::string>& names, const std::string& sni, std::string* matched) {
  int best = -1;
  for (const auto& n : names) {
    if (text::iequals(n, sni)) {
      *matched = n;
      return 1 << 20;
    }
    if (n.size() > 1 && n[0] == '*' && n[1] == '.' && sni.size() > n.size() - 1 &&
        text::iequals(std::string_view(sni).substr(sni.size() - (n.size() - 1)), std::string_view(n).substr(1)) &&
        static_cast<int>(n.size()) > best) {
      best = static_cast<int>(n.size());
      *matched = n;
    }
  }
  return best;
}

void explain_filter_chains(const route::Listener& listener, const std::string& sni, Explanation& e) {
  const route::FilterChain* chosen = select_filter_chain(listener, sni);
  for (const auto& c : listener.filter_chains) {
    FilterChainCandidate f{c.name, c.server_names, c.tls_mode, c.http, &c == chosen, ""};
    std::string matched;
    if (c.server_names.empty()) {
      f.why = f.chosen ? "accepts any server name" : "accepts any server name; a chain naming the SNI wins";
    } else if (sni.empty()) {
      f.why = "needs SNI " + join(c.server_names) + "; the client sent none";
    } else if (server_name_score(c.server_names, sni, &matched) >= 0) {
      f.why = "SNI " + in_quotes(sni) + " matches " + matched + (f.chosen ? "" : "; a more specific chain wins");
    } else {
      f.why = "SNI " + in_quotes(sni) + " is not " + join(c.server_names, " or ");
    }
    e.filter_chains.push_back(std::move(f));
  }
}

// The filter chain that came closest to a server name no chain takes: the most DNS labels in common.
void near_filter_chains(const std::string& sni, Explanation& e) {
  int best = 1;  // a shared top-level domain alone is no near miss
  const FilterChainCandidate* nearest = nullptr;
  std::string nearest_name;
  for (const auto& f : e.filter_chains) {
    for (const auto& n : f.server_names) {
      int shared = common_labels(text::to_lower(n[0] == '*' ? n.substr(1) : n), text::to_lower(sni));
      if (shared > best) {
        best = shared;
        nearest = &f;
        nearest_name = n;
      }
    }
  }
  if (nearest)
    e.near_misses.push_back({"filter chain " + nearest->name, "",
                             "serves " + nearest_name + ", not " + in_quotes(sni.empty() ? std::string("(no SNI)") : sni)});
}

void explain_domains(const route::RouteConfiguration& rc, const http::Request& request, Explanation& e) {
  const int chosen = rc.lookup.find(request.host);
  for (std::size_t i = 0; i < rc.virtual_hosts.size(); ++i) {
    const route::VirtualHost& vh = rc.virtual_hosts[i];
    std::size_t best_rank = 0;
    int best = -1;
    for (const auto& d : vh.domains) {
      DomainCandidate c{vh.name, d, domain_kind(d), domain_covers(d, request.host), false};
      if (c.matches && static_cast<int>(i) == chosen && (best < 0 || domain_rank(d) > best_rank)) {
        best_rank = domain_rank(d);
        best = static_cast<int>(e.domains.size());
      }
      e.domains.push_back(std::move(c));
    }
    if (best >= 0) e.domains[static_cast<std::size_t>(best)].chosen = true;
  }
  if (chosen != route::VirtualHostTable::kNone) e.virtual_host = rc.virtual_hosts[static_cast<std::size_t>(chosen)].name;
}

// A Host no domain takes: the domain with the most DNS labels in common, if it shares more than
// the top-level domain; else (an IP address, an unrelated name) the hosts the port does serve.
void near_domains(const route::RouteConfiguration& rc, Explanation& e) {
  int best = 1;
  const DomainCandidate* nearest = nullptr;
  for (const auto& d : e.domains) {
    int shared = common_labels(text::to_lower(d.domain[0] == '*' ? d.domain.substr(1) : d.domain), e.host);
    if (shared > best) {
      best = shared;
      nearest = &d;
    }
  }
  if (nearest)
    e.near_misses.push_back({"virtual host " + nearest->virtual_host, "",
                             "its domain " + nearest->domain + " (" + nearest->kind + ") does not match Host " +
                                 in_quotes(e.host)});
  if (nearest || rc.virtual_hosts.empty()) return;
  constexpr std::size_t kNamed = 3;
  std::vector<std::string> served;
  for (std::size_t i = 0; i < rc.virtual_hosts.size() && i < kNamed; ++i) served.push_back(rc.virtual_hosts[i].name);
  const std::size_t more = rc.virtual_hosts.size() - served.size();
  e.near_misses.push_back({"route configuration " + rc.name, "",
                           "no virtual host is near Host " + in_quotes(e.host) + "; it serves " + join(served) +
                               (more ? " and " + std::to_string(more) + " more" : std::string()) +
                               ": a Gateway server and a VirtualService must both name the host"});
}

void explain_routes(const route::VirtualHost& vh, const http::Request& request, const nlohmann::json& claims,
                    Explanation& e) {
  e.total_routes = static_cast<int>(vh.routes.size());
  std::vector<std::pair<std::size_t, std::size_t>> misses;  // closeness, index into e.routes
  for (std::size_t i = 0; i < vh.routes.size(); ++i) {
    const route::Route& r = vh.routes[i];
    RouteCandidate c{static_cast<int>(i), r.name, r.virtual_service, r.http_index, r.match_index,
                     r.source.to_string(), describe_match(r.match), std::nullopt};
    FailedCondition failed = first_failed_condition(r, request, claims);
    if (!failed.failed()) {
      e.matched_route = static_cast<int>(i);
      e.routes.push_back(std::move(c));
      break;
    }
    c.miss = describe_miss(r, failed, request, claims);
    misses.emplace_back(closeness(r, failed, request), e.routes.size());
    e.routes.push_back(std::move(c));
  }
  if (e.matched_route >= 0) return;
  // The nearest misses first (ties in route order), at most three.
  std::stable_sort(misses.begin(), misses.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t k = 0; k < misses.size() && k < 3; ++k) {
    const RouteCandidate& c = e.routes[misses[k].second];
    e.near_misses.push_back({route_label(vh.routes[static_cast<std::size_t>(c.index)], c.index), c.source,
                             miss_text(*c.miss)});
  }
}

void explain_cluster(const route::RouteTable& table, const DecisionTrace& decided, Explanation& e) {
  e.cluster = decided.cluster;
  if (decided.cluster.empty()) return;
  const route::Cluster* cluster = table.find_cluster(decided.cluster);
  if (!cluster) {
    // outbound|<port>|<subset>|<host>: what the table has for the same host.
    const std::string host = decided.cluster.substr(decided.cluster.rfind('|') + 1);
    std::vector<std::string> same_host;
    for (const auto& [name, c] : table.clusters)
      if (c.host == host) same_host.push_back(name);
    if (same_host.empty())
      e.near_misses.push_back({"cluster " + decided.cluster, "",
                               "no cluster of host " + host +
                                   ": no Service or ServiceEntry of that name is visible to the gateway"});
    else
      e.near_misses.push_back({"cluster " + decided.cluster, "",
                               "does not exist; host " + host + " has " + join(same_host) +
                                   " (subsets come from DestinationRules, ports from the Service)"});
    return;
  }
  if (decided.outcome == Outcome::kNoHealthyUpstream) {
    std::size_t unhealthy = 0;
    for (const auto& ep : cluster->endpoints) unhealthy += ep.healthy ? 0 : 1;
    std::string why = cluster->endpoints.empty()
                          ? "has no endpoint: no ready pod of " + (cluster->service.empty() ? cluster->host : cluster->service) +
                                (cluster->subset.empty() ? "" : " carries subset " + cluster->subset + "'s labels")
                          : "has " + std::to_string(cluster->endpoints.size()) + " endpoint(s), " +
                                std::to_string(unhealthy) + " not healthy";
    e.near_misses.push_back({"cluster " + cluster->name, "", why});
  }
}

}  // namespace

std::string describe_matcher(const StringMatcher& m) {
  switch (m.kind) {
    case StringMatcher::Kind::kExact: return "exact " + in_quotes(m.value);
    case StringMatcher::Kind::kPrefix: return "prefix " + in_quotes(m.value);
    case StringMatcher::Kind::kRegex: return "regex " + in_quotes(m.value);
    case StringMatcher::Kind::kPresent: return "present";
  }
  return "?";
}

std::string describe_match(const route::RouteMatch& m) {
  std::vector<std::string> parts;
  for (const auto& c : m.claims) parts.push_back("claim " + claim_name(c) + " " + (c.invert ? "not " : "") + describe_matcher(c.match));
  parts.push_back("path " + describe_path(m.path));
  for (const auto& h : m.headers) parts.push_back(header_condition(h.name) + " " + describe_header(h));
  for (const auto& q : m.query_parameters) parts.push_back("query parameter " + q.name + " " + describe_matcher(q.match));
  return join(parts);
}

Explanation explain(const route::RouteTable& table, const http::Request& request, const DecisionTrace& decided,
                    const nlohmann::json& claims) {
  Explanation e;
  e.service_port = request.port;
  for (const auto& l : table.listeners) e.listeners.push_back(l.name);
  const std::string outcome = outcome_name(decided.outcome);
  const std::string detail = decided.detail.empty() ? "" : ": " + decided.detail;

  // Listener: as match_listener, the Service port's targetPort, then the listener there.
  auto port = table.proxy.service_ports.find(request.port);
  const route::Listener* listener = nullptr;
  if (port != table.proxy.service_ports.end()) {
    e.target_port = port->second;
    listener = table.find_listener(port->second);
  }
  if (!listener) {
    e.stopped_at = "listener";
    for (const auto& [service_port, target] : table.proxy.service_ports)
      if (const route::Listener* l = table.find_listener(target))
        e.near_misses.push_back({"Service port " + std::to_string(service_port), "",
                                 "leads to " + l->name + "; port " + std::to_string(request.port) +
                                     (e.target_port ? " leads to pod port " + std::to_string(e.target_port) +
                                                          ", where no Gateway server listens"
                                                    : " is not a port of the gateway Service")});
    e.summary = outcome + detail;
    return e;
  }
  e.listener = listener->name;

  // Filter chain.
  e.sni = http::server_name(request);
  explain_filter_chains(*listener, e.sni, e);
  const route::FilterChain* chain = select_filter_chain(*listener, e.sni);
  if (!chain || decided.outcome == Outcome::kNoFilterChain || decided.outcome == Outcome::kTlsError) {
    e.stopped_at = "filter chain";
    if (!chain) near_filter_chains(e.sni, e);
    e.summary = outcome + detail;
    return e;
  }
  if (!chain->http) {
    explain_cluster(table, decided, e);
    if (decided.outcome == Outcome::kClusterNotFound || decided.outcome == Outcome::kNoHealthyUpstream) e.stopped_at = "cluster";
    e.summary = outcome + " through TCP proxy chain " + chain->name + (decided.cluster.empty() ? "" : " to " + decided.cluster) + detail;
    return e;
  }

  // Virtual host.
  e.route_config = chain->route_config;
  {
    // The lookup key VirtualHostTable::find makes of the Host header.
    std::string buf(request.host.size() + 1, '\0');
    e.host = std::string(route::detail::normalize_host(request.host, buf.data(), buf.size()));
  }
  auto rc = table.route_configs.find(chain->route_config);
  if (rc == table.route_configs.end()) {
    e.stopped_at = "virtual host";
    e.summary = outcome + ": route configuration " + chain->route_config + " does not exist";
    return e;
  }
  explain_domains(rc->second, request, e);
  if (e.virtual_host.empty()) {
    e.stopped_at = "virtual host";
    near_domains(rc->second, e);
    e.summary = outcome + ": no domain of the " + std::to_string(rc->second.virtual_hosts.size()) +
                " virtual host(s) of " + rc->first + " matches Host " + in_quotes(e.host);
    return e;
  }
  const route::VirtualHost& vh = rc->second.virtual_hosts[static_cast<std::size_t>(rc->second.lookup.find(request.host))];
  if (vh.require_tls && forwarded_proto(table, request) != "https") {
    e.stopped_at = "virtual host";
    e.summary = outcome + ": virtual host " + vh.name + " requires TLS (httpsRedirect): plaintext gets 301 to https";
    return e;
  }

  // Route.
  explain_routes(vh, request, claims, e);
  if (e.matched_route < 0) {
    e.stopped_at = "route";
    e.summary = vh.routes.empty()
                    ? outcome + ": virtual host " + vh.name + " has no routes" +
                          (vh.name.rfind("blackhole:", 0) == 0
                               ? " (Istio's blackhole: no VirtualService is bound to a server on this port)"
                               : "")
                    : outcome + ": none of the " + std::to_string(vh.routes.size()) + " routes of " + vh.name +
                          " matches" + (e.near_misses.empty() ? "" : "; nearest: " + e.near_misses.front().object + ", " +
                                                                        e.near_misses.front().reason);
    return e;
  }
  const route::Route& matched = vh.routes[static_cast<std::size_t>(e.matched_route)];
  explain_cluster(table, decided, e);
  if (decided.outcome == Outcome::kClusterNotFound || decided.outcome == Outcome::kNoHealthyUpstream)
    e.stopped_at = "cluster";
  e.summary = outcome + " by " + route_label(matched, e.matched_route) +
              (decided.cluster.empty() ? "" : " to " + decided.cluster) + detail;
  return e;
}

nlohmann::json Explanation::to_json() const {
  nlohmann::json chains = nlohmann::json::array();
  for (const auto& c : filter_chains)
    chains.push_back({{"name", c.name}, {"serverNames", c.server_names}, {"tlsMode", c.tls_mode}, {"http", c.http},
                      {"chosen", c.chosen}, {"why", c.why}});
  nlohmann::json domains_json = nlohmann::json::array();
  for (const auto& d : domains)
    domains_json.push_back({{"virtualHost", d.virtual_host}, {"domain", d.domain}, {"kind", d.kind},
                            {"matches", d.matches}, {"chosen", d.chosen}});
  nlohmann::json routes_json = nlohmann::json::array();
  for (const auto& r : routes) {
    nlohmann::json j = {{"index", r.index},         {"name", r.name},   {"virtualService", r.virtual_service},
                        {"httpIndex", r.http_index}, {"matchIndex", r.match_index}, {"source", r.source},
                        {"match", r.match},          {"matched", !r.miss}};
    if (r.miss)
      j["failed"] = {{"condition", r.miss->condition}, {"expected", r.miss->expected}, {"actual", r.miss->actual}};
    routes_json.push_back(std::move(j));
  }
  nlohmann::json near = nlohmann::json::array();
  for (const auto& n : near_misses) near.push_back({{"object", n.object}, {"source", n.source}, {"reason", n.reason}});
  return {{"summary", summary},
          {"stoppedAt", stopped_at},
          {"listener", {{"servicePort", service_port}, {"targetPort", target_port}, {"name", listener},
                        {"listeners", listeners}}},
          {"sni", sni},
          {"filterChains", std::move(chains)},
          {"routeConfig", route_config},
          {"host", host},
          {"domains", std::move(domains_json)},
          {"virtualHost", virtual_host},
          {"routes", std::move(routes_json)},
          {"totalRoutes", total_routes},
          {"matchedRoute", matched_route},
          {"cluster", cluster},
          {"nearMisses", std::move(near)}};
}

std::string Explanation::to_text() const {
  constexpr std::size_t kShownDomains = 8;  // besides the matching ones
  constexpr std::size_t kShownRoutes = 20;
  std::ostringstream out;
  out << "  why: " << summary << "\n";
  if (service_port)
    out << "  listener: Service port " << service_port << " -> "
        << (target_port ? "pod port " + std::to_string(target_port) + " -> " + (listener.empty() ? "no listener" : listener)
                        : std::string("not a port of the gateway Service"))
        << (listener.empty() && !listeners.empty() ? " (listeners: " + join(listeners) + ")" : "") << "\n";
  if (!filter_chains.empty()) {
    out << "  filter chains of " << listener << " (" << (sni.empty() ? "no SNI" : "SNI " + in_quotes(sni)) << "):\n";
    for (const auto& c : filter_chains)
      out << "    " << (c.chosen ? "* " : "  ") << (c.name.empty() ? "(unnamed)" : c.name) << " ["
          << (c.tls_mode.empty() ? "plaintext" : c.tls_mode) << ", " << (c.http ? "HTTP" : "TCP") << "]: " << c.why
          << "\n";
  }
  if (!domains.empty()) {
    out << "  virtual hosts of " << route_config << " for Host " << in_quotes(host)
        << " (exact, then the longest suffix wildcard, the longest prefix wildcard, \"*\"):\n";
    std::size_t shown_other = 0, hidden = 0;
    for (const auto& d : domains) {
      if (!d.matches && shown_other++ >= kShownDomains) {
        ++hidden;
        continue;
      }
      out << "    " << (d.chosen ? "* " : "  ") << d.virtual_host << ": " << d.domain << " (" << d.kind << ") "
          << (d.chosen ? "matches, chosen" : d.matches ? "matches, less specific" : "no match") << "\n";
    }
    if (hidden) out << "      and " << hidden << " more domain(s), none matching\n";
  }
  if (!virtual_host.empty() && total_routes > 0) {
    out << "  routes of " << virtual_host << " in order (the first match wins):\n";
    for (std::size_t i = 0; i < routes.size(); ++i) {
      if (routes.size() > kShownRoutes && i == kShownRoutes / 2) {
        out << "      ... " << routes.size() - kShownRoutes << " more, none matching (-o json lists them)\n";
        i = routes.size() - kShownRoutes / 2;
      }
      const RouteCandidate& r = routes[i];
      out << "    " << (r.miss ? "  " : "* ") << "#" << r.index << (r.name.empty() ? "" : " " + r.name);
      if (!r.virtual_service.empty()) {
        out << " (VirtualService " << r.virtual_service << " http[" << r.http_index << "]";
        if (r.match_index >= 0) out << " match[" << r.match_index << "]";
        out << (r.source.empty() ? "" : ", " + r.source) << ")";
      }
      out << " " << r.match << ": " << (r.miss ? miss_text(*r.miss) : std::string("matched")) << "\n";
    }
    if (matched_route >= 0 && matched_route + 1 < total_routes)
      out << "      (" << total_routes - matched_route - 1 << " later route(s) not considered)\n";
  }
  if (!near_misses.empty()) {
    out << "  near misses:\n";
    for (const auto& n : near_misses)
      out << "    " << n.object << (n.source.empty() ? "" : " (" + n.source + ")") << ": " << n.reason << "\n";
  }
  return out.str();
}

}  // namespace gwsim::match
