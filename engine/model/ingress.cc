#include "engine/model/ingress.h"

#include <limits>

namespace gwsim::model {

namespace {

// Reads one object's fields, noting each wrong type as a problem at its JSON pointer (the API
// server's decoder refuses such an object: "json: cannot unmarshal ...").
class FieldReader {
 public:
  explicit FieldReader(std::vector<IngressFieldProblem>& problems) : problems_(problems) {}

  void problem(const std::string& pointer, std::string message) { problems_.push_back({pointer, std::move(message)}); }

  // The member, or nullptr when absent or null.
  static const Json* get(const Json& o, const char* key) {
    if (!o.is_object()) return nullptr;
    auto it = o.find(key);
    return it == o.end() || it->is_null() ? nullptr : &*it;
  }

  std::string string(const Json& o, const char* key, const std::string& pointer) {
    const Json* v = get(o, key);
    if (!v) return {};
    if (!v->is_string()) {
      problem(pointer, dotted(pointer) + ": expected a string, got " + v->dump());
      return {};
    }
    return v->get<std::string>();
  }

  std::optional<std::string> optional_string(const Json& o, const char* key, const std::string& pointer) {
    if (!get(o, key)) return std::nullopt;
    return string(o, key, pointer);
  }

  std::int32_t int32(const Json& o, const char* key, const std::string& pointer) {
    const Json* v = get(o, key);
    if (!v) return 0;
    if (!v->is_number_integer() || v->get<std::int64_t>() < std::numeric_limits<std::int32_t>::min() ||
        v->get<std::int64_t>() > std::numeric_limits<std::int32_t>::max() ||
        (v->is_number_unsigned() && v->get<std::uint64_t>() > std::numeric_limits<std::int32_t>::max())) {
      problem(pointer, dotted(pointer) + ": expected an int32, got " + v->dump());
      return 0;
    }
    return static_cast<std::int32_t>(v->get<std::int64_t>());
  }

  // The member as an array (empty when absent; a problem when not an array).
  const Json& array(const Json& o, const char* key, const std::string& pointer) {
    static const Json empty = Json::array();
    const Json* v = get(o, key);
    if (!v) return empty;
    if (!v->is_array()) {
      problem(pointer, dotted(pointer) + ": expected a list, got " + v->dump());
      return empty;
    }
    return *v;
  }

  // The member as an object (nullptr when absent; a problem when not an object).
  const Json* object(const Json& o, const char* key, const std::string& pointer) {
    const Json* v = get(o, key);
    if (!v) return nullptr;
    if (!v->is_object()) {
      problem(pointer, dotted(pointer) + ": expected an object, got " + v->dump());
      return nullptr;
    }
    return v;
  }

  // "/spec/rules/0/host" -> "spec.rules[0].host", as the API server names fields.
  static std::string dotted(const std::string& pointer) {
    std::string out;
    size_t start = 1;
    while (start <= pointer.size()) {
      size_t slash = pointer.find('/', start);
      std::string part = pointer.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
      const bool index = !part.empty() && part.find_first_not_of("0123456789") == std::string::npos;
      if (index)
        out += "[" + part + "]";
      else
        out += (out.empty() ? "" : ".") + part;
      if (slash == std::string::npos) break;
      start = slash + 1;
    }
    return out;
  }

 private:
  std::vector<IngressFieldProblem>& problems_;
};

std::string at(const std::string& pointer, const std::string& key) { return pointer + "/" + key; }
std::string at(const std::string& pointer, size_t index) { return pointer + "/" + std::to_string(index); }

// k8s.io/kubernetes pkg/apis/networking/validation validateIngressBackend: a backend names a
// Service or a resource, not both; a Service port is a number or a name, not both.
IngressBackend read_backend(FieldReader& r, const Json& j, const std::string& pointer) {
  IngressBackend backend;
  if (const Json* s = r.object(j, "service", at(pointer, "service"))) {
    const std::string sp = at(pointer, "service");
    IngressServiceBackend service;
    service.name = r.string(*s, "name", at(sp, "name"));
    if (const Json* p = r.object(*s, "port", at(sp, "port"))) {
      service.port.number = r.int32(*p, "number", at(at(sp, "port"), "number"));
      service.port.name = r.string(*p, "name", at(at(sp, "port"), "name"));
      if (service.port.number != 0 && !service.port.name.empty())
        r.problem(at(sp, "port"), FieldReader::dotted(at(sp, "port")) + ": cannot set both port name & port number");
    }
    backend.service = std::move(service);
  }
  if (const Json* res = r.object(j, "resource", at(pointer, "resource"))) {
    const std::string rp = at(pointer, "resource");
    backend.resource =
        IngressResourceBackend{r.string(*res, "apiGroup", at(rp, "apiGroup")), r.string(*res, "kind", at(rp, "kind")),
                               r.string(*res, "name", at(rp, "name"))};
  }
  if (backend.service && backend.resource)
    r.problem(pointer, FieldReader::dotted(pointer) + ": cannot set both service and resource backends");
  return backend;
}

}  // namespace

Ingress read_ingress(const Object& object, Meta meta, std::vector<IngressFieldProblem>& problems) {
  FieldReader r(problems);
  Ingress ingress;
  ingress.meta = std::move(meta);
  const Json* spec = r.object(object.doc, "spec", "/spec");
  if (!spec) return ingress;
  ingress.ingress_class_name = r.optional_string(*spec, "ingressClassName", "/spec/ingressClassName");
  if (const Json* d = r.object(*spec, "defaultBackend", "/spec/defaultBackend"))
    ingress.default_backend = read_backend(r, *d, "/spec/defaultBackend");
  const Json& tls = r.array(*spec, "tls", "/spec/tls");
  for (size_t i = 0; i < tls.size(); ++i) {
    const std::string tp = at("/spec/tls", i);
    IngressTLS entry;
    const Json& hosts = r.array(tls[i], "hosts", at(tp, "hosts"));
    for (size_t h = 0; h < hosts.size(); ++h) {
      if (hosts[h].is_string())
        entry.hosts.push_back(hosts[h].get<std::string>());
      else
        r.problem(at(at(tp, "hosts"), h), FieldReader::dotted(at(at(tp, "hosts"), h)) + ": expected a string");
    }
    entry.secret_name = r.string(tls[i], "secretName", at(tp, "secretName"));
    ingress.tls.push_back(std::move(entry));
  }
  const Json& rules = r.array(*spec, "rules", "/spec/rules");
  for (size_t i = 0; i < rules.size(); ++i) {
    const std::string rp = at("/spec/rules", i);
    IngressRule rule;
    rule.source = object.position_of(rp);
    rule.host = r.string(rules[i], "host", at(rp, "host"));
    if (const Json* http = r.object(rules[i], "http", at(rp, "http"))) {
      const std::string hp = at(at(rp, "http"), "paths");
      std::vector<HTTPIngressPath> paths;
      const Json& list = r.array(*http, "paths", hp);
      for (size_t p = 0; p < list.size(); ++p) {
        const std::string pp = at(hp, p);
        HTTPIngressPath path;
        path.source = object.position_of(pp);
        path.path = r.string(list[p], "path", at(pp, "path"));
        path.path_type = r.optional_string(list[p], "pathType", at(pp, "pathType"));
        if (path.path_type && *path.path_type != kPathTypeExact && *path.path_type != kPathTypePrefix &&
            *path.path_type != kPathTypeImplementationSpecific) {
          r.problem(at(pp, "pathType"), FieldReader::dotted(at(pp, "pathType")) + ": Unsupported value: \"" +
                                            *path.path_type +
                                            "\": supported values: \"Exact\", \"ImplementationSpecific\", \"Prefix\"");
        }
        if (const Json* b = r.object(list[p], "backend", at(pp, "backend")))
          path.backend = read_backend(r, *b, at(pp, "backend"));
        paths.push_back(std::move(path));
      }
      rule.http_paths = std::move(paths);
    }
    ingress.rules.push_back(std::move(rule));
  }
  return ingress;
}

IngressClass read_ingress_class(const Object& object, Meta meta, std::vector<IngressFieldProblem>& problems) {
  FieldReader r(problems);
  IngressClass c;
  c.meta = std::move(meta);
  if (const Json* spec = r.object(object.doc, "spec", "/spec"))
    c.controller = r.string(*spec, "controller", "/spec/controller");
  return c;
}

}  // namespace gwsim::model
