#include "engine/config_diff/probes.h"

#include <optional>
#include <set>
#include <utility>

namespace gwsim::config_diff {

namespace {

// A regex with no operator matches exactly its own text: a probe can be built from it.
std::optional<std::string> literal_regex(const std::string& value) {
  if (value.find_first_of("\\^$.|?*+()[]{}") != std::string::npos) return std::nullopt;
  return value;
}

std::optional<std::string> sample(const route::StringMatcher& m) {
  switch (m.kind) {
    case route::StringMatcher::Kind::kExact:
    case route::StringMatcher::Kind::kPrefix:
      return m.value;
    case route::StringMatcher::Kind::kPresent:
      return std::string("probe");
    case route::StringMatcher::Kind::kRegex:
      return literal_regex(m.value);
  }
  return std::nullopt;
}

// "/api/v1" -> "/api", "/api" -> "/", "/api/" -> "/api"; nullopt for "/".
std::optional<std::string> parent_path(const std::string& prefix) {
  if (prefix.size() <= 1) return std::nullopt;
  if (prefix.back() == '/') return prefix.substr(0, prefix.size() - 1);
  const auto slash = prefix.rfind('/');
  if (slash == std::string::npos) return std::nullopt;
  return slash == 0 ? std::string("/") : prefix.substr(0, slash);
}

std::string below(const std::string& prefix) { return prefix + (prefix.back() == '/' ? "probe" : "/probe"); }

// The paths (and why) a route's path condition calls for: the match itself first.
std::vector<std::pair<std::string, std::string>> paths_for(const route::PathMatcher& path) {
  using Kind = route::PathMatcher::Kind;
  std::vector<std::pair<std::string, std::string>> out;
  const std::string& v = path.value.empty() ? std::string("/") : path.value;
  switch (path.kind) {
    case Kind::kExact:
      out.emplace_back(v, "");
      if (v.back() == '/' && v.size() > 1)
        out.emplace_back(v.substr(0, v.size() - 1), "exact " + v + " without its trailing slash");
      else
        out.emplace_back(v + "/", "exact " + v + " with a trailing slash");
      break;
    case Kind::kPrefix:
    case Kind::kPathSeparatedPrefix: {
      const char* kind = path.kind == Kind::kPrefix ? "prefix " : "path-separated prefix ";
      out.emplace_back(v, "");
      out.emplace_back(below(v), std::string("below ") + kind + v);
      if (path.kind == Kind::kPathSeparatedPrefix && v.back() != '/')
        out.emplace_back(v + "probe", std::string("longer segment than ") + kind + v);
      if (auto parent = parent_path(v)) out.emplace_back(*parent, std::string("parent of ") + kind + v);
      break;
    }
    case Kind::kRegex:
      if (auto literal = literal_regex(v)) out.emplace_back(*literal, "");
      break;
  }
  return out;
}

// The Service port of the gateway that reaches a listen port (the first, in port order).
std::optional<std::uint32_t> service_port_for(const route::GatewayProxy& proxy, std::uint32_t listen_port) {
  for (const auto& [service_port, target] : proxy.service_ports)
    if (target == listen_port) return service_port;
  return std::nullopt;
}

std::string key_of(const Probe& p) { return p.gateway + " " + describe_probe(p); }

}  // namespace

std::string probe_host(const std::string& domain) {
  if (domain == "*") return "probe.invalid";
  if (domain.rfind("*.", 0) == 0) return "probe" + domain.substr(1);
  if (domain.size() > 1 && domain.back() == '*') return domain.substr(0, domain.size() - 1) + "probe";
  return domain;
}

std::string describe_probe(const Probe& probe) {
  const auto& r = probe.request;
  std::string out = r.method + " " + r.scheme + "://" + r.host + ":" + std::to_string(r.port) + r.path;
  if (r.scheme == "https" && r.sni != http::host_without_port(r.host)) out += " sni=" + r.sni;
  if (r.client_certificate) out += " client-certificate";
  if (!r.headers.empty()) {
    out += " [";
    for (std::size_t i = 0; i < r.headers.size(); ++i)
      out += (i ? ", " : "") + r.headers[i].first + ": " + r.headers[i].second;
    out += "]";
  }
  return out;
}

void merge_probes(std::vector<Probe>& probes, std::vector<Probe> more) {
  std::set<std::string> seen;
  for (const auto& p : probes) seen.insert(key_of(p));
  for (auto& p : more)
    if (seen.insert(key_of(p)).second) probes.push_back(std::move(p));
}

std::vector<Probe> probes_for(const std::string& gateway, const route::RouteTable& table) {
  std::vector<Probe> out;
  std::set<std::string> seen;
  auto emit = [&](Probe p) {
    if (seen.insert(key_of(p)).second) out.push_back(std::move(p));
  };
  std::vector<Probe> boundaries;  // after every match probe, so a match's own probe keeps its origin
  for (const auto& listener : table.listeners) {
    const auto port = service_port_for(table.proxy, listener.port);
    if (!port) continue;  // no Service port reaches it
    for (const auto& chain : listener.filter_chains) {
      if (!chain.http || chain.route_config.empty()) continue;
      auto rc = table.route_configs.find(chain.route_config);
      if (rc == table.route_configs.end()) continue;
      for (const auto& vh : rc->second.virtual_hosts) {
        for (const auto& domain : vh.domains) {
          http::Request base;
          base.port = *port;
          base.scheme = chain.tls_mode.empty() ? "http" : "https";
          base.host = probe_host(domain);
          if (base.scheme == "https") base.sni = base.host;
          base.client_certificate = chain.tls_mode == "MUTUAL";
          if (vh.routes.empty()) {
            out.push_back({gateway, base, "virtual host " + rc->first + "/" + vh.name});
            continue;
          }
          for (std::size_t k = 0; k < vh.routes.size(); ++k) {
            const auto& m = vh.routes[k].match;
            if (!m.claims.empty()) continue;  // a JWT claim cannot be built from the match alone
            http::Request request = base;
            std::string query;
            for (const auto& h : m.headers) {
              if (h.invert) continue;
              auto value = sample(h.match);
              if (!value) continue;
              if (h.name == ":method")
                request.method = *value;
              else if (h.name.empty() || h.name.front() != ':')
                request.headers.emplace_back(h.name, *value);
            }
            for (const auto& q : m.query_parameters) {
              auto value = sample(q.match);
              if (value) query += (query.empty() ? "?" : "&") + q.name + "=" + *value;
            }
            const std::string route_name = rc->first + "/" + vh.name + " #" + std::to_string(k);
            for (const auto& [path, why] : paths_for(m.path)) {
              Probe p{gateway, request, why.empty() ? "match of " + route_name : why + " (" + route_name + ")"};
              p.request.path = path + query;
              (why.empty() ? out : boundaries).push_back(std::move(p));
            }
          }
        }
      }
    }
  }
  // Unique, match probes first.
  std::vector<Probe> all = std::move(out);
  out.clear();
  for (auto& p : all) emit(std::move(p));
  for (auto& p : boundaries) emit(std::move(p));
  return out;
}

}  // namespace gwsim::config_diff
