// Paraphrases Istio's delegate VirtualService merge; file references point at istio/istio.
#include "engine/route/delegate.h"

#include <algorithm>
#include <map>
#include <set>

#include "engine/route/internal_annotations.h"

namespace gwsim::route {

namespace delegate_detail {

namespace {

using model::HTTPMatchRequest;
using model::StringMatch;

// Go's GetExact()/GetPrefix()/GetRegex(): the value when that kind is set, else "".
std::string exact_of(const StringMatch& m) { return m.kind == StringMatch::Kind::kExact ? m.value : ""; }
std::string prefix_of(const StringMatch& m) { return m.kind == StringMatch::Kind::kPrefix ? m.value : ""; }
std::string regex_of(const StringMatch& m) { return m.kind == StringMatch::Kind::kRegex ? m.value : ""; }

bool starts_with(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

std::optional<StringMatch> find(const std::map<std::string, StringMatch>& m, const std::string& key) {
  auto it = m.find(key);
  if (it == m.end()) return std::nullopt;
  return it->second;
}

// maps.MergeCopy(base, override): base's entries, overridden by override's.
template <typename Map>
Map merge_copy(const Map& base, const Map& override_with) {
  Map out = base;
  for (const auto& [k, v] : override_with) out[k] = v;
  return out;
}

}  // namespace

// virtualservice.go stringMatchConflict.
bool string_match_conflict(const std::optional<StringMatch>& root, const std::optional<StringMatch>& leaf) {
  if (!root || !leaf) return false;  // one side unset: no conflict
  // A regex on either side is compatible only with nothing on the other side.
  if (!regex_of(*root).empty() &&
      (!regex_of(*leaf).empty() || !prefix_of(*leaf).empty() || !exact_of(*leaf).empty())) {
    return true;
  }
  if (!regex_of(*leaf).empty() &&
      (!regex_of(*root).empty() || !prefix_of(*root).empty() || !exact_of(*root).empty())) {
    return true;
  }
  if (const std::string exact = exact_of(*root); !exact.empty()) {
    if (!prefix_of(*leaf).empty()) return true;  // a prefix is wider than an exact value
    return exact_of(*leaf) != exact;              // two exact values must be equal
  }
  if (const std::string prefix = prefix_of(*root); !prefix.empty()) {
    if (!prefix_of(*leaf).empty()) return !starts_with(prefix_of(*leaf), prefix);
    if (!exact_of(*leaf).empty()) return !starts_with(exact_of(*leaf), prefix);
  }
  return true;
}

// virtualservice.go hasConflict.
bool has_conflict(const HTTPMatchRequest& root, const HTTPMatchRequest& leaf) {
  if (string_match_conflict(root.uri, leaf.uri) || string_match_conflict(root.scheme, leaf.scheme) ||
      string_match_conflict(root.method, leaf.method) || string_match_conflict(root.authority, leaf.authority)) {
    return true;
  }
  for (const auto& [key, m] : leaf.headers) {
    if (string_match_conflict(find(root.headers, key), m)) return true;
  }
  for (const auto& [key, m] : leaf.without_headers) {
    if (string_match_conflict(find(root.without_headers, key), m)) return true;
  }
  for (const auto& [key, m] : leaf.query_params) {
    if (string_match_conflict(find(root.query_params, key), m)) return true;
  }
  if (root.ignore_uri_case != leaf.ignore_uri_case) return true;
  if (root.port > 0 && leaf.port > 0 && root.port != leaf.port) return true;
  if (!root.source_namespace.empty() && leaf.source_namespace != root.source_namespace) return true;
  for (const auto& [key, value] : leaf.source_labels) {
    auto it = root.source_labels.find(key);
    if (it != root.source_labels.end() && it->second != value) return true;
  }
  // The root's gateways must be a superset of the delegate's.
  if (!root.gateways.empty() && !leaf.gateways.empty()) {
    if (root.gateways.size() < leaf.gateways.size()) return true;
    std::set<std::string> root_gateways(root.gateways.begin(), root.gateways.end());
    for (const auto& g : leaf.gateways) {
      if (!root_gateways.count(g)) return true;
    }
  }
  return false;
}

// virtualservice.go mergeHTTPMatchRequest.
HTTPMatchRequest merge_match(const HTTPMatchRequest& root, const HTTPMatchRequest& leaf) {
  HTTPMatchRequest out = leaf;
  if (out.name.empty()) {
    out.name = root.name;
  } else if (!root.name.empty()) {
    out.name = root.name + "-" + out.name;
  }
  if (!out.uri) out.uri = root.uri;
  if (!out.scheme) out.scheme = root.scheme;
  if (!out.method) out.method = root.method;
  if (!out.authority) out.authority = root.authority;
  out.headers = merge_copy(root.headers, leaf.headers);
  out.without_headers = merge_copy(root.without_headers, leaf.without_headers);
  out.query_params = merge_copy(root.query_params, leaf.query_params);
  if (out.port == 0) out.port = root.port;
  out.source_labels = merge_copy(root.source_labels, leaf.source_labels);
  if (out.source_namespace.empty()) out.source_namespace = root.source_namespace;
  if (out.gateways.empty()) out.gateways = root.gateways;
  if (out.stat_prefix.empty()) out.stat_prefix = root.stat_prefix;
  // ignoreUriCase is equal on both sides (a difference is a conflict).
  return out;
}

// virtualservice.go mergeHTTPMatchRequests: every delegate match must be compatible with at
// least one root match; it yields one merged match per compatible root match.
std::optional<std::vector<HTTPMatchRequest>> merge_matches(const std::vector<HTTPMatchRequest>& root,
                                                           const std::vector<HTTPMatchRequest>& leaf) {
  if (root.empty()) return leaf;
  if (leaf.empty()) return root;
  std::vector<HTTPMatchRequest> out;
  for (const auto& sub : leaf) {
    bool found = false;
    for (const auto& r : root) {
      if (has_conflict(r, sub)) continue;
      out.push_back(merge_match(r, sub));
      found = true;
    }
    if (!found) return std::nullopt;
  }
  if (out.empty()) return std::nullopt;
  return out;
}

// virtualservice.go mergeHTTPRoute: the delegate route keeps what it sets and inherits the
// rest from the root route.
std::optional<model::HTTPRoute> merge_route(const model::HTTPRoute& root, const model::HTTPRoute& leaf) {
  auto matches = merge_matches(root.match, leaf.match);
  if (!matches) return std::nullopt;
  model::HTTPRoute out = leaf;
  out.match = std::move(*matches);
  if (out.name.empty()) {
    out.name = root.name;
  } else if (!root.name.empty()) {
    out.name = root.name + "-" + out.name;
  }
  if (!out.rewrite) out.rewrite = root.rewrite;
  if (!out.direct_response) out.direct_response = root.direct_response;
  if (!out.timeout) out.timeout = root.timeout;
  if (!out.retries) out.retries = root.retries;
  if (!out.fault) out.fault = root.fault;
  if (!out.mirror) out.mirror = root.mirror;
  if (!out.mirror_percentage) out.mirror_percentage = root.mirror_percentage;
  if (!out.cors_policy) out.cors_policy = root.cors_policy;
  if (out.mirrors.empty()) out.mirrors = root.mirrors;
  if (!out.headers) out.headers = root.headers;
  // Not inherited, as in Istio: route destinations, redirect (a root route may carry neither).
  return out;
}

}  // namespace delegate_detail

namespace {

std::string ref(const std::string& ns, const std::string& name) { return ns + "/" + name; }

// convertExportToSet / copyDefaultExportToSet with the mesh default (public) and the
// visibility check of mergeVirtualServices: public, or exported to the root's namespace.
bool exported_to(const model::VirtualService& delegate, const std::string& root_namespace) {
  if (delegate.export_to.empty()) return true;  // meshConfig.defaultVirtualServiceExportTo: "*"
  for (const auto& e : delegate.export_to) {
    const std::string v = e == "." ? delegate.meta.namespace_ : e;
    if (v == "*" || v == root_namespace) return true;
  }
  return false;
}

std::string route_label(const model::HTTPRoute& r, std::size_t index) {
  return r.name.empty() ? std::string("#").append(std::to_string(index)) : r.name;
}

}  // namespace

std::vector<model::VirtualService> merge_delegates(const std::vector<model::VirtualService>& resolved,
                                                   std::vector<std::string>& warnings) {
  // delegateVirtualServices: the VirtualServices without hosts, by namespace/name.
  std::map<std::string, const model::VirtualService*> delegates;
  for (const auto& vs : resolved) {
    if (vs.hosts.empty()) delegates[ref(vs.meta.namespace_, vs.meta.name)] = &vs;
  }

  std::vector<model::VirtualService> out;
  out.reserve(resolved.size() - delegates.size());
  for (const auto& vs : resolved) {
    if (vs.hosts.empty()) continue;  // a delegate never binds by itself
    // mergeVirtualServices: Gateway API and Ingress VirtualServices are never merged.
    const bool plain = !uses_gateway_semantics(vs.meta) && !uses_ingress_semantics(vs.meta);
    const bool is_root = std::any_of(vs.http.begin(), vs.http.end(), [](const model::HTTPRoute& r) { return r.delegate.has_value(); });
    if (!plain || !is_root) {
      out.push_back(vs);
      continue;
    }
    const std::string root_ref = ref(vs.meta.namespace_, vs.meta.name);
    model::VirtualService merged = vs;
    merged.http.clear();
    for (std::size_t i = 0; i < vs.http.size(); ++i) {
      const model::HTTPRoute& http = vs.http[i];
      if (!http.delegate) {
        merged.http.push_back(http);
        continue;
      }
      const std::string ns = http.delegate->namespace_.empty() ? vs.meta.namespace_ : http.delegate->namespace_;
      const std::string delegate_ref = ref(ns, http.delegate->name);
      auto it = delegates.find(delegate_ref);
      if (it == delegates.end()) {
        warnings.push_back("delegate virtual service " + delegate_ref + " of " + root_ref +
                           " not found: http route " + route_label(http, i) + " dropped");
        continue;
      }
      const model::VirtualService& delegate = *it->second;
      if (!exported_to(delegate, vs.meta.namespace_)) {
        warnings.push_back("delegate virtual service " + delegate_ref + " of " + root_ref + " is not exported to " +
                           vs.meta.namespace_ + ": http route " + route_label(http, i) + " dropped");
        continue;
      }
      model::HTTPRoute root = http;
      root.delegate.reset();
      for (std::size_t j = 0; j < delegate.http.size(); ++j) {
        const model::HTTPRoute& sub = delegate.http[j];
        if (sub.delegate) {
          warnings.push_back("delegate virtual service " + delegate_ref + " http route " + route_label(sub, j) +
                             " delegates again (delegate HTTP route cannot contain delegate): dropped");
          continue;
        }
        auto route = delegate_detail::merge_route(root, sub);
        if (!route) {
          warnings.push_back("HTTPMatchRequests conflict: root route " + route_label(http, i) + " of " + root_ref +
                             ", delegate route " + route_label(sub, j) + " of " + delegate_ref + ": delegate route dropped");
          continue;
        }
        merged.http.push_back(std::move(*route));
      }
    }
    out.push_back(std::move(merged));
  }
  return out;
}

}  // namespace gwsim::route
