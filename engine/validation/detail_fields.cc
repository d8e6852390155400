// The spec accessors and shared field checks of Istio's webhook (see detail_fields.h).
#include "engine/validation/detail_fields.h"

#include <cmath>
#include <set>

#include "engine/model/detail_convert.h"

namespace gwsim::validation::detail {

const Json* get(const Json& o, const char* key) {
  if (!o.is_object()) return nullptr;
  auto it = o.find(key);
  return it == o.end() || it->is_null() ? nullptr : &*it;
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
const Json& members(const Json& o, const char* key) {
  static const Json empty = Json::object();
  const Json* v = get(o, key);
  return v && v->is_object() ? *v : empty;
}
std::int64_t duration_ns(const Json& o, const char* key) {
  return model::detail::parse_go_duration_ns(string_member(o, key)).value_or(0);
}
std::string join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : sep) + s;
  return out;
}
std::string go_list(const std::vector<std::string>& items) {
  // Appended in place: GCC 12's -Wrestrict misfires on "[" + std::string + "]".
  std::string out = "[";
  out += join(items, " ");
  out += ']';
  return out;
}

std::string port_text(const Json& port) {
  std::vector<std::string> parts;
  if (integer(port, "number") != 0) parts.push_back("number:" + std::to_string(integer(port, "number")));
  if (!string_member(port, "protocol").empty())
    parts.push_back("protocol:" + go_quote(string_member(port, "protocol")));
  if (!string_member(port, "name").empty()) parts.push_back("name:" + go_quote(string_member(port, "name")));
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
  std::string re = string_member(*sm, "regex");
  if (re.empty()) return go_quote(where) + ": regex string match should not be empty";
  return validate_regex(re, where);
}
std::optional<std::string> validate_string_match(const Json* sm, const std::string& where) {
  if (!sm) return std::nullopt;
  if (has(*sm, "exact")) return std::nullopt;
  if (has(*sm, "prefix")) {
    if (string_member(*sm, "prefix").empty()) return go_quote(where) + ": prefix string match should not be empty";
    return std::nullopt;
  }
  return validate_string_match_regexp(sm, where);
}

Errors validate_destination(const Json* d) {
  Errors e;
  if (!d) return e;
  std::string host = string_member(*d, "host");
  if (host == "*") e.add("invalid destination host " + host);
  else e.add(validate_wildcard_domain(host));
  std::string subset = string_member(*d, "subset");
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

}  // namespace gwsim::validation::detail
