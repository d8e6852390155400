#include "engine/config_dump/istioctl_tables.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "engine/config_dump/certificate_info.h"
#include "engine/config_dump/envoy_config_dump.h"

namespace gwsim::config_dump {

namespace {

using Rows = std::vector<std::vector<std::string>>;

// "ns/name" -> "name.ns", as istioctl's renderConfig prints a route's or cluster's istio config.
std::string name_dot_namespace(const std::string& ns_name) {
  const auto slash = ns_name.find('/');
  return slash == std::string::npos ? std::string() : ns_name.substr(slash + 1) + "." + ns_name.substr(0, slash);
}

// listener.go getMatches, for what a gateway's filter chain matches on.
std::string chain_match(const route::FilterChain& chain) {
  if (chain.server_names.empty()) return "ALL";
  std::string names;
  for (const auto& n : chain.server_names) names += (names.empty() ? "" : ",") + n;
  return "SNI: " + names;
}

// listener.go getFilterType.
std::string chain_destination(const route::FilterChain& chain) {
  if (chain.http) return "Route: " + chain.route_config;
  // A TcpProxy with weighted clusters has no `cluster`.
  return "Cluster: " + (chain.tcp_clusters.size() == 1 ? chain.tcp_clusters[0].cluster : std::string());
}

// route.go describeRouteDomains: one domain as is; several: those without a port, two at most.
std::string route_domains(const std::vector<std::string>& domains) {
  if (domains.empty()) return "";
  if (domains.size() == 1) return domains[0];
  std::vector<std::string> without_port;
  for (const auto& d : domains)
    if (d.find(':') == std::string::npos) without_port.push_back(d);
  constexpr std::size_t kMaximum = 2;
  std::string out;
  for (std::size_t i = 0; i < without_port.size() && i < kMaximum; ++i) out += (i ? ", " : "") + without_port[i];
  if (without_port.size() > kMaximum) out += " + " + std::to_string(without_port.size() - kMaximum) + " more...";
  return out;
}

// listener.go describeMatch: the path condition only.
std::string route_match_text(const route::RouteMatch& m) {
  switch (m.path.kind) {
    case route::PathMatcher::Kind::kPrefix:
      return m.path.value + "*";
    case route::PathMatcher::Kind::kPathSeparatedPrefix:
      return "PathPrefix:" + m.path.value;
    case route::PathMatcher::Kind::kExact:
      return m.path.value;
    case route::PathMatcher::Kind::kRegex:
      return "regex " + m.path.value;
  }
  return "";
}

// cluster.go's order (safelyParseSubsetKey): FQDN, subset, port, direction.
std::vector<const route::Cluster*> sorted_clusters(const route::RouteTable& table) {
  std::vector<const route::Cluster*> out;
  for (const auto& [name, c] : table.clusters) out.push_back(&c);
  std::stable_sort(out.begin(), out.end(), [](const route::Cluster* a, const route::Cluster* b) {
    return std::tie(a->host, a->subset, a->port) < std::tie(b->host, b->subset, b->port);
  });
  return out;
}

std::string prefixed(bool with_type_names, const char* type, const std::string& name) {
  return with_type_names ? std::string(type) + "/" + name : name;
}

}  // namespace

std::string tabulate(const std::vector<std::vector<std::string>>& rows, int padding) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows)
    for (std::size_t i = 0; i + 1 < row.size(); ++i) {
      if (widths.size() <= i) widths.resize(i + 1, 0);
      widths[i] = std::max(widths[i], row[i].size());
    }
  std::string out;
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      out += row[i];
      if (i + 1 < row.size()) out.append(widths[i] + static_cast<std::size_t>(padding) - row[i].size(), ' ');
    }
    out += "\n";
  }
  return out;
}

std::string listeners_table(const route::RouteTable& table, bool with_type_names) {
  std::vector<const route::Listener*> listeners;
  for (const auto& l : table.listeners) listeners.push_back(&l);
  std::stable_sort(listeners.begin(), listeners.end(), [](const route::Listener* a, const route::Listener* b) {
    return std::tie(a->port, a->bind) < std::tie(b->port, b->bind);
  });
  Rows rows;
  rows.push_back({"ADDRESSES", "PORT", "MATCH", "DESTINATION"});
  if (with_type_names) rows.back().insert(rows.back().begin(), "NAME");
  for (const auto* l : listeners) {
    std::vector<std::pair<std::string, std::string>> matches;  // (match, destination)
    for (const auto& chain : l->filter_chains) matches.emplace_back(chain_match(chain), chain_destination(chain));
    std::stable_sort(matches.begin(), matches.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    for (const auto& [match, destination] : matches) {
      rows.push_back({l->bind, std::to_string(l->port), match, destination});
      if (with_type_names) rows.back().insert(rows.back().begin(), "listener/" + l->name);
    }
  }
  return tabulate(rows, 1);
}

std::string routes_table(const route::RouteTable& table, bool with_type_names) {
  Rows rows;
  rows.push_back({"NAME", "VHOST NAME", "DOMAINS", "MATCH", "VIRTUAL SERVICE"});
  for (const auto& [name, rc] : table.route_configs) {
    const std::string shown = prefixed(with_type_names, "route", name);
    for (const auto& vh : rc.virtual_hosts) {
      for (const auto& r : vh.routes)
        rows.push_back(
            {shown, vh.name, route_domains(vh.domains), route_match_text(r.match), name_dot_namespace(r.virtual_service)});
      if (vh.routes.empty()) rows.push_back({shown, vh.name, route_domains(vh.domains), "/*", "404"});
    }
  }
  return tabulate(rows, 5);
}

std::string clusters_table(const route::RouteTable& table, bool with_type_names) {
  Rows rows;
  rows.push_back({"SERVICE FQDN", "PORT", "SUBSET", "DIRECTION", "TYPE", "DESTINATION RULE"});
  if (with_type_names) rows.back().insert(rows.back().begin(), "NAME");
  for (const auto* c : sorted_clusters(table)) {
    rows.push_back({c->host, std::to_string(c->port), c->subset.empty() ? "-" : c->subset, "outbound", "EDS",
                    name_dot_namespace(c->destination_rule)});
    if (with_type_names) rows.back().insert(rows.back().begin(), "cluster/" + c->name);
  }
  return tabulate(rows, 5);
}

std::string endpoints_table(const route::RouteTable& table, bool with_type_names) {
  Rows rows;
  rows.push_back({"NAME", "STATUS", "LOCALITY", "CLUSTER"});
  for (const auto* c : sorted_clusters(table))
    for (const auto& e : c->endpoints)
      rows.push_back({prefixed(with_type_names, "endpoint", e.ip + ":" + std::to_string(e.port)),
                      e.healthy ? "HEALTHY" : "UNHEALTHY", "", c->name});
  return tabulate(rows, 5);
}

std::string secrets_table(const route::RouteTable& table, std::time_t now, bool with_type_names) {
  Rows rows;
  rows.push_back({"RESOURCE NAME", "TYPE", "STATUS", "VALID CERT", "SERIAL NUMBER", "NOT AFTER", "NOT BEFORE"});
  std::set<std::string> seen;
  auto add = [&](const std::string& name, const char* type, const std::string& pem) {
    if (name.empty() || pem.empty() || !seen.insert(name).second) return;
    const auto info = certificate_info(pem, now);
    rows.push_back({prefixed(with_type_names, "secret", name), type, "ACTIVE", info && info->valid ? "true" : "false",
                    info ? info->serial_number : "", info ? info->not_after : "", info ? info->not_before : ""});
  };
  for (const auto& l : table.listeners)
    for (const auto& chain : l.filter_chains) {
      if (!chain.credential) continue;
      add(sds_certificate_name(chain), "Cert Chain", chain.credential->certificate_chain);
      add(sds_ca_name(chain), "CA", chain.credential->ca_certificates);
    }
  if (rows.size() == 1) return "No secret items to show.\n";
  return tabulate(rows, 5);
}

std::string all_tables(const route::RouteTable& table, std::time_t now) {
  return "------ CLUSTER INFO ------\n\n" + clusters_table(table, true) + "\n------ LISTENER INFO ------\n\n" +
         listeners_table(table, true) + "\n------ ROUTE INFO ------\n\n" + routes_table(table, true) +
         "\n------ SECRET INFO ------\n\n" + secrets_table(table, now, true) + "\n------ ENDPOINTS INFO ------\n\n" +
         endpoints_table(table, true);
}

}  // namespace gwsim::config_dump
