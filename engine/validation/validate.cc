// Istio's validating webhook for Gateway, VirtualService, DestinationRule and ServiceEntry,
// following pkg/config/validation (validation.go, virtualservice.go, agent/validation.go) check
// by check and in the same order, with the same messages. Where Istio walks a Go map (random
// order) we walk keys sorted. The API server's CRD schema check runs first, as in a cluster.
#include "engine/validation/validate.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <set>

#include "engine/host/host_name.h"
#include "engine/model/detail_convert.h"
#include "engine/model/detail_istio_schema.h"
#include "engine/validation/detail_rules.h"

namespace gwsim::validation {

namespace {

using model::Json;
using namespace detail;  // NOLINT: the rule helpers

// ---- JSON access (the schema check has already guaranteed the types) --------------------------

const Json* get(const Json& o, const char* key) {
  if (!o.is_object()) return nullptr;
  auto it = o.find(key);
  return it == o.end() || it->is_null() ? nullptr : &*it;
}
bool has(const Json& o, const char* key) { return get(o, key) != nullptr; }
std::string str(const Json& o, const char* key) {
  const Json* v = get(o, key);
  return v && v->is_string() ? v->get<std::string>() : std::string();
}
std::int64_t integer(const Json& o, const char* key) {
  const Json* v = get(o, key);
  return v && v->is_number() ? static_cast<std::int64_t>(std::llround(v->get<double>())) : 0;
}
double number(const Json& o, const char* key) {
  const Json* v = get(o, key);
  return v && v->is_number() ? v->get<double>() : 0.0;
}
bool boolean(const Json& o, const char* key) {
  const Json* v = get(o, key);
  return v && v->is_boolean() && v->get<bool>();
}
const Json& list(const Json& o, const char* key) {
  static const Json empty = Json::array();
  const Json* v = get(o, key);
  return v && v->is_array() ? *v : empty;
}
std::vector<std::string> strings(const Json& o, const char* key) {
  std::vector<std::string> out;
  for (const auto& v : list(o, key)) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}
std::map<std::string, std::string> string_map(const Json& o, const char* key) {
  std::map<std::string, std::string> out;
  const Json* v = get(o, key);
  if (!v || !v->is_object()) return out;
  for (const auto& [k, x] : v->items()) {
    if (x.is_string()) out[k] = x.get<std::string>();
  }
  return out;
}
// A map-valued field's entries, sorted by key (nlohmann keeps objects sorted).
const Json& members(const Json& o, const char* key) {
  static const Json empty = Json::object();
  const Json* v = get(o, key);
  return v && v->is_object() ? *v : empty;
}
std::int64_t duration_ns(const Json& o, const char* key) {
  return model::detail::parse_go_duration_ns(str(o, key)).value_or(0);
}
std::string join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : sep) + s;
  return out;
}
// Go's %v of a []string: "[a b]".
std::string go_list(const std::vector<std::string>& items) { return "[" + join(items, " ") + "]"; }

// Go's %v of a networking.Port message, as its String() prints it.
std::string port_text(const Json& port) {
  std::vector<std::string> parts;
  if (integer(port, "number") != 0) parts.push_back("number:" + std::to_string(integer(port, "number")));
  if (!str(port, "protocol").empty()) parts.push_back("protocol:" + go_quote(str(port, "protocol")));
  if (!str(port, "name").empty()) parts.push_back("name:" + go_quote(str(port, "name")));
  if (integer(port, "targetPort") != 0) parts.push_back("target_port:" + std::to_string(integer(port, "targetPort")));
  return join(parts, " ");
}

// ---- shared checks ----------------------------------------------------------------------------

Errors validate_export_to(const std::string& ns, const std::vector<std::string>& export_to, bool service_entry,
                          bool dr_with_selector) {
  Errors e;
  if (export_to.empty()) return e;
  std::set<std::string> set;
  for (const auto& entry : export_to) {
    std::string key = entry == "." ? ns : entry;
    if (set.count(key)) {
      if (key != entry) e.add("duplicate entries in exportTo: . and current namespace " + ns);
      else e.add("duplicate entries in exportTo for entry " + entry);
      continue;
    }
    if (service_entry && entry == "~") {
      set.insert(key);
      continue;
    }
    if (key == "~") {
      e.add("exportTo ~ (none) is not allowed for Istio configuration objects");
    } else if (key != "." && key != "*" && !is_dns1123_label(key)) {
      e.add("only .,*, or a valid DNS 1123 label is allowed as exportTo entry");
    } else {
      set.insert(key);
    }
  }
  if (dr_with_selector && !set.empty()) {
    if (set.count(ns)) {
      if (set.size() > 1) e.add("destination rule with workload selector cannot have multiple entries in exportTo");
    } else {
      e.add("destination rule with workload selector cannot have exportTo beyond current namespace");
    }
  }
  if (set.count("*") && export_to.size() > 1) {
    e.add("cannot have both public (*) and non-public exportTo values for a resource");
  }
  if (set.count("~") && export_to.size() > 1) e.add("cannot export service entry to no one (~) and someone");
  return e;
}

// validateGatewayNames: note Istio stops at the first name without a namespace.
Errors validate_gateway_names(const std::vector<std::string>& names) {
  Errors e;
  for (const auto& name : names) {
    auto slash = name.find('/');
    if (slash == std::string::npos) {
      if (name.find('.') != std::string::npos) {
        auto dot = name.find('.');
        std::string rest = name.substr(dot + 1);
        std::string second = rest.substr(0, rest.find('.'));
        e.warn("using legacy gatewayName format " + go_quote(name) + "; prefer the <namespace>/<name> format: " +
               go_quote(second + "/" + name.substr(0, dot)));
      }
      e.add(validate_fqdn(name));
      return e;
    }
    std::string ns = name.substr(0, slash), gw = name.substr(slash + 1);
    if (ns.empty() || gw.empty()) e.add("config namespace and gateway name cannot be empty");
    if (!is_dns1123_label(ns)) e.add("invalid value for namespace: " + go_quote(ns));
    if (!is_dns1123_label(gw)) e.add("invalid value for gateway name: " + go_quote(gw));
  }
  return e;
}

// validateStringMatch (prefix must be non-empty; regex checked) and validateStringMatchRegexp.
std::optional<std::string> validate_string_match_regexp(const Json* sm, const std::string& where) {
  if (!sm || !has(*sm, "regex")) return std::nullopt;
  std::string re = str(*sm, "regex");
  if (re.empty()) return go_quote(where) + ": regex string match should not be empty";
  return validate_regex(re, where);
}
std::optional<std::string> validate_string_match(const Json* sm, const std::string& where) {
  if (!sm) return std::nullopt;
  if (has(*sm, "exact")) return std::nullopt;
  if (has(*sm, "prefix")) {
    if (str(*sm, "prefix").empty()) return go_quote(where) + ": prefix string match should not be empty";
    return std::nullopt;
  }
  return validate_string_match_regexp(sm, where);
}

Errors validate_destination(const Json* d) {
  Errors e;
  if (!d) return e;
  std::string host = str(*d, "host");
  if (host == "*") e.add("invalid destination host " + host);
  else e.add(validate_wildcard_domain(host));
  std::string subset = str(*d, "subset");
  if (!subset.empty()) e.add(validate_subset_name(subset));
  if (const Json* port = get(*d, "port")) e.add(validate_port(integer(*port, "number")));
  return e;
}

void validate_header_operations(Errors& e, const Json* headers) {
  if (!headers) return;
  if (const Json* req = get(*headers, "request")) {
    for (const auto& [name, value] : members(*req, "add").items()) {
      e.add(validate_header_with_authority_operation_name(name));
      e.add(validate_header_value(value.is_string() ? value.get<std::string>() : ""));
    }
    for (const auto& [name, value] : members(*req, "set").items()) {
      e.add(validate_header_with_authority_operation_name(name));
      e.add(validate_header_value(value.is_string() ? value.get<std::string>() : ""));
    }
    for (const auto& name : strings(*req, "remove")) e.add(validate_header_operation_name(name));
  }
  if (const Json* resp = get(*headers, "response")) {
    for (const auto& [name, value] : members(*resp, "add").items()) {
      e.add(validate_header_operation_name(name));
      e.add(validate_header_value(value.is_string() ? value.get<std::string>() : ""));
    }
    for (const auto& [name, value] : members(*resp, "set").items()) {
      e.add(validate_header_operation_name(name));
      e.add(validate_header_value(value.is_string() ? value.get<std::string>() : ""));
    }
    for (const auto& name : strings(*resp, "remove")) e.add(validate_header_operation_name(name));
  }
}

Errors validate_route_destinations(const Json& routes, bool http) {
  Errors e;
  std::int64_t total = 0;
  for (const auto& r : routes) {
    const Json* d = get(r, "destination");
    if (!d) e.add_listed("destination is required");
    if (http) validate_header_operations(e, get(r, "headers"));
    e.add(validate_destination(d));
    std::int64_t weight = integer(r, "weight");
    if (weight < 0) e.add("weight " + std::to_string(weight) + " < 0");
    total += weight;
  }
  if (routes.size() > 1 && total == 0) e.add("total destination weight = 0");
  return e;
}

std::optional<std::string> validate_percentage(const Json* p) {
  if (!p) return std::nullopt;
  double v = number(*p, "value");
  if (v < 0.0 || v > 100.0 || (v > 0.0 && v < 0.0001)) {
    return "percentage " + go_float(v) + " is neither 0.0, nor in range [0.0001, 100.0]";
  }
  return std::nullopt;
}

std::optional<std::string> validate_http_status(std::int64_t status) {
  if (status < 200 || status > 600) return "HTTP status " + std::to_string(status) + " is not in range 200-599";
  return std::nullopt;
}

// ---- VirtualService ---------------------------------------------------------------------------

Errors validate_http_route_conflict(const Json& http, bool delegate_vs) {
  Errors e;
  const bool has_route = !list(http, "route").empty();
  if (!delegate_vs && has(http, "delegate")) {  // root route: only delegate may be set
    if (has(http, "redirect")) e.add("root HTTP route " + str(http, "name") + " must not specify redirect");
    if (has_route) e.add("root HTTP route " + str(http, "name") + " must not specify route");
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
      if (str(sm, "regex") != "*") e.add(validate_string_match(&sm, "withoutHeaders"));
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
    std::string source_ns = str(m, "sourceNamespace");
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
    std::string match = has(origin, "exact") ? str(origin, "exact") : has(origin, "prefix") ? str(origin, "prefix") : str(origin, "regex");
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
      std::string status = str(*abort, "grpcStatus");
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
  std::string uri = str(r, "uri"), prefix_rewrite = str(r, "prefixRewrite");
  if (!uri.empty() && !prefix_rewrite.empty()) return std::string("redirect may only specify one of uri or prefix_rewrite");
  if (!prefix_rewrite.empty()) {
    for (const auto& m : matches) {
      const Json* u = get(m, "uri");
      if (u && !has(*u, "prefix")) return std::string("redirect prefix_rewrite requires all URI matches to use prefix match type");
    }
  }
  if (uri.empty() && prefix_rewrite.empty() && str(r, "authority").empty() && !has(r, "port") && !has(r, "derivePort") &&
      str(r, "scheme").empty()) {
    return std::string("redirect must specify URI, authority, scheme, or port");
  }
  std::int64_t code = integer(r, "redirectCode");
  if (code != 0 && (code < 300 || code > 399)) return std::to_string(code) + " is not a valid redirect code, must be 3xx";
  std::string scheme = str(r, "scheme");
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
    if (has(*body, "string")) size = str(*body, "string").size();
    else if (has(*body, "bytes")) size = model::detail::base64_decode(str(*body, "bytes")).value_or("").size();
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
  if (attempts == 0 && (has(*retries, "perTryTimeout") || !str(*retries, "retryOn").empty() ||
                        has(*retries, "retryRemoteLocalities"))) {
    e.add("http retry policy configured when attempts are set to 0 (disabled)");
  }
  if (has(*retries, "perTryTimeout")) e.add(validate_duration(duration_ns(*retries, "perTryTimeout")));
  std::string retry_on = str(*retries, "retryOn");
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
  std::string uri = str(*rewrite, "uri");
  if (!uri.empty() && regex) return std::string("rewrite may only contain one of URI or UriRegexRewrite");
  if (uri.empty() && !regex && str(*rewrite, "authority").empty()) {
    return std::string(
        "rewrite must specify at least one of URI, UriRegexRewrite, or authority. Only one of URI or UriRegexRewrite "
        "may be specified");
  }
  if (regex) {
    std::optional<std::string> err;
    if (str(*regex, "match").empty() || str(*regex, "rewrite").empty()) {
      err = "UriRegexRewrite requires both Rewrite and Match fields to be specified";
    } else {
      err = validate_regex(str(*regex, "match"), "HTTPRewrite.UriRegexRewrite.Match");
    }
    if (err) return "UriRegexRewrite has errors\n" + *err;  // errors.Join
  }
  return std::nullopt;
}

std::optional<std::string> validate_authority_rewrite(const Json* rewrite, const Json* headers) {
  std::string current = rewrite ? str(*rewrite, "authority") : "";
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
  if (http && !str(route, "name").empty()) return go_quote(str(route, "name"));
  return "#" + std::to_string(n);
}
std::string request_name(const Json& match, size_t n, bool http) {
  if (http && !str(match, "name").empty()) return go_quote(str(match, "name"));
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
  if (!str(*sm, "exact").empty()) return "exact:" + str(*sm, "exact");
  if (!str(*sm, "prefix").empty()) return "prefix:" + str(*sm, "prefix");
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
      if (http && uri && !str(*uri, "prefix").empty()) {
        PrefixMatch p;
        p.route = route_name(route, n, true);
        p.match = request_name(m, k, true);
        p.prefix = str(*uri, "prefix");
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

// ---- Gateway ------------------------------------------------------------------------------------

Errors validate_server_tls(const Json* tls) {
  Errors e;
  if (!tls) return e;
  const Json& t = *tls;
  std::string mode = str(t, "mode");
  if (mode.empty()) mode = "PASSTHROUGH";  // the enum's zero value
  std::string min_version = str(t, "minProtocolVersion");
  std::vector<std::string> ciphers = strings(t, "cipherSuites");
  if ((min_version == "TLSV1_0" || min_version == "TLSV1_1") && ciphers.empty()) {
    e.warn("TLS version below TLSV1_2 require setting compatible ciphers as by default they no longer include compatible ciphers.");
  }
  std::set<std::string> invalid, valid, duplicate;
  for (const auto& cs : ciphers) {
    if (!is_valid_cipher_suite(cs)) invalid.insert(cs);
    else if (!valid.insert(cs).second) duplicate.insert(cs);
  }
  if (!invalid.empty()) e.warn("ignoring invalid cipher suites: " + go_list({invalid.begin(), invalid.end()}));
  if (!duplicate.empty()) e.warn("ignoring duplicate cipher suites: " + go_list({duplicate.begin(), duplicate.end()}));

  const std::string cert = str(t, "serverCertificate"), key = str(t, "privateKey"), ca = str(t, "caCertificates");
  const std::string credential = str(t, "credentialName"), crl = str(t, "caCrl");
  const bool credential_names = !list(t, "credentialNames").empty();
  const Json& tls_certificates = list(t, "tlsCertificates");
  if (mode == "ISTIO_MUTUAL") {
    if (!cert.empty()) e.add("ISTIO_MUTUAL TLS cannot have associated server certificate");
    if (!key.empty()) e.add("ISTIO_MUTUAL TLS cannot have associated private key");
    if (!ca.empty()) e.add("ISTIO_MUTUAL TLS cannot have associated CA bundle");
    if (!tls_certificates.empty()) e.add("ISTIO_MUTUAL TLS cannot have associated tlsCertificates");
    if (!credential.empty()) e.add("ISTIO_MUTUAL TLS cannot have associated credentialName");
    if (credential_names) e.add("ISTIO_MUTUAL TLS cannot have associated credentialNames");
    return e;
  }
  if ((mode == "PASSTHROUGH" || mode == "AUTO_PASSTHROUGH") &&
      (!crl.empty() || !cert.empty() || !key.empty() || !ca.empty() || !tls_certificates.empty() || !credential.empty() ||
       credential_names)) {
    e.warn(mode + " mode does not use certificates, they will be ignored");
  }
  int sources = (!cert.empty() && !key.empty()) + !credential.empty() + credential_names + !tls_certificates.empty();
  if (sources > 1) {
    e.add("only one of credential_name, credential_names, server_certificate/private_key, tls_certificates should be specified");
  }
  const bool terminating = mode == "SIMPLE" || mode == "MUTUAL" || mode == "OPTIONAL_MUTUAL";
  if (terminating && (!credential.empty() || credential_names)) return e;  // certificates come from the credential
  if (terminating) {
    std::string prefix = mode == "SIMPLE" ? "SIMPLE TLS" : "MUTUAL TLS";
    if (mode != "SIMPLE" && ca.empty()) e.add(prefix + " requires a client CA bundle");
    if (tls_certificates.size() > 2) e.warn(prefix + " can support up to 2 server certificates");
    std::vector<std::pair<std::string, std::string>> certs;
    if (!tls_certificates.empty()) {
      for (const auto& c : tls_certificates) certs.emplace_back(str(c, "serverCertificate"), str(c, "privateKey"));
    } else {
      certs.emplace_back(cert, key);
    }
    for (const auto& [c, k] : certs) {
      if (c.empty()) e.add(prefix + " requires a server certificate");
      if (k.empty()) e.add(prefix + " requires a private key");
    }
  }
  if (!crl.empty()) {
    if (!credential.empty()) e.add("CRL is not supported with credentialName. CRL has to be specified in the credential");
    if (mode == "SIMPLE") e.add("CRL is not supported with SIMPLE TLS");
  }
  return e;
}

Errors validate_server(const Json& server) {
  Errors e;
  std::vector<std::string> hosts = strings(server, "hosts");
  if (hosts.empty()) e.add("server config must contain at least one host");
  for (const auto& h : hosts) e.add(validate_gateway_server_host(h));

  const Json* port = get(server, "port");
  const std::string bind = str(server, "bind");
  Errors port_errors;
  if (!port) {
    port_errors.add("port is required");
  } else {
    if (parse_protocol(str(*port, "protocol")).empty()) {
      port_errors.add("invalid protocol " + go_quote(str(*port, "protocol")) +
                      ", supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP");
    }
    if (integer(*port, "number") > 0 || bind.rfind("unix://", 0) != 0) port_errors.add(validate_port(integer(*port, "number")));
    if (integer(*port, "targetPort") > 0) port_errors.add("targetPort has no impact on Gateways");
    if (str(*port, "name").empty()) port_errors.add("port name must be set: " + port_text(*port));
  }
  e.add(port_errors);

  if (bind.rfind("unix://", 0) == 0) {
    e.add(validate_unix_address(bind.substr(7)));
    if (port && integer(*port, "number") != 0) e.add("port number must be 0 for unix domain socket: " + port_text(*port));
  } else if (!bind.empty()) {
    e.add(validate_ip_address(bind));
  }
  const Json* tls = get(server, "tls");
  e.add(validate_server_tls(tls));

  if (port_errors.empty() && port) {
    std::string p = parse_protocol(str(*port, "protocol"));
    if (protocol_is_tls(p) && !tls) {
      e.add("server must have TLS settings for HTTPS/TLS protocols");
    } else if (!protocol_is_tls(p) && tls) {
      if (protocol_is_http(p)) {
        std::string mode = str(*tls, "mode");
        bool passthrough = mode.empty() || mode == "PASSTHROUGH" || mode == "AUTO_PASSTHROUGH";
        if (!passthrough || !str(*tls, "caCertificates").empty() || !str(*tls, "privateKey").empty() ||
            !str(*tls, "serverCertificate").empty()) {
          e.add("server cannot have TLS settings for plain text HTTP ports");
        }
      } else {
        e.add("server cannot have TLS settings for non HTTPS/TLS ports");
      }
    }
  }
  return e;
}

Errors validate_gateway(const model::Object& object, const Json& spec) {
  Errors e;
  if (!is_dns1123_label(object.name())) e.add("invalid gateway name: " + go_quote(object.name()));
  const Json& servers = list(spec, "servers");
  if (servers.empty()) e.add("gateway must have at least one server");
  for (const auto& s : servers) e.add(validate_server(s));
  std::set<std::string> port_names;
  for (const auto& s : servers) {
    const Json* port = get(s, "port");
    if (!port) continue;
    std::string name = str(*port, "name");
    if (!port_names.insert(name).second) e.add("port names in servers must be unique: duplicate name " + name);
    const Json* tls = get(s, "tls");
    if (!protocol_is_http(parse_protocol(str(*port, "protocol"))) && tls && boolean(*tls, "httpsRedirect")) {
      e.warn("tls.httpsRedirect should only be used with http servers");
    }
  }
  return e;
}

// ---- DestinationRule -----------------------------------------------------------------------------

Errors validate_client_tls(const std::string& ns, const Json* tls) {
  Errors e;
  if (!tls) return e;
  const Json& t = *tls;
  std::string mode = str(t, "mode"), credential = str(t, "credentialName");
  if (!credential.empty() && credential.rfind("configmap://", 0) == 0) {
    std::string rest = credential.substr(12);
    auto slash = rest.find('/');
    std::string cm_ns = slash == std::string::npos ? ns : rest.substr(0, slash);
    if (cm_ns != ns || ns.empty()) {
      e.add("invalid configmap:// credentialName: namespace must match the configuration namespace " + go_quote(ns));
    }
  }
  if (boolean(t, "insecureSkipVerify")) {
    if (mode == "SIMPLE" && (!str(t, "caCertificates").empty() || !credential.empty() || has(t, "subjectAltNames"))) {
      e.add("cannot specify CaCertificates or CredentialName or SubjectAltNames when InsecureSkipVerify is set true");
    }
    if (mode == "MUTUAL" && (!str(t, "caCertificates").empty() || has(t, "subjectAltNames"))) {
      e.add("cannot specify CaCertificates or SubjectAltNames when InsecureSkipVerify is set true");
    }
  }
  if ((mode == "SIMPLE" || mode == "MUTUAL") && !credential.empty()) {
    if (!str(t, "clientCertificate").empty() || !str(t, "caCertificates").empty() || !str(t, "privateKey").empty() ||
        !str(t, "caCrl").empty()) {
      e.add("cannot specify client certificates or CA certificate or CA CRL If credentialName is set");
    }
    return e;
  }
  if (mode == "MUTUAL") {
    if (str(t, "clientCertificate").empty()) e.add("client certificate required for mutual tls");
    if (str(t, "privateKey").empty()) e.add("private key required for mutual tls");
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
    if (str(*http, "h2UpgradePolicy") == "UPGRADE" && boolean(*http, "useClientProtocol")) {
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
    sources.push_back(str(d, "from"));
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
    std::string from = str(f, "from"), to = str(f, "to");
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
    std::string from = str(f, "from"), to = str(f, "to");
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
    if (cookie && str(*cookie, "name").empty()) e.add("name required for HttpCookie");
    if (cookie) {
      std::set<std::string> names;
      for (const auto& attr : list(*cookie, "attributes")) {
        std::string name = str(attr, "name");
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
    std::string protocol = str(*tunnel, "protocol");
    if (!protocol.empty() && protocol != "CONNECT" && protocol != "POST") e.add("tunnel protocol must be \"CONNECT\" or \"POST\"");
    std::string target = str(*tunnel, "targetHost");
    auto fqdn_err = validate_fqdn(target);
    auto ip_err = validate_ip_address(target);
    if (fqdn_err && ip_err) e.add("tunnel target host must be valid FQDN or IP address: " + *fqdn_err + "; " + *ip_err);
    if (auto err = validate_port(integer(*tunnel, "targetPort"))) e.add("tunnel target port is invalid: " + *err);
  }
  return e;
}

Errors validate_destination_rule(const std::string& ns, const Json& spec) {
  Errors e;
  e.add(validate_wildcard_domain(str(spec, "host")));
  e.add(validate_traffic_policy(ns, get(spec, "trafficPolicy")));
  std::set<std::string> names;
  for (const auto& subset : list(spec, "subsets")) {
    std::string name = str(subset, "name");
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

// ---- ServiceEntry -------------------------------------------------------------------------------

Errors validate_workload_entry(const Json& we, const std::set<std::string>& service_ports) {
  Errors e;
  std::string address = str(we, "address");
  bool unix_endpoint = false;
  if (address.empty()) {
    if (str(we, "network").empty()) {
      e.add("address is required");
      return e;
    }
    e.warn("address is unset with network " + go_quote(str(we, "network")));
  }
  if (address.rfind("unix://", 0) == 0) {
    unix_endpoint = true;
    e.add(validate_unix_address(address.substr(7)));
    if (!members(we, "ports").empty()) e.add("unix endpoint " + address + " must not include ports");
  } else if (!address.empty() && !is_ip_address(address)) {
    e.add("endpoint address " + go_quote(address) + " is not a valid IP address");
  }
  for (const auto& [name, port] : members(we, "ports").items()) {
    std::int64_t p = port.is_number() ? static_cast<std::int64_t>(port.get<double>()) : 0;
    if (!service_ports.count(name)) e.add("endpoint port " + std::to_string(p) + " is not defined by the service entry");
    e.add(validate_port_name(name));
    e.add(validate_port(p));
  }
  e.add(validate_labels(string_map(we, "labels")));
  if (unix_endpoint && service_ports.size() != 1) e.add("exactly 1 service port required for unix endpoints");
  return e;
}

Errors validate_service_entry(const model::Object& object, const std::string& ns, const Json& spec) {
  Errors e;
  const Json* selector = get(spec, "workloadSelector");
  if (selector) {
    Errors sel;
    auto labels = string_map(*selector, "labels");
    for (const auto& [k, v] : labels) {
      if (k.empty()) sel.add("empty key is not supported in selector: " + go_quote(k + "=" + v));
      if (k.find('*') != std::string::npos || v.find('*') != std::string::npos) {
        sel.add("wildcard is not supported in selector: " + go_quote(k + "=" + v));
      }
    }
    if (!sel.empty()) return sel;  // Istio returns these alone
    if (labels.empty()) {
      e.warn("service entry: workload selector specified without labels, will be applied to all services in namespace");
    }
  }
  const bool has_endpoints = get(spec, "endpoints") != nullptr;
  if (selector && has_endpoints) e.add("only one of WorkloadSelector or Endpoints is allowed in Service Entry");
  std::vector<std::string> hosts = strings(spec, "hosts");
  std::string resolution = str(spec, "resolution");
  if (resolution.empty()) resolution = "NONE";
  if (hosts.empty()) e.add("service entry must have at least one host");
  for (const auto& h : hosts) {
    if (h == "*") {
      e.add("invalid host " + h);
    } else {
      e.add(validate_wildcard_domain(h));
      if (resolution != "DYNAMIC_DNS") {
        if (auto w = validate_partial_wildcard(h)) e.warn(*w);
      }
    }
  }
  std::vector<std::string> addresses = strings(spec, "addresses");
  bool cidr = false;
  for (const auto& a : addresses) {
    cidr = cidr || a.find('/') != std::string::npos;
    e.add(validate_ip_subnet(a));
  }
  if (cidr && resolution != "NONE" && resolution != "STATIC") {
    e.add("CIDR addresses are allowed only for NONE/STATIC resolution types");
  }
  const auto labels = string_map(object.doc.value("metadata", Json::object()), "labels");
  auto auto_allocate = labels.find("networking.istio.io/enable-autoallocate-ip");
  const bool auto_allocation = auto_allocate != labels.end() && auto_allocate->second == "true";
  std::set<std::string> port_names;
  std::set<std::int64_t> port_numbers;
  const Json& ports = list(spec, "ports");
  for (const auto& p : ports) {
    std::string name = str(p, "name");
    std::int64_t number = integer(p, "number");
    if (!port_names.insert(name).second) e.add("service entry port name " + go_quote(name) + " already defined");
    if (!port_numbers.insert(number).second) e.add("service entry port " + std::to_string(number) + " already defined");
    if (integer(p, "targetPort") != 0) e.add(validate_port(integer(p, "targetPort")));
    std::string protocol = str(p, "protocol");
    if (addresses.empty() && !auto_allocation && (protocol.empty() || protocol == "TCP")) {
      e.warn("addresses are required for ports serving TCP (or unset) protocol when IP Autoallocation is not enabled");
    }
    e.add(validate_port_name(name));
    if (!protocol.empty() && parse_protocol(protocol).empty()) e.add("unsupported protocol: " + protocol);
    e.add(validate_port(number));
  }
  const Json& endpoints = list(spec, "endpoints");
  if (resolution == "NONE") {
    if (!endpoints.empty()) e.add("no endpoints should be provided for resolution type none");
    if (selector) e.warn("workloadSelector should not be set when resolution mode is NONE");
  } else if (resolution == "STATIC") {
    for (const auto& ep : endpoints) e.add(validate_workload_entry(ep, port_names));
  } else if (resolution == "DNS" || resolution == "DNS_ROUND_ROBIN") {
    if (endpoints.empty()) {
      for (const auto& h : hosts) {
        if (auto err = validate_fqdn(h)) {
          e.add("hosts must be FQDN or contain only prefix wildcards if no endpoints are provided for resolution mode " +
                resolution + ", " + *err);
          break;
        }
      }
    }
    if (resolution == "DNS_ROUND_ROBIN" && endpoints.size() > 1) {
      e.add("there must only be 0 or 1 endpoint for resolution mode " + resolution);
    }
    for (const auto& ep : endpoints) {
      std::string address = str(ep, "address");
      if (!is_ip_address(address) && validate_fqdn(address)) {
        e.add("endpoint address " + go_quote(address) + " is not a valid FQDN or an IP address");
      }
      e.add(validate_labels(string_map(ep, "labels")));
      for (const auto& [name, port] : members(ep, "ports").items()) {
        std::int64_t p = port.is_number() ? static_cast<std::int64_t>(port.get<double>()) : 0;
        if (!port_names.count(name)) e.add("endpoint port " + std::to_string(p) + " is not defined by the service entry");
        e.add(validate_port_name(name));
        e.add(validate_port(p));
      }
    }
    if (!addresses.empty()) {
      for (const auto& p : ports) {
        if (protocol_is_tcp(parse_protocol(str(p, "protocol")))) {
          if (hosts.size() > 1) {
            e.warn("service entry can not have more than one host specified simultaneously with address and tcp port");
          }
          break;
        }
      }
    }
  } else if (resolution == "DYNAMIC_DNS") {
    if (hosts.empty()) e.add("at least one wildcard host must be provided for resolution type " + resolution);
    for (const auto& h : hosts) {
      if (!host::is_wildcard(h)) e.add("host must be wildcarded for resolution mode " + resolution);
    }
    if (!addresses.empty()) {
      e.add("addresses cannot be set for resolution type " + resolution +
            ". HTTP route domains will only be generatedfrom the hosts field values");
    }
    if (!endpoints.empty()) {
      e.add("endpoints cannot be set for resolution type " + resolution +
            ". Destination IP address determined from hostsfield values");
    }
    for (const auto& p : ports) {
      std::string proto = parse_protocol(str(p, "protocol"));
      if (proto != "HTTP" && proto != "TLS" && proto != "GRPC" && proto != "HTTP2") {
        e.add("only HTTP, TLS, GRPC, and HTTP2 protocols are supported for resolution type " + resolution);
      }
    }
    auto waypoint = labels.find("istio.io/use-waypoint");
    bool uses_waypoint = waypoint != labels.end() && !waypoint->second.empty() && to_lower(waypoint->second) != "none";
    if (str(spec, "location") == "MESH_INTERNAL" && uses_waypoint) {
      e.add("location MESH_INTERNAL with resolution type " + resolution + " is not supported when using waypoints");
    }
  }
  if (resolution != "NONE" && hosts.size() > 1) {
    for (const auto& p : ports) {
      std::string proto = parse_protocol(str(p, "protocol"));
      if (!protocol_is_http(proto) && !protocol_is_tls(proto)) {
        e.add("multiple hosts provided with non-HTTP, non-TLS ports");
        break;
      }
    }
  }
  e.add(validate_export_to(ns, strings(spec, "exportTo"), true, false));
  return e;
}

// validateMetadata: annotations that the webhook refuses on every kind it validates.
std::optional<std::string> validate_metadata(const model::Object& object, const std::string& ns) {
  const Json* meta = get(object.doc, "metadata");
  if (!meta) return std::nullopt;
  auto annotations = string_map(*meta, "annotations");
  if (annotations.count("istio.io/dry-run")) {
    return ns + "/" + object.name() + " has unsupported annotation istio.io/dry-run, please remove the annotation";
  }
  if (annotations.count("internal.istio.io/webhook-always-reject")) {
    return go_quote("internal.istio.io/webhook-always-reject") + " annotation found, rejecting";
  }
  for (const char* internal : {"internal.istio.io/parent-namespace", "internal.istio.io/parents"}) {
    if (annotations.count(internal)) return go_quote(internal) + " annotation found, this may not be set by users";
  }
  return std::nullopt;
}

std::string error_list_text(const std::vector<std::string>& errors) {
  // go-multierror's ListFormatFunc, without its two trailing newlines.
  if (errors.size() == 1) return "1 error occurred:\n\t* " + errors.front();
  std::string out = std::to_string(errors.size()) + " errors occurred:";
  for (const auto& e : errors) out += "\n\t* " + e;
  return out;
}

}  // namespace

std::string ValidationReport::denial_message() const {
  if (!api_server_message.empty()) return api_server_message;
  if (errors.empty()) return {};
  std::string detail = error_list || errors.size() > 1 ? error_list_text(errors) : errors.front();
  return "admission webhook \"validation.istio.io\" denied the request: configuration is invalid: " + detail;
}

ValidationReport validate(const model::Object& object) {
  ValidationReport report;
  if (!model::detail::has_istio_schema(object.group(), object.kind())) return report;

  // The API server's schema check comes first; a refused object never reaches the webhook.
  auto issues = model::detail::check_istio_schema(object);
  if (!issues.empty()) {
    for (const auto& issue : issues) report.errors.push_back(issue.message());
    report.api_server_message = model::detail::kube_denial(object, issues);
    return report;
  }

  const std::string ns = object.namespace_().empty() ? "default" : object.namespace_();
  if (auto err = validate_metadata(object, ns)) {
    report.errors.push_back(*err);
    return report;
  }
  static const Json empty_spec = Json::object();
  const Json* spec_ptr = get(object.doc, "spec");
  const Json& spec = spec_ptr ? *spec_ptr : empty_spec;
  Errors e;
  const std::string kind = object.kind();
  if (kind == "Gateway") e = validate_gateway(object, spec);
  else if (kind == "VirtualService") e = validate_virtual_service(object, spec);
  else if (kind == "DestinationRule") e = validate_destination_rule(ns, spec);
  else if (kind == "ServiceEntry") e = validate_service_entry(object, ns, spec);
  report.errors = std::move(e.errors);
  report.warnings = std::move(e.warnings);
  report.error_list = e.list;
  return report;
}

}  // namespace gwsim::validation
