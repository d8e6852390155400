// Istio's webhook for VirtualService: paraphrases pkg/config/validation/validation.go
// ValidateVirtualService and virtualservice.go (validateHTTPRoute, validateHTTPRouteMatchRequest,
// validateHTTPRouteConflict, analyzeUnreachableHTTPRules, ...), check by check, with its messages.
#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "engine/host/host_name.h"
#include "engine/model/detail_convert.h"
#include "engine/validation/detail_fields.h"
#include "engine/validation/detail_kinds.h"
#include "engine/validation/detail_rules.h"

namespace gwsim::validation::detail {

namespace {

Errors validate_http_route_conflict(const Json& http, bool delegate_vs) {
  Errors e;
  const bool has_route = !list(http, "route").empty();
  if (!delegate_vs && has(http, "delegate")) {  // root route: only delegate may be set
    if (has(http, "redirect")) e.add("root HTTP route " + string_member(http, "name") + " must not specify redirect");
    if (has_route) e.add("root HTTP route " + string_member(http, "name") + " must not specify route");
    return e;
  }
  if (delegate_vs && has(http, "delegate")) e.add("delegate HTTP route cannot contain delegate");
  if (has(http, "redirect")) {
    if (has_route) e.add("HTTP route cannot contain both route and redirect");
    if (has(http, "fault")) e.add("HTTP route cannot contain both fault and redirect");
    if (has(http, "rewrite")) e.add("HTTP route rule cannot contain both rewrite and redirect");
    if (has(http, "directResponse")) e.add("HTTP route rule cannot contain both direct_response and redirect");
  } else if (has(http, "directResponse")) {
    if (has_route) e.add("HTTP route cannot contain both route and direct_response");
    if (has(http, "fault")) e.add("HTTP route cannot contain both fault and direct_response");
    if (has(http, "rewrite")) e.add("HTTP route rule cannot contain both rewrite and direct_response");
  } else if (!has_route) {
    e.add("HTTP route, redirect or direct_response is required");
  }
  if (has(http, "mirror") && !list(http, "mirrors").empty()) e.add("HTTP route cannot contain both mirror and mirrors");
  return e;
}

Errors validate_http_match_requests(const Json& http) {
  Errors e;
  for (const auto& m : list(http, "match")) {
    for (const auto& [name, sm] : members(m, "headers").items()) {
      e.add(validate_http_header_name_or_jwt_claim(name));
      e.add(validate_string_match(&sm, "headers"));
    }
    for (const auto& [name, sm] : members(m, "withoutHeaders").items()) {
      e.add(validate_http_header_name_or_jwt_claim(name));
      if (string_member(sm, "regex") != "*") e.add(validate_string_match(&sm, "withoutHeaders"));
    }
    // An empty uri prefix is allowed (Envoy accepts it); scheme, method and authority are not.
    e.add(validate_string_match_regexp(get(m, "uri"), "uri"));
    e.add(validate_string_match(get(m, "scheme"), "scheme"));
    e.add(validate_string_match(get(m, "method"), "method"));
    e.add(validate_string_match(get(m, "authority"), "authority"));
    for (const auto& [name, sm] : members(m, "queryParams").items()) e.add(validate_string_match(&sm, "queryParams"));
  }
  for (const auto& m : list(http, "match")) {
    if (integer(m, "port") != 0) e.add(validate_port(integer(m, "port")));
    e.add(validate_labels(string_map(m, "sourceLabels")));
    e.add(validate_gateway_names(strings(m, "gateways")));
    std::string source_ns = string_member(m, "sourceNamespace");
    if (!source_ns.empty() && !is_dns1123_label(source_ns)) e.add("sourceNamespace match " + source_ns + " is invalid");
  }
  return e;
}

Errors validate_cors_policy(const Json* cors) {
  Errors e;
  if (!cors) return e;
  static const std::set<std::string> methods = {"GET",    "HEAD",    "POST",    "PUT",   "PATCH",
                                                "DELETE", "CONNECT", "OPTIONS", "TRACE", "*"};
  for (const auto& origin : list(*cors, "allowOrigins")) {
    std::string match = has(origin, "exact")    ? string_member(origin, "exact")
                        : has(origin, "prefix") ? string_member(origin, "prefix")
                                                : string_member(origin, "regex");
    if (match.empty()) {
      e.add("'" + match + "' is not a valid match type for CORS allow origins");
      continue;
    }
    e.add(validate_string_match_regexp(&origin, "corsPolicy.allowOrigins"));
  }
  for (const auto& m : strings(*cors, "allowMethods")) {
    if (!methods.count(m)) e.add(go_quote(m) + " is not a supported HTTP method");
  }
  for (const auto& h : strings(*cors, "allowHeaders")) e.add(validate_cors_header_name(h));
  for (const auto& h : strings(*cors, "exposeHeaders")) e.add(validate_cors_header_name(h));
  if (has(*cors, "maxAge")) {
    std::int64_t ns = duration_ns(*cors, "maxAge");
    e.add(validate_duration(ns));
    if (ns % 1000000000 != 0) e.add_listed("max_age duration is accurate only to seconds precision");
  }
  return e;
}

Errors validate_fault(const Json* fault) {
  Errors e;
  if (!fault) return e;
  const Json* abort = get(*fault, "abort");
  const Json* delay = get(*fault, "delay");
  if (!abort && !delay) e.add_listed("HTTP fault injection must have an abort and/or a delay");
  if (abort) {
    Errors a;
    a.add(validate_percentage(get(*abort, "percentage")));
    if (has(*abort, "grpcStatus")) {
      std::string status = string_member(*abort, "grpcStatus");
      if (!is_grpc_status(status)) {
        a.add("gRPC status " + go_quote(status) +
              " is not supported. See https://github.com/grpc/grpc/blob/master/doc/statuscodes.md for a list of "
              "supported codes, for example 'NOT_FOUND'");
      }
    } else if (has(*abort, "http2Error")) {
      a.add("HTTP/2 abort fault injection not supported yet");
    } else if (has(*abort, "httpStatus")) {
      a.add(validate_http_status(integer(*abort, "httpStatus")));
    } else {
      a.warn("abort configured, but error type not set");
    }
    e.add(a);
  }
  if (delay) {
    e.add(validate_percentage(get(*delay, "percentage")));
    if (has(*delay, "fixedDelay")) {
      e.add(validate_duration(duration_ns(*delay, "fixedDelay")));
    } else if (has(*delay, "exponentialDelay")) {
      e.add(validate_duration(duration_ns(*delay, "exponentialDelay")));
      e.add_listed("exponentialDelay not supported yet");
    }
  }
  return e;
}

std::optional<std::string> validate_redirect(const Json* redirect, const Json& matches) {
  if (!redirect) return std::nullopt;
  const Json& r = *redirect;
  std::string uri = string_member(r, "uri"), prefix_rewrite = string_member(r, "prefixRewrite");
  if (!uri.empty() && !prefix_rewrite.empty()) return std::string("redirect may only specify one of uri or prefix_rewrite");
  if (!prefix_rewrite.empty()) {
    for (const auto& m : matches) {
      const Json* u = get(m, "uri");
      if (u && !has(*u, "prefix")) return std::string("redirect prefix_rewrite requires all URI matches to use prefix match type");
    }
  }
  if (uri.empty() && prefix_rewrite.empty() && string_member(r, "authority").empty() && !has(r, "port") &&
      !has(r, "derivePort") && string_member(r, "scheme").empty()) {
    return std::string("redirect must specify URI, authority, scheme, or port");
  }
  std::int64_t code = integer(r, "redirectCode");
  if (code != 0 && (code < 300 || code > 399)) return std::to_string(code) + " is not a valid redirect code, must be 3xx";
  std::string scheme = string_member(r, "scheme");
  if (!scheme.empty() && scheme != "http" && scheme != "https") {
    return std::string("invalid redirect scheme, must be \"http\" or \"https\"");
  }
  if (integer(r, "port") > 0) return validate_port(integer(r, "port"));
  return std::nullopt;
}

Errors validate_direct_response(const Json* dr) {
  Errors e;
  if (!dr) return e;
  if (const Json* body = get(*dr, "body")) {
    size_t size = 0;
    if (has(*body, "string"))
      size = string_member(*body, "string").size();
    else if (has(*body, "bytes"))
      size = model::detail::base64_decode(string_member(*body, "bytes")).value_or("").size();
    if (size > 1024 * 1024) e.add("large direct_responses may impact control plane performance, must be less than 1MB");
    else if (size > 100 * 1024) e.warn("large direct_responses may impact control plane performance");
  }
  e.add(validate_http_status(integer(*dr, "status")));
  return e;
}

Errors validate_retry(const Json* retries) {
  Errors e;
  if (!retries) return e;
  std::int64_t attempts = integer(*retries, "attempts");
  if (attempts < 0) e.add_listed("attempts cannot be negative");
  if (attempts == 0 && (has(*retries, "perTryTimeout") || !string_member(*retries, "retryOn").empty() ||
                        has(*retries, "retryRemoteLocalities"))) {
    e.add("http retry policy configured when attempts are set to 0 (disabled)");
  }
  if (has(*retries, "perTryTimeout")) e.add(validate_duration(duration_ns(*retries, "perTryTimeout")));
  std::string retry_on = string_member(*retries, "retryOn");
  if (!retry_on.empty()) {
    static const std::set<std::string> policies = {
        "5xx", "gateway-error", "reset", "reset-before-request", "connect-failure", "retriable-4xx", "refused-stream",
        "retriable-status-codes", "retriable-headers", "envoy-ratelimited", "http3-post-connect-failure",
        "cancelled", "deadline-exceeded", "internal", "resource-exhausted", "unavailable"};
    size_t start = 0;
    while (true) {
      size_t comma = retry_on.find(',', start);
      std::string policy = retry_on.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      int code = 0;
      bool numeric = !policy.empty() && std::all_of(policy.begin(), policy.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (numeric && policy.size() < 10) code = std::stoi(policy);
      if (!is_known_http_status(code) && !policies.count(policy)) e.add(go_quote(policy) + " is not a valid retryOn policy");
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  if (has(*retries, "backoff")) e.add(validate_duration(duration_ns(*retries, "backoff")));
  return e;
}

std::optional<std::string> validate_rewrite(const Json* rewrite) {
  if (!rewrite) return std::nullopt;
  const Json* regex = get(*rewrite, "uriRegexRewrite");
  std::string uri = string_member(*rewrite, "uri");
  if (!uri.empty() && regex) return std::string("rewrite may only contain one of URI or UriRegexRewrite");
  if (uri.empty() && !regex && string_member(*rewrite, "authority").empty()) {
    return std::string(
        "rewrite must specify at least one of URI, UriRegexRewrite, or authority. Only one of URI or UriRegexRewrite "
        "may be specified");
  }
  if (regex) {
    std::optional<std::string> err;
    if (string_member(*regex, "match").empty() || string_member(*regex, "rewrite").empty()) {
      err = "UriRegexRewrite requires both Rewrite and Match fields to be specified";
    } else {
      err = validate_regex(string_member(*regex, "match"), "HTTPRewrite.UriRegexRewrite.Match");
    }
    if (err) return "UriRegexRewrite has errors\n" + *err;  // errors.Join
  }
  return std::nullopt;
}

std::optional<std::string> validate_authority_rewrite(const Json* rewrite, const Json* headers) {
  std::string current = rewrite ? string_member(*rewrite, "authority") : "";
  const Json* req = headers ? get(*headers, "request") : nullptr;
  if (!req) return std::nullopt;
  for (const char* op : {"set", "add"}) {
    for (const auto& [name, value] : members(*req, op).items()) {
      if (!is_authority_header(name)) continue;
      std::string v = value.is_string() ? value.get<std::string>() : "";
      if (!current.empty()) {
        return "authority header cannot be set multiple times: have " + go_quote(current) + ", attempting to set " + go_quote(v);
      }
      current = v;
    }
  }
  return std::nullopt;
}

Errors validate_http_route(const Json& http, bool delegate_vs) {
  Errors e = validate_http_route_conflict(http, delegate_vs);
  e.add(validate_http_match_requests(http));
  validate_header_operations(e, get(http, "headers"));
  e.add(validate_cors_policy(get(http, "corsPolicy")));
  e.add(validate_fault(get(http, "fault")));
  for (const char* key : {"mirrorPercent", "mirror_percent"}) {
    if (!has(http, key)) continue;
    std::int64_t value = integer(http, key);
    if (value > 100) e.add("mirror_percent must have a max value of 100 (it has " + std::to_string(value) + ")");
    e.warn("using deprecated setting \"mirrorPercent\", use \"mirrorPercentage\" instead");
    break;
  }
  if (const Json* mp = get(http, "mirrorPercentage")) {
    double value = number(*mp, "value");
    char buf[64];
    std::snprintf(buf, sizeof buf, "%f", value);
    if (value > 100) e.add(std::string("mirror_percentage must have a max value of 100 (it has ") + buf + ")");
    if (value < 0) e.add(std::string("mirror_percentage must have a min value of 0 (it has ") + buf + ")");
  }
  e.add(validate_destination(get(http, "mirror")));
  for (const auto& mirror : list(http, "mirrors")) {
    const Json* d = get(mirror, "destination");
    if (!d) {
      e.add("destination is required for mirrors");
      continue;
    }
    e.add(validate_destination(d));
    if (const Json* p = get(mirror, "percentage")) {
      double value = number(*p, "value");
      char buf[64];
      std::snprintf(buf, sizeof buf, "%f", value);
      if (value > 100) e.add(std::string("mirror percentage must have a max value of 100 (it has ") + buf + ")");
      if (value < 0) e.add(std::string("mirror percentage must have a min value of 0 (it has ") + buf + ")");
    }
  }
  e.add(validate_redirect(get(http, "redirect"), list(http, "match")));
  e.add(validate_direct_response(get(http, "directResponse")));
  e.add(validate_retry(get(http, "retries")));
  e.add(validate_rewrite(get(http, "rewrite")));
  e.add(validate_authority_rewrite(get(http, "rewrite"), get(http, "headers")));
  e.add(validate_route_destinations(list(http, "route"), true));
  if (has(http, "timeout")) e.add(validate_duration(duration_ns(http, "timeout")));
  return e;
}

bool is_gateway_bound(const std::vector<std::string>& gateways) {
  return std::find(gateways.begin(), gateways.end(), "mesh") == gateways.end();
}

bool has_sni_hosts(const Json& spec) {
  for (const auto& t : list(spec, "tls")) {
    for (const auto& m : list(t, "match")) {
      if (!list(m, "sniHosts").empty()) return true;
    }
  }
  return false;
}

Errors validate_sni_host(const std::string& sni, const Json& spec) {
  Errors e;
  std::vector<std::string> hosts = strings(spec, "hosts");
  auto err = is_gateway_bound(strings(spec, "gateways")) ? validate_wildcard_domain_for_gateway_vs(true, sni)
                                                         : validate_wildcard_domain(sni);
  if (err) {
    if (is_ip_address(sni)) {
      e.warn("using an IP address (" + go_quote(sni) + ") goes against SNI spec and most clients do not support this");
      return e;
    }
    e.add(*err);
    return e;
  }
  for (const auto& h : hosts) {
    if (host::subset_of(sni, h)) return e;
  }
  e.add("SNI host " + go_quote(sni) + " is not a compatible subset of any of the virtual service hosts: [" +
        join(hosts, ", ") + "]");
  return e;
}

Errors validate_l4_match(const Json& m) {
  Errors e;
  for (const auto& subnet : strings(m, "destinationSubnets")) e.add(validate_ip_subnet(subnet));
  if (integer(m, "port") != 0) e.add(validate_port(integer(m, "port")));
  e.add(validate_labels(string_map(m, "sourceLabels")));
  e.add(validate_gateway_names(strings(m, "gateways")));
  return e;
}

Errors validate_tls_route(const Json& tls, const Json& spec) {
  Errors e;
  if (list(tls, "match").empty()) e.add("TLS route must have at least one match condition");
  for (const auto& m : list(tls, "match")) {
    std::vector<std::string> sni = strings(m, "sniHosts");
    if (sni.empty()) e.add("TLS match must have at least one SNI host");
    for (const auto& s : sni) e.add(validate_sni_host(s, spec));
    e.add(validate_l4_match(m));
  }
  if (list(tls, "route").empty()) e.add("TLS route is required");
  e.add(validate_route_destinations(list(tls, "route"), false));
  return e;
}

Errors validate_tcp_route(const Json& tcp) {
  Errors e;
  for (const auto& m : list(tcp, "match")) e.add(validate_l4_match(m));
  if (list(tcp, "route").empty()) e.add("TCP route is required");
  e.add(validate_route_destinations(list(tcp, "route"), false));
  return e;
}

// A match reduced to what decides routing, for duplicate detection: no name, no zero values.
Json normalized_match(Json m, bool drop_name) {
  if (drop_name && m.is_object()) m.erase("name");
  std::function<bool(Json&)> prune = [&](Json& v) -> bool {  // true: v is a zero value
    if (v.is_object()) {
      for (auto it = v.begin(); it != v.end();) {
        if (prune(*it)) it = v.erase(it);
        else ++it;
      }
      return v.empty();
    }
    if (v.is_array()) {
      for (auto& x : v) prune(x);
      return v.empty();
    }
    if (v.is_null()) return true;
    if (v.is_boolean()) return !v.get<bool>();
    if (v.is_number()) return v.get<double>() == 0;
    if (v.is_string()) return v.get<std::string>().empty();
    return false;
  };
  prune(m);
  return m;
}

std::string route_name(const Json& route, size_t n, bool http) {
  if (http && !string_member(route, "name").empty()) return go_quote(string_member(route, "name"));
  return "#" + std::to_string(n);
}
std::string request_name(const Json& match, size_t n, bool http) {
  if (http && !string_member(match, "name").empty()) return go_quote(string_member(match, "name"));
  return "#" + std::to_string(n);
}

void warn_unused(Errors& e, const std::string& rule, const std::string& reason) {
  e.warn("virtualService rule " + rule + " not used (" + reason + ")");
}
void warn_ineffective(Errors& e, const std::string& rule, const std::string& match, const std::string& dup) {
  e.warn("virtualService rule " + rule + " match " + match + " is not used (duplicate/overlapping match in rule " + dup + ")");
}

// A prefix-uri match, flattened as Istio's overlap check sees it.
struct PrefixMatch {
  std::string route, match, prefix;
  std::int64_t port = 0;
  std::string method, authority;
  std::map<std::string, std::string> headers, query_params, without_headers;
};

std::string exact_or_prefix(const Json* sm) {
  if (!sm) return "";
  if (!string_member(*sm, "exact").empty()) return "exact:" + string_member(*sm, "exact");
  if (!string_member(*sm, "prefix").empty()) return "prefix:" + string_member(*sm, "prefix");
  return "";
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

bool covers(const PrefixMatch& a, const PrefixMatch& b) {
  if (!starts_with(b.prefix, a.prefix)) return false;
  if (b.port != a.port) return false;
  if (a.method != b.method && !starts_with(a.method, b.method)) return false;
  if (a.authority != b.authority && !starts_with(a.authority, b.authority)) return false;
  auto maps_cover = [](const std::map<std::string, std::string>& x, const std::map<std::string, std::string>& y) {
    if (x.size() != y.size()) return false;
    for (const auto& [k, v] : x) {
      auto it = y.find(k);
      if (it == y.end()) return false;
      if (v != it->second && !starts_with(v, it->second)) return false;
    }
    return true;
  };
  return maps_cover(a.headers, b.headers) && maps_cover(a.query_params, b.query_params) &&
         maps_cover(a.without_headers, b.without_headers);
}

void analyze_unreachable(Errors& e, const Json& routes, bool http) {
  std::map<std::string, size_t> seen;
  long empty_match = -1;
  std::vector<PrefixMatch> prefixes;
  for (size_t n = 0; n < routes.size(); ++n) {
    const Json& route = routes[n];
    const Json& matches = list(route, "match");
    if (matches.empty()) {
      if (empty_match >= 0) warn_unused(e, route_name(route, n, http), "only the last rule can have no matches");
      empty_match = static_cast<long>(n);
      continue;
    }
    size_t duplicates = 0;
    for (size_t k = 0; k < matches.size(); ++k) {
      const Json& m = matches[k];
      if (empty_match >= 0) {
        warn_unused(e, route_name(route, n, http), "route without matches defined before");
        continue;
      }
      std::string key = normalized_match(m, http).dump();
      auto it = seen.find(key);
      if (it != seen.end()) {
        warn_ineffective(e, route_name(route, n, http), request_name(m, k, http),
                         route_name(routes[it->second], it->second, http));
        ++duplicates;
        continue;
      }
      seen[key] = n;
      const Json* uri = get(m, "uri");
      if (http && uri && !string_member(*uri, "prefix").empty()) {
        PrefixMatch p;
        p.route = route_name(route, n, true);
        p.match = request_name(m, k, true);
        p.prefix = string_member(*uri, "prefix");
        p.port = integer(m, "port");
        p.method = exact_or_prefix(get(m, "method"));
        if (p.method.empty()) p.method = "exact:GET";
        p.authority = exact_or_prefix(get(m, "authority"));
        for (const auto& [name, sm] : members(m, "headers").items()) p.headers[name] = exact_or_prefix(&sm);
        for (const auto& [name, sm] : members(m, "queryParams").items()) p.query_params[name] = exact_or_prefix(&sm);
        for (const auto& [name, sm] : members(m, "withoutHeaders").items()) p.without_headers[name] = exact_or_prefix(&sm);
        prefixes.push_back(std::move(p));
      }
    }
    if (duplicates == matches.size()) warn_unused(e, route_name(route, n, http), "all matches used by prior rules");
  }
  for (size_t i = 0; i < prefixes.size(); ++i) {
    for (size_t j = i + 1; j < prefixes.size(); ++j) {
      if (prefixes[j].prefix == prefixes[i].prefix) continue;
      if (covers(prefixes[i], prefixes[j])) {
        warn_ineffective(e, prefixes[j].route, prefixes[j].match + " of prefix " + prefixes[j].prefix,
                         prefixes[i].match + " of prefix " + prefixes[i].prefix + " on " + prefixes[i].route);
      }
    }
  }
}

}  // namespace

Errors validate_virtual_service(const model::Object& object, const Json& spec) {
  Errors e;
  std::vector<std::string> hosts = strings(spec, "hosts");
  std::vector<std::string> gateways = strings(spec, "gateways");
  if (hosts.empty()) {  // a delegate VirtualService
    if (!gateways.empty()) e.add("delegate virtual service must have no gateways specified");
    if (!list(spec, "tls").empty()) e.add("delegate virtual service must have no tls route specified");
    if (!list(spec, "tcp").empty()) e.add("delegate virtual service must have no tcp route specified");
  }
  bool applies_to_mesh = gateways.empty();
  bool applies_to_gateway = false;
  if (!gateways.empty()) {
    e.add(validate_gateway_names(gateways));
    applies_to_gateway = is_gateway_bound(gateways);
    applies_to_mesh = !applies_to_gateway;
  }
  if (!applies_to_gateway) {
    for (const auto& http : list(spec, "http")) {
      for (const auto& m : list(http, "match")) {
        for (const char* key : {"headers", "withoutHeaders"}) {
          for (const auto& [name, sm] : members(m, key).items()) {
            if (is_jwt_claim_route(name)) {
              e.add("JWT claim based routing (key: " + name + ") is only supported for gateway, found no gateways: " +
                    go_list(gateways));
            }
          }
        }
      }
    }
  }
  bool all_hosts_valid = true;
  const bool sni = has_sni_hosts(spec);
  for (const auto& h : hosts) {
    auto err = applies_to_gateway ? validate_wildcard_domain_for_gateway_vs(sni, h) : validate_wildcard_domain(h);
    if (err) {
      if (!is_ip_address(h)) {
        e.add(*err);
        all_hosts_valid = false;
      }
    } else if (applies_to_mesh && h == "*") {
      e.add("wildcard host * is not allowed for virtual services bound to the mesh gateway");
      all_hosts_valid = false;
    }
  }
  if (all_hosts_valid) {
    for (size_t i = 0; i < hosts.size(); ++i) {
      for (size_t j = i + 1; j < hosts.size(); ++j) {
        if (host::matches(hosts[i], hosts[j])) e.add("duplicate hosts in virtual service: " + hosts[i] + " & " + hosts[j]);
      }
    }
  }
  if (list(spec, "http").empty() && list(spec, "tcp").empty() && list(spec, "tls").empty()) {
    e.add("http, tcp or tls must be provided in virtual service");
  }
  for (const auto& http : list(spec, "http")) e.add(validate_http_route(http, hosts.empty()));
  for (const auto& tls : list(spec, "tls")) e.add(validate_tls_route(tls, spec));
  for (const auto& tcp : list(spec, "tcp")) e.add(validate_tcp_route(tcp));
  e.add(validate_export_to(object.namespace_().empty() ? "default" : object.namespace_(), strings(spec, "exportTo"), false, false));
  analyze_unreachable(e, list(spec, "http"), true);
  analyze_unreachable(e, list(spec, "tcp"), false);
  analyze_unreachable(e, list(spec, "tls"), false);
  return e;
}


}  // namespace gwsim::validation::detail
