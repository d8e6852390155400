// Paraphrases Istio's pilot/pkg/networking/core/route/route.go; see route_translation.h.
#include "engine/route/route_translation.h"

#include <algorithm>

#include <re2/re2.h>

#include "engine/model/labels.h"
#include "engine/route/cluster.h"
#include "engine/route/detail_config.h"
#include "engine/route/internal_annotations.h"
#include "engine/route/retry_policy.h"

namespace gwsim::route {

namespace {

std::shared_ptr<const re2::RE2> compile_regex(const std::string& pattern) {
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_shared<const re2::RE2>(pattern, options);
  return re->ok() ? re : nullptr;
}

StringMatcher to_matcher(const model::StringMatch& m) {
  StringMatcher out;
  switch (m.kind) {
    case model::StringMatch::Kind::kNone: out.kind = StringMatcher::Kind::kPresent; break;
    case model::StringMatch::Kind::kExact: out.kind = StringMatcher::Kind::kExact; break;
    case model::StringMatch::Kind::kPrefix: out.kind = StringMatcher::Kind::kPrefix; break;
    case model::StringMatch::Kind::kRegex:
      // route.go canBeConvertedToPresentMatch: regex "*" means "present".
      if (m.value == "*") {
        out.kind = StringMatcher::Kind::kPresent;
      } else {
        out.kind = StringMatcher::Kind::kRegex;
        out.regex = compile_regex(m.value);
      }
      break;
  }
  out.value = m.value;
  return out;
}

// route.go isInternalHeader: pseudo headers and Host cannot be changed as headers.
bool is_internal_header(const std::string& name) { return name.rfind(':', 0) == 0 || text::to_lower(name) == "host"; }
bool is_authority_header(const std::string& name) {
  return text::to_lower(name) == ":authority" || text::to_lower(name) == "host";
}

void append_ops(HeaderOps& to, const HeaderOps& from) {
  to.set.insert(to.set.end(), from.set.begin(), from.set.end());
  to.add.insert(to.add.end(), from.add.begin(), from.add.end());
  to.remove.insert(to.remove.end(), from.remove.begin(), from.remove.end());
}

// Go's regexp.QuoteMeta, which route.go uses: a backslash before each of \.+*?()|[]{}^$ (RE2
// reads the result the same way).
std::string quote_meta(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (std::string_view("\\.+*?()|[]{}^$").find(c) != std::string_view::npos) out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

// The match's PathSeparatedPrefix ("" for any other path match), as route.go reads
// out.Match.GetPathSeparatedPrefix().
std::string separated_prefix(const RouteMatch& m) {
  return m.path.kind == PathMatcher::Kind::kPathSeparatedPrefix ? m.path.value : std::string();
}

bool source_matches(const RouteTranslationScope& scope, const model::HTTPMatchRequest* m, const std::string& gateway) {
  if (!m) return true;
  if (!m->gateways.empty()) {
    return std::find(m->gateways.begin(), m->gateways.end(), gateway) != m->gateways.end();
  }
  if (model::selects(m->source_labels, scope.proxy.labels)) {
    return m->source_namespace.empty() || m->source_namespace == scope.proxy.namespace_;
  }
  return false;
}

// route.go ApplyRedirect.
void apply_redirect(Route& out, const model::HTTPRedirect& r, std::uint32_t port, bool is_tls) {
  out.action_kind = Route::ActionKind::kRedirect;
  RedirectAction& a = out.redirect;
  a.host = r.authority;
  if (!r.prefix_rewrite.empty()) {
    a.has_prefix_rewrite = true;
    a.prefix_rewrite = r.prefix_rewrite;
  } else {
    a.path = r.uri;
  }
  a.scheme = r.scheme;
  if (r.port || !r.derive_port.empty()) {
    if (r.derive_port == "FROM_REQUEST_PORT") a.port = port;
    if (r.port) a.port = *r.port;
    std::string scheme = r.scheme.empty() ? (is_tls ? "https" : "http") : r.scheme;
    if ((a.port == 80 && scheme == "http") || (a.port == 443 && scheme == "https")) a.port = 0;
  }
  switch (r.redirect_code) {
    case 0: case 301: a.code = 301; break;
    case 302: case 303: case 307: case 308: a.code = r.redirect_code; break;
    default:
      // Unsupported codes leave the route without an action.
      out.action_kind = Route::ActionKind::kUnsupported;
      out.unsupported_reason = "redirect code " + std::to_string(r.redirect_code) +
                               " is not supported by Istio (the route has no action)";
  }
}

// route.go TranslateRoute's route action: rewrites, destinations (weighted when several),
// their header operations, retries and mirrors.
void apply_destinations(const RouteTranslationScope& scope, Route& out, const model::VirtualService& vs,
                        const model::HTTPRoute& in, std::uint32_t port, std::string authority, PortLookups& lookups) {
  out.action_kind = Route::ActionKind::kRoute;
  RouteAction& a = out.route;
  a.timeout = in.timeout;
  const bool gateway_semantics = route_semantics(vs) == RouteSemantics::kGateway;
  // route.go applyHTTPRouteDestination: Gateway API routes answer 500 for invalid backends
  // (cluster_not_found_response_code INTERNAL_SERVER_ERROR).
  if (gateway_semantics) a.cluster_not_found_status = 500;
  if (in.rewrite) {
    if (in.rewrite->uri_regex_rewrite) {
      a.regex_rewrite = in.rewrite->uri_regex_rewrite;
      a.regex_rewrite_pattern = compile_regex(in.rewrite->uri_regex_rewrite->match);
    } else if (gateway_semantics && in.rewrite->uri == "/") {
      // route.go applyHTTPRouteDestination: a Gateway API ReplacePrefixMatch of "/" removes the
      // matched path-separated prefix, keeping one "/" when nothing is left.
      a.regex_rewrite = model::RegexRewrite{"^" + quote_meta(separated_prefix(out.match)) + "(/?)(.*)", "/\\2"};
      a.regex_rewrite_pattern = compile_regex(a.regex_rewrite->match);
    } else if (!in.rewrite->uri.empty()) {
      a.prefix_rewrite = in.rewrite->uri;
    }
    if (!in.rewrite->authority.empty()) authority = in.rewrite->authority;
  }
  if (!authority.empty()) a.host_rewrite = authority;
  if (in.route.size() == 1) {
    WeightedCluster wc = destination_cluster(scope, in.route.front().destination, vs.meta.namespace_, port, lookups);
    if (in.route.front().headers) {
      std::string dest_authority;
      append_ops(out.request_headers, translate_headers_operations(in.route.front().headers->request, &dest_authority));
      // The route's own authority wins; the destination's applies only without one.
      if (!dest_authority.empty() && !a.host_rewrite) a.host_rewrite = dest_authority;
      append_ops(out.response_headers, translate_headers_operations(in.route.front().headers->response));
    }
    a.clusters.push_back(std::move(wc));
  } else {
    for (const auto& d : in.route) {
      if (d.weight.value_or(0) == 0) continue;  // zero weights are dropped
      WeightedCluster wc = destination_cluster(scope, d.destination, vs.meta.namespace_, port, lookups);
      wc.weight = static_cast<std::uint32_t>(*d.weight);
      if (d.headers) {
        std::string dest_authority;
        wc.request_headers = translate_headers_operations(d.headers->request, &dest_authority);
        wc.host_rewrite = dest_authority;
        wc.response_headers = translate_headers_operations(d.headers->response);
      }
      a.clusters.push_back(std::move(wc));
    }
  }
  for (const auto& c : a.clusters) a.total_weight += c.weight;
  if (a.clusters.size() == 1) a.total_weight = a.clusters.front().weight = 100;
  a.retry = convert_retry_policy(in.retries);
  auto add_mirror = [&](const model::Destination& d, double percent) {
    a.mirrors.push_back(Mirror{destination_cluster(scope, d, vs.meta.namespace_, port, lookups).cluster, percent});
  };
  if (in.mirror) add_mirror(*in.mirror, in.mirror_percentage ? in.mirror_percentage->value : 100);
  for (const auto& m : in.mirrors) add_mirror(m.destination, m.percentage ? m.percentage->value : 100);
}

}  // namespace

std::uint32_t implied_port(const RouteTranslationScope& scope, const std::string& host, const std::string& vs_namespace) {
  const model::Service* svc = service_for(scope.services, host, vs_namespace, scope.proxy.namespace_);
  return svc && svc->ports.size() == 1 ? static_cast<std::uint32_t>(svc->ports.front().port) : 0;
}

bool port_lookups_hold(const RouteTranslationScope& scope, const PortLookups& lookups) {
  return std::all_of(lookups.begin(), lookups.end(), [&scope](const PortLookup& l) {
    return implied_port(scope, l.host, l.namespace_) == l.port;
  });
}

WeightedCluster destination_cluster(const RouteTranslationScope& scope, const model::Destination& d,
                                    const std::string& vs_namespace, std::uint32_t listener_port, PortLookups& lookups) {
  WeightedCluster wc;
  wc.host = d.host;
  std::uint32_t port = listener_port;
  if (d.port) {
    port = d.port->number;
  } else {
    const std::uint32_t implied = implied_port(scope, d.host, vs_namespace);
    lookups.push_back(PortLookup{d.host, vs_namespace, implied});
    if (implied) port = implied;
  }
  wc.port = port;
  wc.subset = d.subset;
  wc.cluster = subset_key(port, d.subset, d.host);
  return wc;
}

RouteSemantics route_semantics(const model::VirtualService& vs) {
  if (uses_gateway_semantics(vs.meta)) return RouteSemantics::kGateway;
  if (uses_ingress_semantics(vs.meta)) return RouteSemantics::kIngress;
  return RouteSemantics::kVirtualService;
}

namespace {

// pkg/jwt/routing.go ToRoutingClaim: "@request.auth.claims.a.b" or "@request.auth.claims[a][b]"
// (the prefix in any case); nullopt for any other header name.
std::optional<std::vector<std::string>> routing_claim(const std::string& name) {
  static constexpr std::string_view kPrefix = "@request.auth.claims";
  if (name.size() < kPrefix.size() || text::to_lower(name.substr(0, kPrefix.size())) != kPrefix) return std::nullopt;
  const std::string rest = name.substr(kPrefix.size());
  auto split = [](const std::string& s, const std::string& sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (;;) {
      const std::size_t at = s.find(sep, start);
      out.push_back(s.substr(start, at == std::string::npos ? std::string::npos : at - start));
      if (at == std::string::npos) break;
      start = at + sep.size();
    }
    return out;
  };
  if (rest.size() > 1 && rest[0] == '.') return split(rest.substr(1), ".");
  if (rest.size() > 2 && rest.front() == '[' && rest.back() == ']') return split(rest.substr(1, rest.size() - 2), "][");
  return std::nullopt;
}

}  // namespace

RouteMatch translate_route_match(const model::HTTPMatchRequest* in, RouteSemantics semantics) {
  RouteMatch out;
  if (!in) return out;
  for (const auto& [name, m] : in->headers) {
    // TranslateRouteMatch: the metadata matcher takes precedence over the header matcher.
    if (auto claim = routing_claim(name)) {
      out.claims.push_back(ClaimMatcher{std::move(*claim), to_matcher(m), false});
      continue;
    }
    out.headers.push_back(HeaderMatcher{text::to_lower(name), to_matcher(m), false});
  }
  for (const auto& [name, m] : in->without_headers) {
    if (auto claim = routing_claim(name)) {
      out.claims.push_back(ClaimMatcher{std::move(*claim), to_matcher(m), true});
      continue;
    }
    out.headers.push_back(HeaderMatcher{text::to_lower(name), to_matcher(m), true});
  }
  std::stable_sort(out.headers.begin(), out.headers.end(),
                   [](const HeaderMatcher& a, const HeaderMatcher& b) { return a.name < b.name; });
  if (in->uri) {
    switch (in->uri->kind) {
      case model::StringMatch::Kind::kExact:
        out.path.kind = PathMatcher::Kind::kExact;
        out.path.value = in->uri->value;
        break;
      case model::StringMatch::Kind::kPrefix:
        out.path.kind = PathMatcher::Kind::kPrefix;
        out.path.value = in->uri->value;
        // route.go TranslateRouteMatch: Gateway API and Ingress prefixes match whole path
        // segments (PathSeparatedPrefix, the trailing "/" trimmed); "/" stays a plain prefix.
        if (semantics != RouteSemantics::kVirtualService && in->uri->value != "/") {
          out.path.kind = PathMatcher::Kind::kPathSeparatedPrefix;
          if (out.path.value.ends_with('/')) out.path.value.pop_back();
        }
        break;
      case model::StringMatch::Kind::kRegex:
        out.path.kind = PathMatcher::Kind::kRegex;
        out.path.value = in->uri->value;
        out.path.regex = compile_regex(in->uri->value);
        break;
      case model::StringMatch::Kind::kNone: break;
    }
  }
  out.path.case_sensitive = !in->ignore_uri_case;
  if (out.path.kind == PathMatcher::Kind::kRegex && !out.path.case_sensitive && out.path.regex) {
    RE2::Options options;
    options.set_log_errors(false);
    options.set_case_sensitive(false);
    out.path.regex = std::make_shared<const re2::RE2>(out.path.value, options);
  }
  if (in->method) out.headers.push_back(HeaderMatcher{":method", to_matcher(*in->method), false});
  if (in->authority) out.headers.push_back(HeaderMatcher{":authority", to_matcher(*in->authority), false});
  if (in->scheme) out.headers.push_back(HeaderMatcher{":scheme", to_matcher(*in->scheme), false});
  for (const auto& [name, m] : in->query_params) {
    out.query_parameters.push_back(QueryParameterMatcher{name, to_matcher(m)});
  }
  return out;
}

HeaderOps translate_headers_operations(const std::optional<model::HeaderOperations>& ops, std::string* authority) {
  HeaderOps out;
  if (!ops) return out;
  std::string set_authority, add_authority;
  for (const auto& [k, v] : ops->set) {
    if (is_authority_header(k)) set_authority = v;
    if (!is_internal_header(k)) out.set.emplace_back(text::to_lower(k), v);
  }
  for (const auto& [k, v] : ops->add) {
    if (is_authority_header(k)) add_authority = v;
    if (!is_internal_header(k)) out.add.emplace_back(text::to_lower(k), v);
  }
  for (const auto& k : ops->remove) {
    if (!is_internal_header(k)) out.remove.push_back(text::to_lower(k));
  }
  if (authority) *authority = set_authority.empty() ? add_authority : set_authority;
  return out;
}

std::shared_ptr<Route> translate_route(const RouteTranslationScope& scope, const model::VirtualService& vs,
                                       int http_index, const model::HTTPRoute& in, const model::HTTPMatchRequest* match,
                                       int match_index, std::uint32_t port, const std::string& gateway, bool is_tls,
                                       PortLookups& lookups) {
  if (match && match->port != 0 && match->port != port) return nullptr;
  if (!source_matches(scope, match, gateway)) return nullptr;
  auto out = std::make_shared<Route>();
  out->name = in.name;
  if (match && !match->name.empty()) out->name += "." + match->name;
  out->match = translate_route_match(match, route_semantics(vs));
  out->virtual_service = vs.meta.namespace_ + "/" + vs.meta.name;
  out->parents = annotation(vs.meta, kParentsAnnotation);
  out->gateway = gateway;
  out->http_index = http_index;
  out->match_index = match_index;
  out->source = in.source;
  std::string route_authority;
  if (in.headers) {
    out->request_headers = translate_headers_operations(in.headers->request, &route_authority);
    out->response_headers = translate_headers_operations(in.headers->response);
  }
  if (in.redirect) {
    apply_redirect(*out, *in.redirect, port, is_tls);
  } else if (in.direct_response) {
    out->action_kind = Route::ActionKind::kDirectResponse;
    out->direct_response.status = in.direct_response->status;
    out->direct_response.body = in.direct_response->body.value_or("");
  } else {
    apply_destinations(scope, *out, vs, in, port, route_authority, lookups);
  }
  // route.go TranslateFault.
  if (in.fault) {
    FaultPolicy f;
    if (in.fault->abort) {
      f.abort_status = in.fault->abort->http_status ? std::optional<std::uint32_t>(*in.fault->abort->http_status)
                                                    : std::nullopt;
      f.abort_percent = in.fault->abort->percentage ? in.fault->abort->percentage->value : 0;  // unset: Envoy's 0%
    }
    if (in.fault->delay) {
      f.delay = in.fault->delay->fixed_delay;
      f.delay_percent = in.fault->delay->percentage ? in.fault->delay->percentage->value
                        : in.fault->delay->percent  ? *in.fault->delay->percent
                                                    : 0;
    }
    out->fault = f;
  }
  // route.go TranslateCORSPolicy.
  if (in.cors_policy) {
    CorsConfig c;
    c.policy = *in.cors_policy;
    for (const auto& o : in.cors_policy->allow_origins) c.origins.push_back(to_matcher(o));
    out->cors = std::move(c);
  }
  return out;
}

RouteList build_http_routes_for_virtual_service(const RouteTranslationScope& scope, const model::VirtualService& vs,
                                                std::uint32_t port, bool is_tls, const std::string& gateway,
                                                PortLookups& lookups) {
  RouteList out;
  bool catch_all = false;
  for (std::size_t i = 0; i < vs.http.size() && !catch_all; ++i) {
    const auto& http = vs.http[i];
    if (http.match.empty()) {
      if (auto r = translate_route(scope, vs, static_cast<int>(i), http, nullptr, -1, port, gateway, is_tls, lookups)) {
        out.push_back(r);
      }
      catch_all = true;
      continue;
    }
    for (std::size_t m = 0; m < http.match.size(); ++m) {
      auto r = translate_route(scope, vs, static_cast<int>(i), http, &http.match[m], static_cast<int>(m), port, gateway,
                               is_tls, lookups);
      if (!r) continue;
      out.push_back(r);
      if (r->match.is_catch_all()) {
        catch_all = true;
        break;
      }
    }
  }
  return out;
}

}  // namespace gwsim::route
