#include "engine/model/gateway_api.h"

#include <limits>

namespace gwsim::model::gateway_api {

namespace {

// Reads the fields Istio's controller uses. The Gateway API CRDs' OpenAPI schema refuses a
// wrong type at admission; objects given to gwsim directly are checked here: a field of the
// wrong type, or a required field missing, is a problem naming its path.
class Reader {
 public:
  explicit Reader(std::vector<ReadProblem>& problems) : problems_(problems) {}

  void problem(const std::string& pointer, std::string message) {
    problems_.push_back({pointer, path_of(pointer) + ": " + std::move(message)});
  }

  const Json* field(const Json& o, const std::string& pointer, const char* key) {
    if (!o.is_object()) return nullptr;
    auto it = o.find(key);
    if (it == o.end() || it->is_null()) return nullptr;
    return &*it;
  }

  std::optional<std::string> opt_string(const Json& o, const std::string& at, const char* key) {
    const Json* v = field(o, at, key);
    if (!v) return std::nullopt;
    if (!v->is_string()) {
      problem(at + "/" + key, "expected a string, got " + v->dump());
      return std::nullopt;
    }
    return v->get<std::string>();
  }

  std::string string(const Json& o, const std::string& at, const char* key, bool required = false) {
    auto v = opt_string(o, at, key);
    if (!v && required && !field(o, at, key)) problem(at + "/" + key, "required field is missing");
    return v.value_or("");
  }

  std::optional<std::int32_t> opt_int(const Json& o, const std::string& at, const char* key) {
    const Json* v = field(o, at, key);
    if (!v) return std::nullopt;
    if (!v->is_number_integer() || v->get<std::int64_t>() < std::numeric_limits<std::int32_t>::min() ||
        v->get<std::int64_t>() > std::numeric_limits<std::int32_t>::max()) {
      problem(at + "/" + key, "expected a 32-bit integer, got " + v->dump());
      return std::nullopt;
    }
    return static_cast<std::int32_t>(v->get<std::int64_t>());
  }

  std::optional<bool> opt_bool(const Json& o, const std::string& at, const char* key) {
    const Json* v = field(o, at, key);
    if (!v) return std::nullopt;
    if (!v->is_boolean()) {
      problem(at + "/" + key, "expected true or false, got " + v->dump());
      return std::nullopt;
    }
    return v->get<bool>();
  }

  // An array field: each element with its pointer; absent reads as empty.
  template <typename F>
  void each(const Json& o, const std::string& at, const char* key, F&& f) {
    const Json* v = field(o, at, key);
    if (!v) return;
    if (!v->is_array()) {
      problem(at + "/" + key, "expected a list, got " + v->dump());
      return;
    }
    for (size_t i = 0; i < v->size(); ++i) f((*v)[i], at + "/" + key + "/" + std::to_string(i));
  }

  std::vector<std::string> strings(const Json& o, const std::string& at, const char* key) {
    std::vector<std::string> out;
    each(o, at, key, [&](const Json& item, const std::string& p) {
      if (item.is_string())
        out.push_back(item.get<std::string>());
      else
        problem(p, "expected a string, got " + item.dump());
    });
    return out;
  }

  // An object field; nullptr when absent (or wrong, then reported).
  const Json* object(const Json& o, const std::string& at, const char* key) {
    const Json* v = field(o, at, key);
    if (!v) return nullptr;
    if (!v->is_object()) {
      problem(at + "/" + key, "expected an object, got " + v->dump());
      return nullptr;
    }
    return v;
  }

 private:
  // "/spec/rules/0/matches" -> "spec.rules[0].matches"
  static std::string path_of(const std::string& pointer) {
    std::string out;
    size_t start = 1;
    while (start <= pointer.size()) {
      size_t slash = pointer.find('/', start);
      std::string part = pointer.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
      if (!part.empty() && part.find_first_not_of("0123456789") == std::string::npos)
        out += "[" + part + "]";
      else
        out += (out.empty() ? "" : ".") + part;
      if (slash == std::string::npos) break;
      start = slash + 1;
    }
    return out;
  }

  std::vector<ReadProblem>& problems_;
};

BackendObjectReference read_backend_object(Reader& r, const Json& j, const std::string& at) {
  BackendObjectReference ref;
  ref.group = r.opt_string(j, at, "group");
  ref.kind = r.opt_string(j, at, "kind");
  ref.name = r.string(j, at, "name", true);
  ref.namespace_ = r.opt_string(j, at, "namespace");
  ref.port = r.opt_int(j, at, "port");
  return ref;
}

HTTPHeaderFilter read_header_filter(Reader& r, const Json& j, const std::string& at) {
  HTTPHeaderFilter f;
  auto headers = [&](const char* key, std::vector<HTTPHeader>& out) {
    r.each(j, at, key, [&](const Json& h, const std::string& p) {
      out.push_back({r.string(h, p, "name", true), r.string(h, p, "value")});
    });
  };
  headers("set", f.set);
  headers("add", f.add);
  f.remove = r.strings(j, at, "remove");
  return f;
}

std::optional<HTTPPathModifier> read_path_modifier(Reader& r, const Json& j, const std::string& at) {
  const Json* v = r.object(j, at, "path");
  if (!v) return std::nullopt;
  const std::string p = at + "/path";
  HTTPPathModifier m;
  m.type = r.string(*v, p, "type", true);
  m.replace_full_path = r.opt_string(*v, p, "replaceFullPath");
  m.replace_prefix_match = r.opt_string(*v, p, "replacePrefixMatch");
  return m;
}

RouteFilter read_filter(Reader& r, const Json& j, const std::string& at) {
  RouteFilter f;
  f.type = r.string(j, at, "type", true);
  if (const Json* v = r.object(j, at, "requestHeaderModifier"))
    f.request_header_modifier = read_header_filter(r, *v, at + "/requestHeaderModifier");
  if (const Json* v = r.object(j, at, "responseHeaderModifier"))
    f.response_header_modifier = read_header_filter(r, *v, at + "/responseHeaderModifier");
  if (const Json* v = r.object(j, at, "requestRedirect")) {
    const std::string p = at + "/requestRedirect";
    HTTPRequestRedirectFilter redirect;
    redirect.scheme = r.opt_string(*v, p, "scheme");
    redirect.hostname = r.opt_string(*v, p, "hostname");
    redirect.path = read_path_modifier(r, *v, p);
    redirect.port = r.opt_int(*v, p, "port");
    // The CRD defaults statusCode to 302 (apis/v1/httproute_types.go HTTPRequestRedirectFilter,
    // +kubebuilder:default=302); the API server stores it so, and Istio's createRedirectFilter
    // copies it (without it Istio would answer 301).
    redirect.status_code = r.opt_int(*v, p, "statusCode").value_or(302);
    f.request_redirect = redirect;
  }
  if (const Json* v = r.object(j, at, "urlRewrite")) {
    const std::string p = at + "/urlRewrite";
    f.url_rewrite = HTTPURLRewriteFilter{r.opt_string(*v, p, "hostname"), read_path_modifier(r, *v, p)};
  }
  if (const Json* v = r.object(j, at, "requestMirror")) {
    const std::string p = at + "/requestMirror";
    HTTPRequestMirrorFilter mirror;
    if (const Json* b = r.object(*v, p, "backendRef"))
      mirror.backend_ref = read_backend_object(r, *b, p + "/backendRef");
    else
      r.problem(p + "/backendRef", "required field is missing");
    mirror.percent = r.opt_int(*v, p, "percent");
    if (const Json* fr = r.object(*v, p, "fraction")) {
      mirror.fraction = Fraction{r.opt_int(*fr, p + "/fraction", "numerator").value_or(0),
                                 r.opt_int(*fr, p + "/fraction", "denominator")};
    }
    f.request_mirror = mirror;
  }
  if (const Json* v = r.object(j, at, "cors")) {
    const std::string p = at + "/cors";
    HTTPCORSFilter cors;
    cors.allow_origins = r.strings(*v, p, "allowOrigins");
    cors.allow_credentials = r.opt_bool(*v, p, "allowCredentials");
    cors.allow_methods = r.strings(*v, p, "allowMethods");
    cors.allow_headers = r.strings(*v, p, "allowHeaders");
    cors.expose_headers = r.strings(*v, p, "exposeHeaders");
    cors.max_age = r.opt_int(*v, p, "maxAge").value_or(0);
    f.cors = cors;
  }
  return f;
}

std::vector<BackendRef> read_backend_refs(Reader& r, const Json& j, const std::string& at) {
  std::vector<BackendRef> out;
  r.each(j, at, "backendRefs", [&](const Json& b, const std::string& p) {
    BackendRef ref;
    ref.ref = read_backend_object(r, b, p);
    ref.weight = r.opt_int(b, p, "weight");
    r.each(b, p, "filters",
           [&](const Json& f, const std::string& fp) { ref.filters.push_back(read_filter(r, f, fp)); });
    out.push_back(std::move(ref));
  });
  return out;
}

std::vector<StringMatchSpec> read_string_matches(Reader& r, const Json& j, const std::string& at, const char* key) {
  std::vector<StringMatchSpec> out;
  r.each(j, at, key, [&](const Json& m, const std::string& p) {
    out.push_back({r.opt_string(m, p, "type"), r.string(m, p, "name", true), r.string(m, p, "value")});
  });
  return out;
}

const Json& spec_of(const Object& object) {
  static const Json empty = Json::object();
  auto it = object.doc.find("spec");
  return it != object.doc.end() && it->is_object() ? *it : empty;
}

std::int64_t generation_of(const Object& object) {
  auto m = object.doc.find("metadata");
  if (m == object.doc.end() || !m->is_object()) return 0;
  auto g = m->find("generation");
  return g != m->end() && g->is_number_integer() ? g->get<std::int64_t>() : 0;
}

Json status_of(const Object& object) {
  auto it = object.doc.find("status");
  return it != object.doc.end() && it->is_object() ? *it : Json::object();
}

void read_route_common(Reader& r, const Object& object, Meta meta, RouteCommon& route, bool with_hostnames) {
  route.meta = std::move(meta);
  route.generation = generation_of(object);
  route.status = status_of(object);
  const Json& spec = spec_of(object);
  r.each(spec, "/spec", "parentRefs", [&](const Json& p, const std::string& at) {
    ParentReference ref;
    ref.group = r.opt_string(p, at, "group");
    ref.kind = r.opt_string(p, at, "kind");
    ref.namespace_ = r.opt_string(p, at, "namespace");
    ref.name = r.string(p, at, "name", true);
    ref.section_name = r.opt_string(p, at, "sectionName");
    ref.port = r.opt_int(p, at, "port");
    ref.raw = p;
    route.parent_refs.push_back(std::move(ref));
  });
  if (with_hostnames) route.hostnames = r.strings(spec, "/spec", "hostnames");
}

HTTPRoute http_route(Reader& r, const Object& object, Meta meta) {
  HTTPRoute route;
  read_route_common(r, object, std::move(meta), route, true);
  r.each(spec_of(object), "/spec", "rules", [&](const Json& j, const std::string& at) {
    HTTPRouteRule rule;
    rule.name = r.opt_string(j, at, "name");
    r.each(j, at, "matches", [&](const Json& m, const std::string& p) {
      HTTPRouteMatch match;
      if (const Json* path = r.object(m, p, "path")) {
        match.path.type = r.opt_string(*path, p + "/path", "type");
        match.path.value = r.opt_string(*path, p + "/path", "value");
      }
      match.headers = read_string_matches(r, m, p, "headers");
      match.query_params = read_string_matches(r, m, p, "queryParams");
      match.method = r.opt_string(m, p, "method");
      rule.matches.push_back(std::move(match));
    });
    r.each(j, at, "filters",
           [&](const Json& f, const std::string& p) { rule.filters.push_back(read_filter(r, f, p)); });
    rule.backend_refs = read_backend_refs(r, j, at);
    if (const Json* t = r.object(j, at, "timeouts")) {
      rule.timeouts = HTTPRouteTimeouts{r.opt_string(*t, at + "/timeouts", "request"),
                                        r.opt_string(*t, at + "/timeouts", "backendRequest")};
    }
    if (const Json* t = r.object(j, at, "retry")) {
      const std::string p = at + "/retry";
      HTTPRouteRetry retry;
      r.each(*t, p, "codes", [&](const Json& c, const std::string& cp) {
        if (c.is_number_integer())
          retry.codes.push_back(static_cast<std::int32_t>(c.get<std::int64_t>()));
        else
          r.problem(cp, "expected an HTTP status code, got " + c.dump());
      });
      retry.attempts = r.opt_int(*t, p, "attempts");
      retry.backoff = r.opt_string(*t, p, "backoff");
      rule.retry = retry;
    }
    route.rules.push_back(std::move(rule));
  });
  return route;
}

GRPCRoute grpc_route(Reader& r, const Object& object, Meta meta) {
  GRPCRoute route;
  read_route_common(r, object, std::move(meta), route, true);
  r.each(spec_of(object), "/spec", "rules", [&](const Json& j, const std::string& at) {
    GRPCRouteRule rule;
    rule.name = r.opt_string(j, at, "name");
    r.each(j, at, "matches", [&](const Json& m, const std::string& p) {
      GRPCRouteMatch match;
      if (const Json* method = r.object(m, p, "method")) {
        const std::string mp = p + "/method";
        match.method = GRPCMethodMatch{r.opt_string(*method, mp, "type"), r.opt_string(*method, mp, "service"),
                                       r.opt_string(*method, mp, "method")};
      }
      match.headers = read_string_matches(r, m, p, "headers");
      rule.matches.push_back(std::move(match));
    });
    r.each(j, at, "filters",
           [&](const Json& f, const std::string& p) { rule.filters.push_back(read_filter(r, f, p)); });
    rule.backend_refs = read_backend_refs(r, j, at);
    route.rules.push_back(std::move(rule));
  });
  return route;
}

template <typename Route>
Route l4_route(Reader& r, const Object& object, Meta meta, bool with_hostnames) {
  Route route;
  read_route_common(r, object, std::move(meta), route, with_hostnames);
  r.each(spec_of(object), "/spec", "rules", [&](const Json& j, const std::string& at) {
    route.rules.push_back({r.opt_string(j, at, "name"), read_backend_refs(r, j, at)});
  });
  return route;
}

LabelSelector read_selector(Reader& r, const Json& j, const std::string& at) {
  LabelSelector s;
  if (const Json* labels = r.object(j, at, "matchLabels")) {
    for (const auto& [k, v] : labels->items()) {
      if (v.is_string())
        s.match_labels[k] = v.get<std::string>();
      else
        r.problem(at + "/matchLabels/" + k, "expected a string, got " + v.dump());
    }
  }
  r.each(j, at, "matchExpressions", [&](const Json& e, const std::string& p) {
    s.match_expressions.push_back(
        {r.string(e, p, "key", true), r.string(e, p, "operator", true), r.strings(e, p, "values")});
  });
  return s;
}

Gateway gateway(Reader& r, const Object& object, Meta meta) {
  Gateway g;
  g.meta = std::move(meta);
  g.generation = generation_of(object);
  g.status = status_of(object);
  const Json& spec = spec_of(object);
  g.gateway_class_name = r.string(spec, "/spec", "gatewayClassName", true);
  // value is optional since Gateway API v1.3 (GatewaySpecAddress, GatewayAddressEmpty): an empty
  // address asks the implementation to assign one.
  r.each(spec, "/spec", "addresses", [&](const Json& a, const std::string& at) {
    g.addresses.push_back({r.opt_string(a, at, "type"), r.string(a, at, "value")});
  });
  if (const Json* infra = r.object(spec, "/spec", "infrastructure")) g.infrastructure = *infra;
  if (const Json* tls = r.object(spec, "/spec", "tls")) g.tls = *tls;
  r.each(spec, "/spec", "listeners", [&](const Json& j, const std::string& at) {
    Listener l;
    l.name = r.string(j, at, "name", true);
    l.hostname = r.opt_string(j, at, "hostname");
    auto port = r.opt_int(j, at, "port");
    if (!port && !r.field(j, at, "port")) r.problem(at + "/port", "required field is missing");
    l.port = port.value_or(0);
    l.protocol = r.string(j, at, "protocol", true);
    if (const Json* t = r.object(j, at, "tls")) {
      const std::string p = at + "/tls";
      ListenerTLSConfig tls;
      tls.mode = r.opt_string(*t, p, "mode");
      r.each(*t, p, "certificateRefs", [&](const Json& c, const std::string& cp) {
        tls.certificate_refs.push_back({r.opt_string(c, cp, "group"), r.opt_string(c, cp, "kind"),
                                        r.string(c, cp, "name", true), r.opt_string(c, cp, "namespace")});
      });
      if (const Json* options = r.object(*t, p, "options")) {
        for (const auto& [k, v] : options->items()) {
          if (v.is_string())
            tls.options[k] = v.get<std::string>();
          else
            r.problem(p + "/options/" + k, "expected a string, got " + v.dump());
        }
      }
      l.tls = tls;
    }
    if (const Json* a = r.object(j, at, "allowedRoutes")) {
      const std::string p = at + "/allowedRoutes";
      AllowedRoutes allowed;
      if (const Json* ns = r.object(*a, p, "namespaces")) {
        allowed.from = r.opt_string(*ns, p + "/namespaces", "from");
        if (const Json* sel = r.object(*ns, p + "/namespaces", "selector"))
          allowed.selector = read_selector(r, *sel, p + "/namespaces/selector");
      }
      r.each(*a, p, "kinds", [&](const Json& k, const std::string& kp) {
        allowed.kinds.push_back({r.opt_string(k, kp, "group"), r.string(k, kp, "kind", true)});
      });
      l.allowed_routes = allowed;
    }
    g.listeners.push_back(std::move(l));
  });
  return g;
}

ReferenceGrant reference_grant(Reader& r, const Object& object, Meta meta) {
  ReferenceGrant grant;
  grant.meta = std::move(meta);
  const Json& spec = spec_of(object);
  r.each(spec, "/spec", "from", [&](const Json& f, const std::string& at) {
    grant.from.push_back(
        {r.string(f, at, "group", true), r.string(f, at, "kind", true), r.string(f, at, "namespace", true)});
  });
  r.each(spec, "/spec", "to", [&](const Json& t, const std::string& at) {
    grant.to.push_back({r.string(t, at, "group", true), r.string(t, at, "kind", true), r.opt_string(t, at, "name")});
  });
  return grant;
}

}  // namespace

GatewayClass read_gateway_class(const Object& object, Meta meta, std::vector<ReadProblem>& problems) {
  Reader r(problems);
  GatewayClass c;
  c.meta = std::move(meta);
  c.generation = generation_of(object);
  c.status = status_of(object);
  c.controller_name = r.string(spec_of(object), "/spec", "controllerName", true);
  return c;
}

Gateway read_gateway(const Object& object, Meta meta, std::vector<ReadProblem>& problems) {
  Reader r(problems);
  return gateway(r, object, std::move(meta));
}

HTTPRoute read_http_route(const Object& object, Meta meta, std::vector<ReadProblem>& problems) {
  Reader r(problems);
  return http_route(r, object, std::move(meta));
}

GRPCRoute read_grpc_route(const Object& object, Meta meta, std::vector<ReadProblem>& problems) {
  Reader r(problems);
  return grpc_route(r, object, std::move(meta));
}

TLSRoute read_tls_route(const Object& object, Meta meta, std::vector<ReadProblem>& problems) {
  Reader r(problems);
  return l4_route<TLSRoute>(r, object, std::move(meta), true);
}

TCPRoute read_tcp_route(const Object& object, Meta meta, std::vector<ReadProblem>& problems) {
  Reader r(problems);
  return l4_route<TCPRoute>(r, object, std::move(meta), false);
}

ReferenceGrant read_reference_grant(const Object& object, Meta meta, std::vector<ReadProblem>& problems) {
  Reader r(problems);
  return reference_grant(r, object, std::move(meta));
}

}  // namespace gwsim::model::gateway_api
