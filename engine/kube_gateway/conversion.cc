// Route rules -> Istio HTTP/TLS/TCP routes, and route -> parent binding
// (pilot/pkg/config/kube/gateway/conversion.go: convertHTTPRoute, convertGRPCRoute,
// convertTCPRoute, convertTLSRoute, buildDestination, the create*Filter and create*Match
// functions, sortHTTPRoutes, referenceAllowed, extractParentReferenceInfo).
#include "engine/kube_gateway/detail_conversion.h"

#include <algorithm>

#include "engine/host/host_name.h"
#include "engine/model/snapshot.h"

namespace gwsim::kube_gateway::detail {

namespace {

using model::StringMatch;

const GroupKind kServiceKind{"", "Service"};

std::string to_lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// joinErrors: the first error, with the second's message appended.
std::optional<ConfigError> join_errors(std::optional<ConfigError> a, const std::optional<ConfigError>& b) {
  if (!a) return b;
  if (b) a->message += "; " + b->message;
  return a;
}

// isInvalidBackend: these errors drop the backend but keep the route.
bool is_invalid_backend(const ConfigError& e) {
  return e.reason == "RefNotPermitted" || e.reason == "BackendNotFound" || e.reason == "InvalidKind";
}

// headerListToMap: lower-cased names, the first of equal names wins; sorted like a Go map.
std::vector<std::pair<std::string, std::string>> header_list(const std::vector<gwapi::HTTPHeader>& headers) {
  std::map<std::string, std::string> out;
  for (const auto& h : headers) out.emplace(to_lower(h.name), h.value);
  return {out.begin(), out.end()};
}

bool valid_header_value(const std::string& v) {
  for (unsigned char c : v) {
    if (c == 0x09 || (c >= 0x20 && c != 0x7F)) continue;
    return false;
  }
  return true;
}

// createHeadersFilter.
std::optional<model::HeaderOperations> headers_filter(const std::optional<gwapi::HTTPHeaderFilter>& f,
                                                      std::optional<ConfigError>& error) {
  if (!f) return std::nullopt;
  for (const auto* list : {&f->set, &f->add}) {
    for (const auto& h : *list) {
      if (!valid_header_value(h.value)) {
        error = ConfigError{"InvalidFilter", "header \"" + h.name + "\" value contains invalid characters"};
        return std::nullopt;
      }
    }
  }
  model::HeaderOperations ops;
  ops.add = header_list(f->add);
  ops.set = header_list(f->set);
  ops.remove = f->remove;
  return ops;
}

// createRedirectFilter.
model::HTTPRedirect redirect_filter(const gwapi::HTTPRequestRedirectFilter& f) {
  model::HTTPRedirect r;
  if (f.status_code) r.redirect_code = static_cast<std::uint32_t>(*f.status_code);
  if (f.hostname) r.authority = *f.hostname;
  if (f.scheme) r.scheme = *f.scheme;
  if (f.port) {
    r.port = static_cast<std::uint32_t>(*f.port);
  } else {
    // "When empty, port (if specified) of the request is used" - unlike Istio's default.
    r.derive_port = f.scheme ? "FROM_PROTOCOL_DEFAULT" : "FROM_REQUEST_PORT";
  }
  if (f.path) {
    if (f.path->type == "ReplaceFullPath")
      r.uri = f.path->replace_full_path.value_or("");
    else if (f.path->type == "ReplacePrefixMatch")
      r.prefix_rewrite = f.path->replace_prefix_match.value_or("");
  }
  return r;
}

// createRewriteFilter.
std::optional<model::HTTPRewrite> rewrite_filter(const gwapi::HTTPURLRewriteFilter& f) {
  model::HTTPRewrite r;
  if (f.path) {
    if (f.path->type == "ReplacePrefixMatch") {
      r.uri = f.path->replace_prefix_match.value_or("");
      if (!r.uri.empty() && r.uri.back() == '/') r.uri.pop_back();
      if (r.uri.empty()) r.uri = "/";  // "/" means removing the prefix
    } else if (f.path->type == "ReplaceFullPath") {
      r.uri_regex_rewrite = model::RegexRewrite{"/.*", f.path->replace_full_path.value_or("")};
    }
  }
  if (f.hostname) r.authority = *f.hostname;
  if (r.uri.empty() && !r.uri_regex_rewrite && r.authority.empty()) return std::nullopt;
  return r;
}

// regexp.QuoteMeta.
std::string quote_meta(const std::string& s) {
  static const std::string special = R"(\.+*?()|[]{}^$)";
  std::string out;
  for (char c : s) {
    if (special.find(c) != std::string::npos) out += '\\';
    out += c;
  }
  return out;
}

// createCorsFilter.
model::CorsPolicy cors_filter(const gwapi::HTTPCORSFilter& f) {
  model::CorsPolicy p;
  for (const auto& o : f.allow_origins) {
    if (o.empty()) continue;
    if (o == "*") {
      p.allow_origins.push_back({StringMatch::Kind::kRegex, R"(^[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s?#]+$)"});
    } else if (o.find('*') == std::string::npos) {
      p.allow_origins.push_back({StringMatch::Kind::kExact, o});
    } else if (std::count(o.begin(), o.end(), '*') == 1 && o.back() == '*') {
      p.allow_origins.push_back({StringMatch::Kind::kPrefix, o.substr(0, o.size() - 1)});
    } else {
      std::string pattern = quote_meta(o);
      std::string::size_type at;
      while ((at = pattern.find("\\*")) != std::string::npos) pattern.replace(at, 2, ".*");
      p.allow_origins.push_back({StringMatch::Kind::kRegex, "^" + pattern + "$"});
    }
  }
  if (f.allow_credentials.value_or(false)) p.allow_credentials = true;
  p.allow_methods = f.allow_methods;
  p.allow_headers = f.allow_headers;
  p.expose_headers = f.expose_headers;
  if (f.max_age > 0) p.max_age = static_cast<model::Millis>(f.max_age) * 1000;
  p.unmatched_preflights = "IGNORE";
  return p;
}

std::map<std::string, StringMatch> string_matches(const std::vector<gwapi::StringMatchSpec>& specs, const char* what,
                                                  std::optional<ConfigError>& error) {
  std::map<std::string, StringMatch> out;
  for (const auto& s : specs) {
    const std::string type = s.type.value_or("Exact");
    if (type == "Exact")
      out[s.name] = {StringMatch::Kind::kExact, s.value};
    else if (type == "RegularExpression")
      out[s.name] = {StringMatch::Kind::kRegex, s.value};
    else
      error = ConfigError{"InvalidConfiguration", "unknown type: \"" + type + "\" is not supported " + what + " type"};
  }
  return out;
}

// createURIMatch.
std::optional<StringMatch> uri_match(const gwapi::HTTPPathMatch& path, std::optional<ConfigError>& error) {
  const std::string type = path.type.value_or("PathPrefix");
  std::string dest = path.value.value_or("/");
  if (type == "PathPrefix") {
    if (dest != "/" && !dest.empty() && dest.back() == '/') dest.pop_back();  // "a trailing / is ignored"
    return StringMatch{StringMatch::Kind::kPrefix, dest};
  }
  if (type == "Exact") return StringMatch{StringMatch::Kind::kExact, dest};
  if (type == "RegularExpression") return StringMatch{StringMatch::Kind::kRegex, dest};
  error = ConfigError{"InvalidConfiguration", "unknown type: \"" + type + "\" is not supported Path match type"};
  return std::nullopt;
}

// createGRPCURIMatch: /<Service>/<Method> as string matches.
std::optional<StringMatch> grpc_uri_match(const gwapi::GRPCRouteMatch& match, std::optional<ConfigError>& error) {
  if (!match.method) return std::nullopt;
  const auto& m = *match.method;
  const std::string type = m.type.value_or("Exact");
  if (!m.method && !m.service) {
    error = ConfigError{"InvalidConfiguration", "gRPC match must have method or service defined"};
    return std::nullopt;
  }
  if (type == "Exact") {
    if (!m.method) return StringMatch{StringMatch::Kind::kPrefix, "/" + *m.service + "/"};
    if (!m.service) return StringMatch{StringMatch::Kind::kRegex, "/[^/]+/" + *m.method};
    return StringMatch{StringMatch::Kind::kExact, "/" + *m.service + "/" + *m.method};
  }
  if (type == "RegularExpression") {
    if (!m.method) return StringMatch{StringMatch::Kind::kRegex, "/" + *m.service + "/.+"};
    if (!m.service) return StringMatch{StringMatch::Kind::kRegex, "/[^/]+/" + *m.method};
    return StringMatch{StringMatch::Kind::kRegex, "/" + *m.service + "/" + *m.method};
  }
  error = ConfigError{"InvalidConfiguration", "unknown type: \"" + type + "\" is not supported Path match type"};
  return std::nullopt;
}

std::int32_t weight_sum(const std::vector<gwapi::BackendRef>& refs) {
  std::int32_t sum = 0;
  for (const auto& r : refs) sum += r.weight.value_or(1);
  return sum;
}

// The backends with a non-zero weight; a single one gets weight 0 (unset), as Istio writes it.
std::vector<std::pair<const gwapi::BackendRef*, std::int32_t>> weighted(const std::vector<gwapi::BackendRef>& refs) {
  std::vector<std::pair<const gwapi::BackendRef*, std::int32_t>> out;
  for (const auto& r : refs) {
    const std::int32_t w = r.weight.value_or(1);
    if (w != 0) out.emplace_back(&r, w);
  }
  if (out.size() == 1) out[0].second = 0;
  return out;
}

template <typename Ops>
void apply_backend_filters(const std::vector<gwapi::RouteFilter>& filters, Ops& headers,
                           std::optional<ConfigError>& hard_error) {
  for (const auto& f : filters) {
    if (f.type == "RequestHeaderModifier" || f.type == "ResponseHeaderModifier") {
      const bool request = f.type == "RequestHeaderModifier";
      auto h = headers_filter(request ? f.request_header_modifier : f.response_header_modifier, hard_error);
      if (hard_error) return;
      if (!h) continue;
      if (!headers) headers = model::Headers{};
      (request ? headers->request : headers->response) = h;
    } else {
      hard_error = ConfigError{"InvalidFilter", "unsupported filter type \"" + f.type + "\""};
      return;
    }
  }
}

// buildHTTPDestination / buildGRPCDestination.
std::vector<model::HTTPRouteDestination> http_destinations(
    const Context& ctx, const std::vector<gwapi::BackendRef>& refs, const std::string& ns, bool enforce_ref_grant,
    const GroupKind& route_kind, std::optional<ConfigError>& backend_error, std::optional<ConfigError>& hard_error) {
  std::vector<model::HTTPRouteDestination> out;
  for (const auto& [ref, w] : weighted(refs)) {
    std::optional<ConfigError> error;
    model::HTTPRouteDestination d;
    d.destination = build_destination(ctx, ref->ref, ns, enforce_ref_grant, route_kind, error);
    if (error) {
      if (!is_invalid_backend(*error)) {
        hard_error = error;
        return {};
      }
      backend_error = error;  // the backend is dropped gracefully; the route stays
    }
    if (w != 0) d.weight = w;
    apply_backend_filters(ref->filters, d.headers, hard_error);
    if (hard_error) return {};
    out.push_back(std::move(d));
  }
  return out;
}

bool has_match(const model::HTTPRoute& r) { return !r.match.empty(); }

int uri_rank(const model::HTTPMatchRequest& m) {
  if (!m.uri) return -1;
  switch (m.uri->kind) {
    case StringMatch::Kind::kExact:
      return 3;
    case StringMatch::Kind::kPrefix:
      return 2;
    case StringMatch::Kind::kRegex:
      return 1;
    default:
      return -1;
  }
}

int uri_length(const model::HTTPMatchRequest& m) { return m.uri ? static_cast<int>(m.uri->value.size()) : 0; }

}  // namespace

// buildDestination.
model::Destination build_destination(const Context& ctx, const gwapi::BackendObjectReference& to, const std::string& ns,
                                     bool enforce_ref_grant, const GroupKind& route_kind,
                                     std::optional<ConfigError>& error) {
  const GroupKind ref = normalize_reference(to.group, to.kind, kServiceKind);
  if (enforce_ref_grant && to.namespace_ && *to.namespace_ != ns &&
      !ctx.grants.backend_allowed(route_kind, ref, to.name, *to.namespace_, ns)) {
    error = ConfigError{"RefNotPermitted", "backendRef " + to.name + "/" + *to.namespace_ + " not accessible to a " +
                                               route_kind.kind + " in namespace \"" + ns +
                                               "\" (missing a ReferenceGrant?)"};
    return {};
  }
  const std::string namespace_ = to.namespace_.value_or(ns);
  std::string hostname;
  std::optional<ConfigError> invalid;
  if (ref == kServiceKind) {
    if (to.name.find('.') != std::string::npos) {
      error = ConfigError{"InvalidDestination",
                          "service name invalid; the name of the Service must be used, not the hostname."};
      return {};
    }
    hostname = to.name + "." + namespace_ + ".svc." + ctx.domain_suffix;
    if (!ctx.service(namespace_, to.name))
      invalid = ConfigError{"BackendNotFound", "backend(" + hostname + ") not found"};
  } else if (ref == GroupKind{"networking.istio.io", "Hostname"}) {
    if (to.namespace_) {
      error = ConfigError{"InvalidDestination", "namespace may not be set with Hostname type"};
      return {};
    }
    hostname = to.name;
    if (!ctx.hostname_exists(hostname, namespace_))
      invalid = ConfigError{"BackendNotFound", "backend(" + hostname + ") not found"};
  } else if (ref == GroupKind{"multicluster.x-k8s.io", "ServiceImport"}) {
    // Without EnableMCSHost a ServiceImport is the Service of that name.
    hostname = to.name + "." + namespace_ + ".svc." + ctx.domain_suffix;
    if (!ctx.service(namespace_, to.name))
      invalid = ConfigError{"BackendNotFound", "backend(" + hostname + ") not found"};
  } else {
    error = ConfigError{"InvalidKind", "referencing unsupported backendRef: group \"" + to.group.value_or("") +
                                           "\" kind \"" + to.kind.value_or("") + "\""};
    return {};
  }
  if (!to.port) {
    error = ConfigError{"InvalidDestination", "port is required in backendRef"};
    return {};
  }
  error = invalid;
  return model::Destination{hostname, "", model::PortSelector{static_cast<std::uint32_t>(*to.port)}};
}

RuleResult<model::HTTPRoute> convert_http_rule(const Context& ctx, const gwapi::HTTPRouteRule& rule,
                                               const gwapi::HTTPRouteMatch* match, const gwapi::HTTPRoute& obj,
                                               size_t pos, bool enforce_ref_grant) {
  RuleResult<model::HTTPRoute> out;
  auto fail = [&](ConfigError e) {
    out.route.reset();
    out.error = std::move(e);
    return out;
  };
  model::HTTPRoute vs;
  vs.name = rule.name ? *rule.name : obj.meta.namespace_ + "." + obj.meta.name + "." + std::to_string(pos);
  vs.source = obj.meta.source;
  if (match) {
    std::optional<ConfigError> e;
    model::HTTPMatchRequest m;
    m.uri = uri_match(match->path, e);
    m.headers = string_matches(match->headers, "HeaderMatch", e);
    m.query_params = string_matches(match->query_params, "QueryParams", e);
    if (match->method) m.method = StringMatch{StringMatch::Kind::kExact, *match->method};
    if (e) return fail(*e);
    vs.match.push_back(std::move(m));
  }
  std::optional<ConfigError> mirror_error;
  for (const auto& f : rule.filters) {
    std::optional<ConfigError> e;
    if (f.type == "RequestHeaderModifier" || f.type == "ResponseHeaderModifier") {
      const bool request = f.type == "RequestHeaderModifier";
      auto h = headers_filter(request ? f.request_header_modifier : f.response_header_modifier, e);
      if (e) return fail(*e);
      if (!h) continue;
      if (!vs.headers) vs.headers = model::Headers{};
      (request ? vs.headers->request : vs.headers->response) = h;
    } else if (f.type == "RequestRedirect") {
      if (f.request_redirect) vs.redirect = redirect_filter(*f.request_redirect);
    } else if (f.type == "RequestMirror") {
      if (!f.request_mirror) continue;
      auto mirror = create_mirror(ctx, *f.request_mirror, obj.meta.namespace_, enforce_ref_grant,
                                  GroupKind{kGatewayGroup, "HTTPRoute"}, e);
      if (e)
        mirror_error = e;
      else
        vs.mirrors.push_back(std::move(mirror));
    } else if (f.type == "URLRewrite") {
      if (f.url_rewrite) vs.rewrite = rewrite_filter(*f.url_rewrite);
    } else if (f.type == "CORS") {
      if (f.cors) vs.cors_policy = cors_filter(*f.cors);
    } else {
      // ExtensionRef and anything else: the whole route is rejected (ResolvedRefs False).
      return fail(ConfigError{"InvalidFilter", "unsupported filter type \"" + f.type + "\""});
    }
  }
  if (rule.retry) {
    // "Implementations SHOULD retry on connection errors ... if a retry stanza is configured."
    std::string retry_on = "connect-failure,refused-stream,unavailable,cancelled";
    for (auto code : rule.retry->codes) retry_on += "," + std::to_string(code);
    model::HTTPRetry retries;
    retries.attempts = rule.retry->attempts.value_or(2);
    retries.retry_on = retries.attempts == 0 ? "" : retry_on;
    if (rule.retry->backoff) {
      auto d = model::parse_duration(*rule.retry->backoff);
      retries.backoff = d ? *d : 0;
    }
    vs.retries = retries;
  }
  if (rule.timeouts) {
    if (rule.timeouts->request) {
      auto d = model::parse_duration(*rule.timeouts->request);
      if (d && *d != 0) vs.timeout = *d;
    }
    if (rule.timeouts->backend_request) {
      auto d = model::parse_duration(*rule.timeouts->backend_request);
      if (d && *d != 0) {
        if (vs.retries)
          vs.retries->per_try_timeout = *d;
        else
          vs.timeout = *d;
      }
    }
  }
  if (weight_sum(rule.backend_refs) == 0 && !vs.redirect) {
    // "when there are no >0 weight backends", the spec asks for a 500.
    vs.direct_response = model::HTTPDirectResponse{500, std::nullopt};
    out.route = std::move(vs);
    out.error = mirror_error;
    return out;
  }
  std::optional<ConfigError> backend_error, hard_error;
  vs.route = http_destinations(ctx, rule.backend_refs, obj.meta.namespace_, enforce_ref_grant,
                               GroupKind{kGatewayGroup, "HTTPRoute"}, backend_error, hard_error);
  if (hard_error) return fail(*hard_error);
  out.route = std::move(vs);
  out.error = join_errors(backend_error, mirror_error);
  return out;
}

RuleResult<model::HTTPRoute> convert_grpc_rule(const Context& ctx, const gwapi::GRPCRouteRule& rule,
                                               const gwapi::GRPCRouteMatch* match, const gwapi::GRPCRoute& obj,
                                               size_t pos, bool enforce_ref_grant) {
  RuleResult<model::HTTPRoute> out;
  auto fail = [&](ConfigError e) {
    out.route.reset();
    out.error = std::move(e);
    return out;
  };
  const GroupKind kind{kGatewayGroup, "GRPCRoute"};
  model::HTTPRoute vs;
  vs.name = rule.name ? *rule.name : obj.meta.namespace_ + "." + obj.meta.name + "." + std::to_string(pos);
  vs.source = obj.meta.source;
  if (match) {
    std::optional<ConfigError> e;
    model::HTTPMatchRequest m;
    m.uri = grpc_uri_match(*match, e);
    m.headers = string_matches(match->headers, "HeaderMatch", e);
    if (e) return fail(*e);
    vs.match.push_back(std::move(m));
  }
  for (const auto& f : rule.filters) {
    std::optional<ConfigError> e;
    if (f.type == "RequestHeaderModifier" || f.type == "ResponseHeaderModifier") {
      const bool request = f.type == "RequestHeaderModifier";
      auto h = headers_filter(request ? f.request_header_modifier : f.response_header_modifier, e);
      if (e) return fail(*e);
      if (!h) continue;
      if (!vs.headers) vs.headers = model::Headers{};
      (request ? vs.headers->request : vs.headers->response) = h;
    } else if (f.type == "RequestMirror") {
      if (!f.request_mirror) continue;
      auto mirror = create_mirror(ctx, *f.request_mirror, obj.meta.namespace_, enforce_ref_grant, kind, e);
      if (e) return fail(*e);  // unlike HTTPRoute, a bad mirror rejects the rule
      vs.mirrors.push_back(std::move(mirror));
    } else {
      return fail(ConfigError{"InvalidFilter", "unsupported filter type \"" + f.type + "\""});
    }
  }
  if (weight_sum(rule.backend_refs) == 0) {
    vs.direct_response = model::HTTPDirectResponse{500, std::nullopt};
    out.route = std::move(vs);
    return out;
  }
  std::optional<ConfigError> backend_error, hard_error;
  vs.route = http_destinations(ctx, rule.backend_refs, obj.meta.namespace_, enforce_ref_grant, kind, backend_error,
                               hard_error);
  if (hard_error) return fail(*hard_error);
  out.route = std::move(vs);
  out.error = backend_error;
  return out;
}

// createMirrorFilter.
model::HTTPMirrorPolicy create_mirror(const Context& ctx, const gwapi::HTTPRequestMirrorFilter& f,
                                      const std::string& ns, bool enforce_ref_grant, const GroupKind& route_kind,
                                      std::optional<ConfigError>& error) {
  model::HTTPMirrorPolicy p;
  p.destination = build_destination(ctx, f.backend_ref, ns, enforce_ref_grant, route_kind, error);
  if (f.fraction) {
    p.percentage = model::Percent{100.0 * f.fraction->numerator / f.fraction->denominator.value_or(100)};
  } else if (f.percent) {
    p.percentage = model::Percent{static_cast<double>(*f.percent)};
  }
  return p;
}

namespace {

// convertTCPRoute / convertTLSRoute with no >0 weight backend: connections go to a destination
// that does not exist ("the spec requires us to reject connections").
std::vector<model::RouteDestination> l4_destinations(const Context& ctx, const gwapi::L4RouteRule& rule,
                                                     const std::string& ns, bool enforce_ref_grant,
                                                     const GroupKind& kind, std::optional<ConfigError>& backend_error,
                                                     std::optional<ConfigError>& hard_error) {
  if (weight_sum(rule.backend_refs) == 0) {
    return {model::RouteDestination{
        model::Destination{"internal.cluster.local", "zero-weight", model::PortSelector{65535}}, std::nullopt}};
  }
  std::vector<model::RouteDestination> out;
  for (const auto& [ref, w] : weighted(rule.backend_refs)) {
    std::optional<ConfigError> error;
    model::RouteDestination d;
    d.destination = build_destination(ctx, ref->ref, ns, enforce_ref_grant, kind, error);
    if (error) {
      if (!is_invalid_backend(*error)) {
        hard_error = error;
        return {};
      }
      backend_error = error;
    }
    if (w != 0) d.weight = w;
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace

RuleResult<model::TCPRoute> convert_tcp_rule(const Context& ctx, const gwapi::L4RouteRule& rule,
                                             const gwapi::TCPRoute& obj, bool enforce_ref_grant) {
  RuleResult<model::TCPRoute> out;
  std::optional<ConfigError> backend_error, hard_error;
  model::TCPRoute r;
  r.source = obj.meta.source;
  r.route = l4_destinations(ctx, rule, obj.meta.namespace_, enforce_ref_grant, GroupKind{kGatewayGroup, "TCPRoute"},
                            backend_error, hard_error);
  if (hard_error) {
    out.error = hard_error;
    return out;
  }
  out.route = std::move(r);
  out.error = backend_error;
  return out;
}

RuleResult<model::TLSRoute> convert_tls_rule(const Context& ctx, const gwapi::L4RouteRule& rule,
                                             const gwapi::TLSRoute& obj, bool enforce_ref_grant) {
  RuleResult<model::TLSRoute> out;
  std::optional<ConfigError> backend_error, hard_error;
  model::TLSRoute r;
  r.source = obj.meta.source;
  const bool zero = weight_sum(rule.backend_refs) == 0;
  r.route = l4_destinations(ctx, rule, obj.meta.namespace_, enforce_ref_grant, GroupKind{kGatewayGroup, "TLSRoute"},
                            backend_error, hard_error);
  if (hard_error) {
    out.error = hard_error;
    return out;
  }
  if (!zero) {  // buildTLSMatch: the route's hostnames as SNI hosts, "*" when none
    model::TLSMatchAttributes m;
    m.sni_hosts = obj.hostnames.empty() ? std::vector<std::string>{"*"} : obj.hostnames;
    r.match.push_back(std::move(m));
  }
  out.route = std::move(r);
  out.error = backend_error;
  return out;
}

// sortHTTPRoutes: Gateway API precedence (exact > prefix > regex, longer first, then method,
// header and query matches); rules without a match last. Stable.
void sort_http_routes(std::vector<model::HTTPRoute>& routes) {
  std::stable_sort(routes.begin(), routes.end(), [](const model::HTTPRoute& a, const model::HTTPRoute& b) {
    if (!has_match(a)) return false;
    if (!has_match(b)) return true;
    const auto& m1 = a.match[0];
    const auto& m2 = b.match[0];
    const int r1 = uri_rank(m1), r2 = uri_rank(m2);
    const int l1 = uri_length(m1), l2 = uri_length(m2);
    if (r1 != r2) return r1 > r2;
    if (l1 != l2) return l1 > l2;
    if (m1.method.has_value() != m2.method.has_value()) return m1.method.has_value();
    if (m1.headers.size() != m2.headers.size()) return m1.headers.size() > m2.headers.size();
    return m1.query_params.size() > m2.query_params.size();
  });
}

// ---- binding routes to parents ------------------------------------------------------------

namespace {

// referenceAllowed (Gateway parents): section, port, hostnames and route kind must agree.
std::optional<ParentError> reference_allowed(const ParentInfo& parent, const GroupKind& route_kind,
                                             const gwapi::ParentReference& ref, std::vector<std::string> hostnames,
                                             const std::string& local_namespace) {
  if (ref.port && *ref.port != 0 && *ref.port != parent.port) {
    return ParentError{"NoMatchingParent", "port " + std::to_string(*ref.port) + " not found"};
  }
  if (ref.section_name && !ref.section_name->empty() && *ref.section_name != parent.section_name) {
    return ParentError{"NoMatchingParent", "sectionName \"" + *ref.section_name + "\" not found"};
  }
  if (hostnames.empty()) hostnames = {"*"};
  if (!parent.hostnames.empty()) {
    bool matched = false, host_matched = false;
    for (const auto& route_host : hostnames) {
      for (const auto& parent_host_ns : parent.hostnames) {
        std::string parent_ns = "*", parent_host = parent_host_ns;
        if (auto slash = parent_host_ns.find('/'); slash != std::string::npos) {
          parent_ns = parent_host_ns.substr(0, slash);
          parent_host = parent_host_ns.substr(slash + 1);
        }
        const bool host_match = host::matches(parent_host, route_host);
        const bool ns_match = parent_ns == "*" || parent_ns == local_namespace;
        host_matched = host_matched || host_match;
        if (host_match && ns_match) {
          matched = true;
          break;
        }
      }
      if (matched) break;
    }
    if (!matched) {
      if (host_matched) {
        return ParentError{"NotAllowedByListeners", "hostnames matched parent hostname \"" + parent.original_hostname +
                                                        "\", but namespace \"" + local_namespace +
                                                        "\" is not allowed by the parent"};
      }
      return ParentError{"NoMatchingListenerHostname",
                         "no hostnames matched parent hostname \"" + parent.original_hostname + "\""};
    }
  }
  for (const auto& ak : parent.allowed_kinds) {
    if (ak.kind == route_kind.kind && ak.group.value_or(kGatewayGroup) == route_kind.group) return std::nullopt;
  }
  return ParentError{"NotAllowedByListeners", "kind " + route_kind.to_string() + " is not allowed"};
}

}  // namespace

// parentRefString.
std::string parent_ref_string(const gwapi::ParentReference& ref, const std::string& object_namespace) {
  return ref.group.value_or(kGatewayGroup) + "/" + ref.kind.value_or("Gateway") + "/" + ref.name + "/" +
         ref.section_name.value_or("") + "/" + std::to_string(ref.port.value_or(0)) + "." +
         ref.namespace_.value_or(object_namespace);
}

// extractParentReferenceInfo: every listener each parentRef may mean, with why it may not bind.
// Service and ServiceEntry parents (the mesh) are not simulated: gwsim is an ingress gateway.
std::vector<RouteParentReference> extract_parent_references(const Context& ctx, const gwapi::RouteCommon& route,
                                                            const GroupKind& route_kind,
                                                            std::vector<std::string>* warnings) {
  std::vector<RouteParentReference> out;
  const std::string& local = route.meta.namespace_;
  for (size_t index = 0; index < route.parent_refs.size(); ++index) {
    const auto& ref = route.parent_refs[index];
    const GroupKind kind = normalize_reference(ref.group, ref.kind, GroupKind{kGatewayGroup, "Gateway"});
    if (warnings && (kind == GroupKind{"", "Service"} || kind == GroupKind{"networking.istio.io", "ServiceEntry"} ||
                     kind == GroupKind{kGatewayGroup, "ListenerSet"})) {
      warnings->push_back(route_kind.kind + " " + local + "/" + route.meta.name + ": spec.parentRefs[" +
                          std::to_string(index) + "] (" + kind.kind + " " + ref.name + ") is not simulated: " +
                          (kind.kind == "ListenerSet"
                               ? "ListenerSets are not read"
                               : "mesh routing (Service and ServiceEntry parents) is not simulated, "
                                 "gwsim is an ingress gateway") +
                          "; no status is written for it");
    }
    if (kind != GroupKind{kGatewayGroup, "Gateway"}) continue;  // maybe another controller's
    const ParentKey key{kind, ref.name, ref.namespace_.value_or(local)};
    if (ctx.record) ctx.record->parents.insert(key);
    auto it = ctx.parents.find(key);
    if (it == ctx.parents.end()) continue;
    const auto& current = it->second;
    for (const auto& parent : current) {
      std::set<std::string> banned;
      for (const auto& other : current) {
        if (&other == &parent || other.port != parent.port || other.protocol != parent.protocol) continue;
        banned.insert(other.original_hostname);
      }
      banned.erase(parent.original_hostname);
      RouteParentReference rp;
      rp.internal_name = parent.internal_name;
      rp.internal_kind = kind;
      rp.hostname = parent.original_hostname;
      rp.denied_reason = reference_allowed(parent, route_kind, ref, route.hostnames, local);
      rp.original_reference = ref;
      rp.banned_hostnames = std::move(banned);
      rp.parent_key = key;
      rp.parent_section = parent.section_name;
      rp.ref_index = index;
      out.push_back(std::move(rp));
    }
  }
  std::stable_sort(out.begin(), out.end(), [&](const RouteParentReference& a, const RouteParentReference& b) {
    return parent_ref_string(a.original_reference, local) < parent_ref_string(b.original_reference, local);
  });
  return out;
}

// filteredReferences: the bindings that were allowed, by internal name.
std::vector<RouteParentReference> filtered_references(const std::vector<RouteParentReference>& parents) {
  std::vector<RouteParentReference> out;
  for (const auto& p : parents) {
    if (!p.denied_reason) out.push_back(p);
  }
  std::stable_sort(out.begin(), out.end(), [](const RouteParentReference& a, const RouteParentReference& b) {
    return a.internal_name < b.internal_name;
  });
  return out;
}

// routeParentReference.hostnameAllowedByIsolation: a route host on a wildcard listener is left
// to a more specific listener of the same port and protocol that covers it.
bool hostname_allowed_by_isolation(const RouteParentReference& parent, const std::string& route_host) {
  const std::string& ours = parent.hostname;
  if (!ours.empty() && !host::is_wildcard(ours)) return true;
  if (!ours.empty() && !host::matches(route_host, ours)) return false;
  for (const auto& check : parent.banned_hostnames) {
    if (ours.size() > check.size()) continue;
    if (host::subset_of(route_host, check)) return false;
  }
  return true;
}

}  // namespace gwsim::kube_gateway::detail
