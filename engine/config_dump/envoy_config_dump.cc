#include "engine/config_dump/envoy_config_dump.h"

#include <cstdio>
#include <set>

namespace gwsim::config_dump {

namespace {

using nlohmann::json;

// Protobuf's JSON for bytes: standard base64 with padding.
std::string base64(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63], kAlphabet[(v >> 6) & 63], kAlphabet[v & 63]};
  }
  if (i + 1 == bytes.size()) {
    const unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    out += {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == bytes.size()) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63], kAlphabet[(v >> 6) & 63], '='};
  }
  return out;
}

// google.protobuf.Duration in JSON: "1.500s".
std::string duration(model::Millis ms) {
  char buffer[32];
  if (ms % 1000 == 0)
    std::snprintf(buffer, sizeof buffer, "%llds", static_cast<long long>(ms / 1000));
  else
    std::snprintf(buffer, sizeof buffer, "%lld.%03llds", static_cast<long long>(ms / 1000),
                  static_cast<long long>(ms % 1000));
  return buffer;
}

json ads_config_source() {
  return {{"ads", json::object()}, {"initial_fetch_timeout", "0s"}, {"resource_api_version", "V3"}};
}

// envoy.type.v3.FractionalPercent of a percentage (Istio's translatePercentToFractionalPercent).
json fractional_percent(double percent) {
  return {{"numerator", static_cast<std::uint64_t>(percent * 10000 + 0.5)}, {"denominator", "MILLION"}};
}

json string_match(const route::StringMatcher& m) {
  switch (m.kind) {
    case route::StringMatcher::Kind::kExact:
      return {{"exact", m.value}};
    case route::StringMatcher::Kind::kPrefix:
      return {{"prefix", m.value}};
    case route::StringMatcher::Kind::kRegex:
      return {{"safe_regex", {{"regex", m.value}}}};
    case route::StringMatcher::Kind::kPresent:
      break;
  }
  return json::object();
}

json header_matcher(const route::HeaderMatcher& h) {
  json out = {{"name", h.name}};
  if (h.match.kind == route::StringMatcher::Kind::kPresent)
    out["present_match"] = true;
  else
    out["string_match"] = string_match(h.match);
  if (h.invert) out["invert_match"] = true;
  return out;
}

json route_match(const route::RouteMatch& m) {
  json out = json::object();
  switch (m.path.kind) {
    case route::PathMatcher::Kind::kPrefix:
      out["prefix"] = m.path.value;
      break;
    case route::PathMatcher::Kind::kExact:
      out["path"] = m.path.value;
      break;
    case route::PathMatcher::Kind::kRegex:
      out["safe_regex"] = {{"regex", m.path.value}};
      break;
    case route::PathMatcher::Kind::kPathSeparatedPrefix:
      out["path_separated_prefix"] = m.path.value;
      break;
  }
  if (!m.path.case_sensitive) out["case_sensitive"] = false;
  for (const auto& h : m.headers) out["headers"].push_back(header_matcher(h));
  for (const auto& q : m.query_parameters) {
    json p = {{"name", q.name}};
    if (q.match.kind == route::StringMatcher::Kind::kPresent)
      p["present_match"] = true;
    else
      p["string_match"] = string_match(q.match);
    out["query_parameters"].push_back(std::move(p));
  }
  // Claims: a metadata match on jwt_authn's payload (route.go translateMetadataMatch).
  for (const auto& c : m.claims) {
    json path = json::array({{{"key", "payload"}}});
    for (const auto& key : c.path) path.push_back({{"key", key}});
    json matcher = {{"filter", "envoy.filters.http.jwt_authn"},
                    {"path", path},
                    {"value", {{"list_match", {{"one_of", {{"string_match", string_match(c.match)}}}}}}}};
    if (c.invert) matcher["invert"] = true;
    out["dynamic_metadata"].push_back(std::move(matcher));
  }
  return out;
}

void header_operations(const route::HeaderOps& ops, const char* add_key, const char* remove_key, json& out) {
  for (const auto& [k, v] : ops.set)
    out[add_key].push_back({{"header", {{"key", k}, {"value", v}}}, {"append_action", "OVERWRITE_IF_EXISTS_OR_ADD"}});
  for (const auto& [k, v] : ops.add)
    out[add_key].push_back({{"header", {{"key", k}, {"value", v}}}, {"append_action", "APPEND_IF_EXISTS_OR_ADD"}});
  for (const auto& k : ops.remove) out[remove_key].push_back(k);
}

json weighted_clusters(const std::vector<route::WeightedCluster>& clusters) {
  json list = json::array();
  for (const auto& c : clusters) {
    json w = {{"name", c.cluster}, {"weight", c.weight}};
    header_operations(c.request_headers, "request_headers_to_add", "request_headers_to_remove", w);
    header_operations(c.response_headers, "response_headers_to_add", "response_headers_to_remove", w);
    if (!c.host_rewrite.empty()) w["host_rewrite_literal"] = c.host_rewrite;
    list.push_back(std::move(w));
  }
  return {{"clusters", list}};
}

const char* redirect_code(std::uint32_t code) {
  switch (code) {
    case 302:
      return "FOUND";
    case 303:
      return "SEE_OTHER";
    case 307:
      return "TEMPORARY_REDIRECT";
    case 308:
      return "PERMANENT_REDIRECT";
    default:
      return "MOVED_PERMANENTLY";
  }
}

json route_json(const route::Route& r) {
  json out = {{"match", route_match(r.match)}};
  if (!r.name.empty()) out["name"] = r.name;
  switch (r.action_kind) {
    case route::Route::ActionKind::kRoute:
    case route::Route::ActionKind::kUnsupported: {
      const auto& a = r.route;
      json action = json::object();
      if (a.clusters.size() == 1)
        action["cluster"] = a.clusters[0].cluster;
      else if (!a.clusters.empty())
        action["weighted_clusters"] = weighted_clusters(a.clusters);
      if (a.clusters.size() == 1 && !a.clusters[0].host_rewrite.empty())
        action["host_rewrite_literal"] = a.clusters[0].host_rewrite;
      action["timeout"] = duration(a.timeout.value_or(0));
      if (a.retry) {
        json retry = {
            {"retry_on", a.retry->retry_on},
            {"num_retries", a.retry->num_retries},
            {"host_selection_retry_max_attempts", std::to_string(a.retry->host_selection_retry_max_attempts)}};
        if (a.retry->retry_previous_hosts)
          retry["retry_host_predicate"] = {{{"name", "envoy.retry_host_predicates.previous_hosts"},
                                            {"typed_config",
                                             {{"@type",
                                               "type.googleapis.com/envoy.extensions.retry.host.previous_hosts."
                                               "v3.PreviousHostsPredicate"}}}}};
        if (!a.retry->retriable_status_codes.empty()) retry["retriable_status_codes"] = a.retry->retriable_status_codes;
        if (a.retry->per_try_timeout) retry["per_try_timeout"] = duration(*a.retry->per_try_timeout);
        action["retry_policy"] = std::move(retry);
      }
      if (a.prefix_rewrite) action["prefix_rewrite"] = *a.prefix_rewrite;
      if (a.regex_rewrite)
        action["regex_rewrite"] = {{"pattern", {{"regex", a.regex_rewrite->match}}},
                                   {"substitution", a.regex_rewrite->rewrite}};
      if (a.host_rewrite) action["host_rewrite_literal"] = *a.host_rewrite;
      for (const auto& m : a.mirrors)
        action["request_mirror_policies"].push_back(
            {{"cluster", m.cluster}, {"runtime_fraction", {{"default_value", fractional_percent(m.percent)}}}});
      if (a.cluster_not_found_status == 500) action["cluster_not_found_response_code"] = "INTERNAL_SERVER_ERROR";
      out["route"] = std::move(action);
      break;
    }
    case route::Route::ActionKind::kRedirect: {
      const auto& d = r.redirect;
      json redirect = json::object();
      if (d.scheme == "https")
        redirect["https_redirect"] = true;
      else if (!d.scheme.empty())
        redirect["scheme_redirect"] = d.scheme;
      if (!d.host.empty()) redirect["host_redirect"] = d.host;
      if (d.port) redirect["port_redirect"] = d.port;
      if (!d.path.empty()) redirect["path_redirect"] = d.path;
      if (d.has_prefix_rewrite) redirect["prefix_rewrite"] = d.prefix_rewrite;
      redirect["response_code"] = redirect_code(d.code);
      out["redirect"] = std::move(redirect);
      break;
    }
    case route::Route::ActionKind::kDirectResponse: {
      json direct = {{"status", r.direct_response.status}};
      if (!r.direct_response.body.empty()) direct["body"] = {{"inline_string", r.direct_response.body}};
      out["direct_response"] = std::move(direct);
      break;
    }
  }
  if (r.fault) {
    json fault = {{"@type", "type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault"}};
    if (r.fault->abort_status)
      fault["abort"] = {{"http_status", *r.fault->abort_status},
                        {"percentage", fractional_percent(r.fault->abort_percent)}};
    if (r.fault->delay)
      fault["delay"] = {{"fixed_delay", duration(*r.fault->delay)},
                        {"percentage", fractional_percent(r.fault->delay_percent)}};
    out["typed_per_filter_config"]["envoy.filters.http.fault"] = std::move(fault);
  }
  if (r.cors) {
    json cors = {{"@type", "type.googleapis.com/envoy.extensions.filters.http.cors.v3.CorsPolicy"}};
    for (const auto& o : r.cors->origins) cors["allow_origin_string_match"].push_back(string_match(o));
    auto join = [](const std::vector<std::string>& v) {
      std::string s;
      for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
      return s;
    };
    if (!r.cors->policy.allow_methods.empty()) cors["allow_methods"] = join(r.cors->policy.allow_methods);
    if (!r.cors->policy.allow_headers.empty()) cors["allow_headers"] = join(r.cors->policy.allow_headers);
    if (!r.cors->policy.expose_headers.empty()) cors["expose_headers"] = join(r.cors->policy.expose_headers);
    if (r.cors->policy.max_age) cors["max_age"] = std::to_string(*r.cors->policy.max_age / 1000);
    if (r.cors->policy.allow_credentials) cors["allow_credentials"] = *r.cors->policy.allow_credentials;
    out["typed_per_filter_config"]["envoy.filters.http.cors"] = std::move(cors);
  }
  header_operations(r.request_headers, "request_headers_to_add", "request_headers_to_remove", out);
  header_operations(r.response_headers, "response_headers_to_add", "response_headers_to_remove", out);
  if (!r.virtual_service.empty())
    out["metadata"] = {{"filter_metadata", {{"istio", {{"config", virtual_service_config_path(r.virtual_service)}}}}}};
  return out;
}

json route_configuration_json(const route::RouteConfiguration& rc) {
  json hosts = json::array();
  for (const auto& vh : rc.virtual_hosts) {
    json routes = json::array();
    for (const auto& r : vh.routes) routes.push_back(route_json(r));
    json host = {
        {"name", vh.name}, {"domains", vh.domains}, {"routes", routes}, {"include_request_attempt_count", true}};
    if (vh.require_tls) host["require_tls"] = "ALL";
    hosts.push_back(std::move(host));
  }
  return {{"@type", kRouteConfigurationType},
          {"name", rc.name},
          {"virtual_hosts", hosts},
          {"validate_clusters", false},
          {"max_direct_response_body_size_bytes", 1048576},
          {"ignore_port_in_host_matching", true}};
}

json filter_chain_json(const route::Listener& listener, const route::FilterChain& chain) {
  json out = json::object();
  if (!chain.name.empty()) out["name"] = chain.name;
  if (!chain.server_names.empty()) out["filter_chain_match"] = {{"server_names", chain.server_names}};
  json filter;
  if (chain.http) {
    json http_filters = json::array();
    for (const char* name : {"envoy.filters.http.jwt_authn", "envoy.filters.http.rbac", "envoy.filters.http.cors",
                             "envoy.filters.http.fault", "envoy.filters.http.router"})
      http_filters.push_back({{"name", name}});
    filter = {{"name", "envoy.filters.network.http_connection_manager"},
              {"typed_config",
               {{"@type",
                 "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3."
                 "HttpConnectionManager"},
                {"stat_prefix", "outbound_" + listener.name},
                {"rds", {{"config_source", ads_config_source()}, {"route_config_name", chain.route_config}}},
                {"http_filters", http_filters},
                {"use_remote_address", true}}}};
  } else {
    json tcp = {{"@type", "type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy"}};
    if (chain.tcp_clusters.size() == 1) {
      tcp["stat_prefix"] = chain.tcp_clusters[0].cluster;
      tcp["cluster"] = chain.tcp_clusters[0].cluster;
    } else {
      tcp["stat_prefix"] = "outbound_" + listener.name;
      tcp["weighted_clusters"] = weighted_clusters(chain.tcp_clusters);
    }
    filter = {{"name", "envoy.filters.network.tcp_proxy"}, {"typed_config", tcp}};
  }
  out["filters"] = json::array({filter});
  const bool terminates =
      !chain.tls_mode.empty() && chain.tls_mode != "PASSTHROUGH" && chain.tls_mode != "AUTO_PASSTHROUGH";
  if (terminates) {
    json common = json::object();
    const std::string cert = sds_certificate_name(chain);
    if (!cert.empty())
      common["tls_certificate_sds_secret_configs"] = {{{"name", cert}, {"sds_config", ads_config_source()}}};
    const std::string ca = sds_ca_name(chain);
    if (!ca.empty())
      common["combined_validation_context"] = {
          {"default_validation_context", json::object()},
          {"validation_context_sds_secret_config", {{"name", ca}, {"sds_config", ads_config_source()}}}};
    if (chain.http) common["alpn_protocols"] = {"h2", "http/1.1"};
    out["transport_socket"] = {
        {"name", "envoy.transport_sockets.tls"},
        {"typed_config",
         {{"@type", "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext"},
          {"common_tls_context", common},
          {"require_client_certificate", chain.tls_mode == "MUTUAL" || chain.tls_mode == "ISTIO_MUTUAL"}}}};
  }
  return out;
}

json listener_json(const route::Listener& l) {
  json chains = json::array();
  for (const auto& chain : l.filter_chains) chains.push_back(filter_chain_json(l, chain));
  return {{"@type", kListenerType},
          {"name", l.name},
          {"address", {{"socket_address", {{"address", l.bind}, {"port_value", l.port}}}}},
          {"filter_chains", chains},
          {"traffic_direction", "OUTBOUND"}};
}

const char* lb_policy(route::LoadBalancerPolicy::Kind kind) {
  switch (kind) {
    case route::LoadBalancerPolicy::Kind::kLeastRequest:
      return "LEAST_REQUEST";
    case route::LoadBalancerPolicy::Kind::kRoundRobin:
      return "ROUND_ROBIN";
    case route::LoadBalancerPolicy::Kind::kRandom:
      return "RANDOM";
    case route::LoadBalancerPolicy::Kind::kRingHash:
      return "RING_HASH";
  }
  return "LEAST_REQUEST";
}

json cluster_json(const route::Cluster& c) {
  json istio = json::object();
  const auto slash = c.service.find('/');
  if (slash != std::string::npos)
    istio["services"] = {
        {{"host", c.host}, {"name", c.service.substr(slash + 1)}, {"namespace", c.service.substr(0, slash)}}};
  if (!c.destination_rule.empty()) {
    const auto s = c.destination_rule.find('/');
    istio["config"] = "/apis/networking.istio.io/v1/namespaces/" + c.destination_rule.substr(0, s) +
                      "/destination-rule/" + c.destination_rule.substr(s + 1);
  }
  return {{"@type", kClusterType},
          {"name", c.name},
          {"type", "EDS"},
          {"eds_cluster_config", {{"eds_config", ads_config_source()}, {"service_name", c.name}}},
          {"connect_timeout", "10s"},
          {"lb_policy", lb_policy(c.lb.kind)},
          {"metadata", {{"filter_metadata", {{"istio", istio}}}}}};
}

json load_assignment_json(const route::Cluster& c) {
  json endpoints = json::array();
  for (const auto& e : c.endpoints)
    endpoints.push_back({{"endpoint", {{"address", {{"socket_address", {{"address", e.ip}, {"port_value", e.port}}}}}}},
                         {"health_status", e.healthy ? "HEALTHY" : "UNHEALTHY"},
                         {"load_balancing_weight", 1}});
  json out = {{"@type", kClusterLoadAssignmentType}, {"cluster_name", c.name}};
  out["endpoints"] =
      endpoints.empty() ? json::array() : json::array({{{"locality", json::object()}, {"lb_endpoints", endpoints}}});
  return out;
}

}  // namespace

std::string sds_certificate_name(const route::FilterChain& chain) {
  if (!chain.tls || chain.tls->credential_name.empty()) return {};
  return "kubernetes://" + chain.tls->credential_name;
}

std::string sds_ca_name(const route::FilterChain& chain) {
  if (chain.tls_mode != "MUTUAL" && chain.tls_mode != "OPTIONAL_MUTUAL") return {};
  const std::string cert = sds_certificate_name(chain);
  return cert.empty() ? std::string() : cert + "-cacert";
}

std::string virtual_service_config_path(const std::string& ns_name) {
  const auto slash = ns_name.find('/');
  if (slash == std::string::npos) return {};
  return "/apis/networking.istio.io/v1/namespaces/" + ns_name.substr(0, slash) + "/virtual-service/" +
         ns_name.substr(slash + 1);
}

json listeners_dump(const route::RouteTable& table) {
  json listeners = json::array();
  for (const auto& l : table.listeners)
    listeners.push_back({{"name", l.name}, {"active_state", {{"listener", listener_json(l)}}}});
  return {{"@type", "type.googleapis.com/envoy.admin.v3.ListenersConfigDump"}, {"dynamic_listeners", listeners}};
}

json routes_dump(const route::RouteTable& table) {
  json configs = json::array();
  for (const auto& [name, rc] : table.route_configs)
    configs.push_back({{"route_config", route_configuration_json(rc)}});
  return {{"@type", "type.googleapis.com/envoy.admin.v3.RoutesConfigDump"}, {"dynamic_route_configs", configs}};
}

json clusters_dump(const route::RouteTable& table) {
  json clusters = json::array();
  for (const auto& [name, c] : table.clusters) clusters.push_back({{"cluster", cluster_json(c)}});
  return {{"@type", "type.googleapis.com/envoy.admin.v3.ClustersConfigDump"}, {"dynamic_active_clusters", clusters}};
}

json endpoints_dump(const route::RouteTable& table) {
  json configs = json::array();
  for (const auto& [name, c] : table.clusters) configs.push_back({{"endpoint_config", load_assignment_json(c)}});
  return {{"@type", "type.googleapis.com/envoy.admin.v3.EndpointsConfigDump"}, {"dynamic_endpoint_configs", configs}};
}

json secrets_dump(const route::RouteTable& table) {
  json secrets = json::array();
  std::set<std::string> seen;
  for (const auto& l : table.listeners) {
    for (const auto& chain : l.filter_chains) {
      if (!chain.credential) continue;
      const std::string cert = sds_certificate_name(chain);
      if (!cert.empty() && seen.insert(cert).second)
        secrets.push_back({{"name", cert},
                           {"secret",
                            {{"@type", kSecretType},
                             {"name", cert},
                             {"tls_certificate",
                              // Envoy prints private keys as "[redacted]".
                              {{"certificate_chain", {{"inline_bytes", base64(chain.credential->certificate_chain)}}},
                               {"private_key", {{"inline_bytes", base64("[redacted]")}}}}}}}});
      const std::string ca = sds_ca_name(chain);
      if (!ca.empty() && !chain.credential->ca_certificates.empty() && seen.insert(ca).second)
        secrets.push_back({{"name", ca},
                           {"secret",
                            {{"@type", kSecretType},
                             {"name", ca},
                             {"validation_context",
                              {{"trusted_ca", {{"inline_bytes", base64(chain.credential->ca_certificates)}}}}}}}});
    }
  }
  return {{"@type", "type.googleapis.com/envoy.admin.v3.SecretsConfigDump"}, {"dynamic_active_secrets", secrets}};
}

json config_dump(const route::RouteTable& table) {
  return {{"configs", json::array({clusters_dump(table), listeners_dump(table), routes_dump(table), secrets_dump(table),
                                   endpoints_dump(table)})}};
}

}  // namespace gwsim::config_dump
