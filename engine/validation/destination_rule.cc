// Istio's webhook for DestinationRule: paraphrases pkg/config/validation/validation.go
// ValidateDestinationRule, validateTrafficPolicy, validateConnectionPool, validateLoadBalancer,
// validateOutlierDetection and validateTLS, and agent/validation.go validateLocalityLbSetting.
#include <algorithm>
#include <set>

#include "engine/validation/detail_fields.h"
#include "engine/validation/detail_kinds.h"
#include "engine/validation/detail_rules.h"

namespace gwsim::validation::detail {

namespace {

Errors validate_client_tls(const std::string& ns, const Json* tls) {
  Errors e;
  if (!tls) return e;
  const Json& t = *tls;
  std::string mode = string_member(t, "mode"), credential = string_member(t, "credentialName");
  if (!credential.empty() && credential.rfind("configmap://", 0) == 0) {
    std::string rest = credential.substr(12);
    auto slash = rest.find('/');
    std::string cm_ns = slash == std::string::npos ? ns : rest.substr(0, slash);
    if (cm_ns != ns || ns.empty()) {
      e.add("invalid configmap:// credentialName: namespace must match the configuration namespace " + go_quote(ns));
    }
  }
  if (boolean(t, "insecureSkipVerify")) {
    if (mode == "SIMPLE" &&
        (!string_member(t, "caCertificates").empty() || !credential.empty() || has(t, "subjectAltNames"))) {
      e.add("cannot specify CaCertificates or CredentialName or SubjectAltNames when InsecureSkipVerify is set true");
    }
    if (mode == "MUTUAL" && (!string_member(t, "caCertificates").empty() || has(t, "subjectAltNames"))) {
      e.add("cannot specify CaCertificates or SubjectAltNames when InsecureSkipVerify is set true");
    }
  }
  if ((mode == "SIMPLE" || mode == "MUTUAL") && !credential.empty()) {
    if (!string_member(t, "clientCertificate").empty() || !string_member(t, "caCertificates").empty() ||
        !string_member(t, "privateKey").empty() || !string_member(t, "caCrl").empty()) {
      e.add("cannot specify client certificates or CA certificate or CA CRL If credentialName is set");
    }
    return e;
  }
  if (mode == "MUTUAL") {
    if (string_member(t, "clientCertificate").empty()) e.add("client certificate required for mutual tls");
    if (string_member(t, "privateKey").empty()) e.add("private key required for mutual tls");
  }
  return e;
}

Errors validate_outlier_detection(const Json* od) {
  Errors e;
  if (!od) return e;
  if (has(*od, "baseEjectionTime")) e.add(validate_duration(duration_ns(*od, "baseEjectionTime")));
  if (integer(*od, "consecutiveErrors") != 0) {
    e.warn("outlier detection consecutive errors is deprecated, use consecutiveGatewayErrors or consecutive5xxErrors instead");
  }
  if (!boolean(*od, "splitExternalLocalOriginErrors") && integer(*od, "consecutiveLocalOriginFailures") > 0) {
    e.add("outlier detection consecutive local origin failures is specified, but split external local origin errors is set to false");
  }
  if (has(*od, "interval")) e.add(validate_duration(duration_ns(*od, "interval")));
  for (const char* key : {"maxEjectionPercent", "minHealthPercent"}) {
    std::int64_t v = integer(*od, key);
    if (v < 0 || v > 100) e.add("percentage " + std::to_string(v) + " is not in range 0..100");
  }
  return e;
}

Errors validate_connection_pool(const Json* cp) {
  Errors e;
  if (!cp) return e;
  const Json* http = get(*cp, "http");
  const Json* tcp = get(*cp, "tcp");
  if (!http && !tcp) {
    e.add("connection pool must have at least one field");
    return e;
  }
  if (http) {
    if (integer(*http, "http1MaxPendingRequests") < 0) e.add("http1 max pending requests must be non-negative");
    if (integer(*http, "http2MaxRequests") < 0) e.add("http2 max requests must be non-negative");
    if (integer(*http, "maxRequestsPerConnection") < 0) e.add("max requests per connection must be non-negative");
    if (integer(*http, "maxRetries") < 0) e.add("max retries must be non-negative");
    if (has(*http, "idleTimeout")) e.add(validate_duration(duration_ns(*http, "idleTimeout")));
    if (string_member(*http, "h2UpgradePolicy") == "UPGRADE" && boolean(*http, "useClientProtocol")) {
      e.add("use client protocol must not be true when H2UpgradePolicy is UPGRADE");
    }
    if (integer(*http, "maxConcurrentStreams") < 0) e.add("max concurrent streams must be non-negative");
    if (const Json* ka = get(*http, "http2KeepAlive")) {
      if (!has(*ka, "interval")) e.add("http2 keepalive interval is required");
      else e.add(validate_duration(duration_ns(*ka, "interval")));
      if (!has(*ka, "timeout")) e.add("http2 keepalive timeout is required");
      else e.add(validate_duration(duration_ns(*ka, "timeout")));
    }
  }
  if (tcp) {
    if (integer(*tcp, "maxConnections") < 0) e.add("max connections must be non-negative");
    if (has(*tcp, "connectTimeout")) e.add(validate_duration(duration_ns(*tcp, "connectTimeout")));
    if (has(*tcp, "maxConnectionDuration")) e.add(validate_duration(duration_ns(*tcp, "maxConnectionDuration")));
    if (has(*tcp, "idleTimeout") && duration_ns(*tcp, "idleTimeout") / 1000000 != 0) {
      e.add(validate_duration(duration_ns(*tcp, "idleTimeout")));  // 0s disables the timeout
    }
    if (const Json* ka = get(*tcp, "tcpKeepalive")) {
      if (has(*ka, "time")) e.add(validate_duration(duration_ns(*ka, "time")));
      if (has(*ka, "interval")) e.add(validate_duration(duration_ns(*ka, "interval")));
    }
  }
  return e;
}

std::optional<std::string> validate_localities(const std::vector<std::string>& localities) {
  // region -> zone -> subzone; "*" marks "everything below".
  std::map<std::string, std::map<std::string, std::map<std::string, bool>>> seen;
  for (const auto& locality : localities) {
    auto stars = std::count(locality.begin(), locality.end(), '*');
    if (stars > 0 && (stars > 1 || locality.back() != '*')) {
      return "locality " + locality + " wildcard '*' number can not exceed 1 and must be in the end";
    }
    if (seen.count("*")) return "locality " + locality + " overlap with previous specified ones";
    std::vector<std::string> items;
    size_t start = 0;
    for (int k = 0; k < 3; ++k) {
      size_t slash = k < 2 ? locality.find('/', start) : std::string::npos;
      items.push_back(locality.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
      if (slash == std::string::npos) break;
      start = slash + 1;
    }
    if (std::any_of(items.begin(), items.end(), [](const std::string& s) { return s.empty(); })) {
      return "locality " + locality + " must not contain empty region/zone/subzone info";
    }
    const std::string overlap = "locality " + locality + " overlap with previous specified ones";
    const std::string& region = items[0];
    if (items.size() == 1) {
      if (seen.count(region)) return overlap;
      seen[region]["*"]["*"] = true;
    } else if (items.size() == 2) {
      const std::string& zone = items[1];
      if (seen.count(region)) {
        if (seen[region].count("*") || seen[region].count(zone)) return overlap;
      }
      seen[region][zone]["*"] = true;
    } else {
      const std::string &zone = items[1], &subzone = items[2];
      if (seen.count(region)) {
        if (seen[region].count("*")) return overlap;
        if (seen[region].count(zone)) {
          auto& z = seen[region][zone];
          if (z["*"] || z[subzone]) return overlap;
        }
      }
      seen[region][zone][subzone] = true;
    }
  }
  return std::nullopt;
}

Errors validate_locality_lb(const Json* lb, const Json* outlier) {
  Errors e;
  if (!lb) return e;
  const Json& distribute = list(*lb, "distribute");
  const Json& failover = list(*lb, "failover");
  std::vector<std::string> priority = strings(*lb, "failoverPriority");
  if (!distribute.empty() && !failover.empty()) {
    e.add("can not simultaneously specify 'distribute' and 'failover'");
    return e;
  }
  static const std::set<std::string> topology = {"topology.kubernetes.io/region", "topology.kubernetes.io/zone",
                                                 "topology.istio.io/subzone"};
  if (!failover.empty()) {
    for (const auto& label : priority) {
      if (topology.count(label)) {
        e.add("can not simultaneously set 'failover' and topology label '" + label + "' in 'failover_priority'");
        return e;
      }
    }
  }
  std::vector<std::string> sources;
  for (const auto& d : distribute) {
    sources.push_back(string_member(d, "from"));
    std::int64_t total = 0;
    std::vector<std::string> destinations;
    for (const auto& [loc, weight] : members(d, "to").items()) {
      destinations.push_back(loc);
      std::int64_t w = weight.is_number() ? static_cast<std::int64_t>(weight.get<double>()) : 0;
      if (w <= 0 || w > 100) {
        e.add("locality weight must be in range [1, 100]");
        return e;
      }
      total += w;
    }
    if (total != 100) {
      e.add("total locality weight " + std::to_string(total) + " != 100");
      return e;
    }
    e.add(validate_localities(destinations));
  }
  e.add(validate_localities(sources));
  if ((!failover.empty() || !priority.empty()) && !outlier) e.warn("outlier detection policy must be provided for failover");
  for (const auto& f : failover) {
    std::string from = string_member(f, "from"), to = string_member(f, "to");
    if (from == to) e.add("locality lb failover settings must specify different regions");
    if (from.find('/') != std::string::npos || to.find('/') != std::string::npos) e.add("locality lb failover only specify region");
    if (from.find('*') != std::string::npos || to.find('*') != std::string::npos) {
      e.add("locality lb failover region should not contain '*' wildcard");
    }
  }
  return e;
}

Errors validate_zone_aware_lb(const Json* lb, const Json* outlier) {
  Errors e;
  if (!lb) return e;
  for (const auto& label : strings(*lb, "failoverPriority")) {
    if (label == "topology.kubernetes.io/region" || label == "topology.kubernetes.io/zone" ||
        label == "topology.istio.io/subzone") {
      e.add("'failover_priority' for zone aware lb must not use topology label '" + label +
            "'; region- and zone-level routing are handled automatically");
    }
  }
  const Json& failover = list(*lb, "failover");
  if ((!failover.empty() || !strings(*lb, "failoverPriority").empty()) && !outlier) {
    e.warn("outlier detection policy must be provided for failover");
  }
  for (const auto& f : failover) {
    std::string from = string_member(f, "from"), to = string_member(f, "to");
    if (from == to) e.add("zone aware lb failover settings must specify different regions");
    if (from.find('/') != std::string::npos || to.find('/') != std::string::npos) {
      e.add("zone aware lb failover only specifies region; zone and subzone failover are handled automatically");
    }
    if (from.find('*') != std::string::npos || to.find('*') != std::string::npos) {
      e.add("zone aware lb failover region should not contain '*' wildcard");
    }
  }
  return e;
}

bool is_prime(std::uint64_t x) {  // Envoy's check, which Istio mirrors
  if (x != 0 && x < 4) return true;
  if ((x & 1) == 0) return false;
  auto limit = static_cast<std::uint64_t>(std::sqrt(static_cast<double>(x)));
  for (std::uint64_t f = 3; f <= limit; f += 2) {
    if (x % f == 0) return false;
  }
  return true;
}

Errors validate_load_balancer(const Json* lb, const Json* outlier) {
  Errors e;
  if (!lb) return e;
  if (const Json* ch = get(*lb, "consistentHash")) {
    const Json* cookie = get(*ch, "httpCookie");
    if (cookie && string_member(*cookie, "name").empty()) e.add("name required for HttpCookie");
    if (cookie) {
      std::set<std::string> names;
      for (const auto& attr : list(*cookie, "attributes")) {
        std::string name = string_member(attr, "name");
        if (name.empty()) {
          e.add("cookie attribute name cannot be empty");
          continue;
        }
        if (!names.insert(name).second) e.add("duplicate cookie attribute name: " + name);
      }
    }
    const bool ring = integer(*ch, "minimumRingSize") != 0;
    if (ring) e.warn("consistent hash MinimumRingSize is deprecated, use ConsistentHashLB's RingHash configuration instead");
    if (ring && (has(*ch, "ringHash") || has(*ch, "maglev"))) {
      e.add("only one of MinimumRingSize or Maglev/Ringhash can be specified");
    }
    if (const Json* ml = get(*ch, "maglev")) {
      auto size = static_cast<std::uint64_t>(integer(*ml, "tableSize"));
      if (size == 0) e.add("tableSize must be set for maglev");
      if (size >= 5000011) e.add("tableSize must be less than 5000011 for maglev");
      if (!is_prime(size)) e.add("tableSize must be a prime number for maglev");
    }
  }
  if (has(*lb, "localityLbSetting") && has(*lb, "zoneAwareLbSetting")) {
    e.add("only one of localityLbSetting and zoneAwareLbSetting can be set");
  }
  e.add(validate_locality_lb(get(*lb, "localityLbSetting"), outlier));
  e.add(validate_zone_aware_lb(get(*lb, "zoneAwareLbSetting"), outlier));
  if (const Json* warm = get(*lb, "warmup")) {
    if (!has(*warm, "duration")) e.add("duration is required");
    else e.add(validate_duration(duration_ns(*warm, "duration")));
    if (number(*warm, "minimumPercent") > 100) e.add("minimumPercent value should be less than or equal to 100");
    if (has(*warm, "aggression") && number(*warm, "aggression") <= 0) e.add("aggression should be greater than 0");
  }
  return e;
}

Errors validate_traffic_policy(const std::string& ns, const Json* tp) {
  Errors e;
  if (!tp) return e;
  static const char* kFields[] = {"outlierDetection", "connectionPool", "loadBalancer", "tls",
                                  "portLevelSettings", "tunnel", "proxyProtocol", "retryBudget"};
  if (std::none_of(std::begin(kFields), std::end(kFields), [&](const char* f) { return has(*tp, f); })) {
    e.add("traffic policy must have at least one field");
    return e;
  }
  if (has(*tp, "tunnel") && has(*tp, "proxyProtocol")) {
    e.add("tunnel and proxyProtocol must not be set together");
    return e;
  }
  const Json* outlier = get(*tp, "outlierDetection");
  e.add(validate_outlier_detection(outlier));
  e.add(validate_connection_pool(get(*tp, "connectionPool")));
  e.add(validate_load_balancer(get(*tp, "loadBalancer"), outlier));
  e.add(validate_client_tls(ns, get(*tp, "tls")));
  for (const auto& pl : list(*tp, "portLevelSettings")) {
    if (!has(pl, "port")) e.add("portTrafficPolicy must have valid port");
    if (!has(pl, "outlierDetection") && !has(pl, "connectionPool") && !has(pl, "loadBalancer") && !has(pl, "tls")) {
      e.add("port traffic policy must have at least one field");
    } else {
      const Json* pl_outlier = get(pl, "outlierDetection");
      e.add(validate_outlier_detection(pl_outlier));
      e.add(validate_connection_pool(get(pl, "connectionPool")));
      e.add(validate_load_balancer(get(pl, "loadBalancer"), pl_outlier));
      e.add(validate_client_tls(ns, get(pl, "tls")));
    }
  }
  if (const Json* tunnel = get(*tp, "tunnel")) {
    std::string protocol = string_member(*tunnel, "protocol");
    if (!protocol.empty() && protocol != "CONNECT" && protocol != "POST") e.add("tunnel protocol must be \"CONNECT\" or \"POST\"");
    std::string target = string_member(*tunnel, "targetHost");
    auto fqdn_err = validate_fqdn(target);
    auto ip_err = validate_ip_address(target);
    if (fqdn_err && ip_err) e.add("tunnel target host must be valid FQDN or IP address: " + *fqdn_err + "; " + *ip_err);
    if (auto err = validate_port(integer(*tunnel, "targetPort"))) e.add("tunnel target port is invalid: " + *err);
  }
  return e;
}

}  // namespace

Errors validate_destination_rule(const std::string& ns, const Json& spec) {
  Errors e;
  e.add(validate_wildcard_domain(string_member(spec, "host")));
  e.add(validate_traffic_policy(ns, get(spec, "trafficPolicy")));
  std::set<std::string> names;
  for (const auto& subset : list(spec, "subsets")) {
    std::string name = string_member(subset, "name");
    if (!names.insert(name).second) e.add("duplicate subset names: " + name);
    e.add(validate_subset_name(name));
    e.add(validate_labels(string_map(subset, "labels")));
    e.add(validate_traffic_policy(ns, get(subset, "trafficPolicy")));
  }
  const Json* selector = get(spec, "workloadSelector");
  e.add(validate_export_to(ns, strings(spec, "exportTo"), false, selector != nullptr));
  if (selector) {
    auto labels = string_map(*selector, "matchLabels");
    for (const auto& [k, v] : labels) {
      if (k.empty()) e.add("empty key is not supported in selector: " + go_quote(k + "=" + v));
      if (k.find('*') != std::string::npos || v.find('*') != std::string::npos) {
        e.add("wildcard is not supported in selector: " + go_quote(k + "=" + v));
      }
    }
    if (labels.empty()) e.warn("workload selector specified without labels");
  }
  return e;
}


}  // namespace gwsim::validation::detail
