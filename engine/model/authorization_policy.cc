// Reads an AuthorizationPolicy's spec into the typed model, field by field as
// istio.io/api security/v1beta1/authorization.proto declares them.
#include "engine/model/authorization_policy.h"

namespace gwsim::model {

namespace {

class Reader {
 public:
  explicit Reader(std::vector<AuthorizationReadProblem>& problems) : problems_(problems) {}

  const Json* field(const Json& o, const char* key) {
    if (!o.is_object()) return nullptr;
    auto it = o.find(key);
    return it == o.end() || it->is_null() ? nullptr : &*it;
  }

  std::string string(const Json& o, const std::string& at, const char* key) {
    const Json* v = field(o, key);
    if (!v) return {};
    if (!v->is_string()) {
      problem(at + "/" + key, "expected a string, got " + v->dump());
      return {};
    }
    return v->get<std::string>();
  }

  std::vector<std::string> strings(const Json& o, const std::string& at, const char* key) {
    std::vector<std::string> out;
    const Json* v = field(o, key);
    if (!v) return out;
    if (!v->is_array()) {
      problem(at + "/" + key, "expected a list of strings, got " + v->dump());
      return out;
    }
    for (std::size_t i = 0; i < v->size(); ++i) {
      const Json& item = (*v)[i];
      if (!item.is_string()) {
        problem(at + "/" + key + "/" + std::to_string(i), "expected a string, got " + item.dump());
        continue;
      }
      out.push_back(item.get<std::string>());
    }
    return out;
  }

  // A list member: nullptr when absent; a problem when not a list.
  const Json* list(const Json& o, const std::string& at, const char* key) {
    const Json* v = field(o, key);
    if (!v) return nullptr;
    if (!v->is_array()) {
      problem(at + "/" + key, "expected a list, got " + v->dump());
      return nullptr;
    }
    return v;
  }

  const Json* object(const Json& o, const std::string& at, const char* key) {
    const Json* v = field(o, key);
    if (!v) return nullptr;
    if (!v->is_object()) {
      problem(at + "/" + key, "expected an object, got " + v->dump());
      return nullptr;
    }
    return v;
  }

  void problem(const std::string& pointer, std::string message) {
    std::string path = pointer.substr(pointer.empty() ? 0 : 1);
    for (char& c : path) c = c == '/' ? '.' : c;
    problems_.push_back({pointer, path + ": " + std::move(message)});
  }

 private:
  std::vector<AuthorizationReadProblem>& problems_;
};

AuthorizationTargetRef read_target_ref(Reader& r, const Json& j, const std::string& at) {
  return {r.string(j, at, "group"), r.string(j, at, "kind"), r.string(j, at, "name"), r.string(j, at, "namespace")};
}

AuthorizationSource read_source(Reader& r, const Json& s, const std::string& at) {
  AuthorizationSource src;
  src.principals = r.strings(s, at, "principals");
  src.not_principals = r.strings(s, at, "notPrincipals");
  src.request_principals = r.strings(s, at, "requestPrincipals");
  src.not_request_principals = r.strings(s, at, "notRequestPrincipals");
  src.namespaces = r.strings(s, at, "namespaces");
  src.not_namespaces = r.strings(s, at, "notNamespaces");
  src.service_accounts = r.strings(s, at, "serviceAccounts");
  src.not_service_accounts = r.strings(s, at, "notServiceAccounts");
  src.trust_domains = r.strings(s, at, "trustDomains");
  src.not_trust_domains = r.strings(s, at, "notTrustDomains");
  src.ip_blocks = r.strings(s, at, "ipBlocks");
  src.not_ip_blocks = r.strings(s, at, "notIpBlocks");
  src.remote_ip_blocks = r.strings(s, at, "remoteIpBlocks");
  src.not_remote_ip_blocks = r.strings(s, at, "notRemoteIpBlocks");
  return src;
}

AuthorizationOperation read_operation(Reader& r, const Json& o, const std::string& at) {
  AuthorizationOperation op;
  op.hosts = r.strings(o, at, "hosts");
  op.not_hosts = r.strings(o, at, "notHosts");
  op.ports = r.strings(o, at, "ports");
  op.not_ports = r.strings(o, at, "notPorts");
  op.methods = r.strings(o, at, "methods");
  op.not_methods = r.strings(o, at, "notMethods");
  op.paths = r.strings(o, at, "paths");
  op.not_paths = r.strings(o, at, "notPaths");
  return op;
}

AuthorizationRule read_rule(Reader& r, const Json& j, const std::string& at) {
  AuthorizationRule rule;
  if (const Json* from = r.list(j, at, "from")) {
    rule.from_set = true;
    for (std::size_t i = 0; i < from->size(); ++i) {
      const std::string f_at = at + "/from/" + std::to_string(i);
      AuthorizationFrom f;
      if (const Json* s = r.object((*from)[i], f_at, "source")) f.source = read_source(r, *s, f_at + "/source");
      rule.from.push_back(std::move(f));
    }
  }
  if (const Json* to = r.list(j, at, "to")) {
    rule.to_set = true;
    for (std::size_t i = 0; i < to->size(); ++i) {
      const std::string t_at = at + "/to/" + std::to_string(i);
      AuthorizationTo t;
      if (const Json* o = r.object((*to)[i], t_at, "operation"))
        t.operation = read_operation(r, *o, t_at + "/operation");
      rule.to.push_back(std::move(t));
    }
  }
  if (const Json* when = r.list(j, at, "when")) {
    for (std::size_t i = 0; i < when->size(); ++i) {
      const std::string w_at = at + "/when/" + std::to_string(i);
      const Json& c = (*when)[i];
      rule.when.push_back({r.string(c, w_at, "key"), r.strings(c, w_at, "values"), r.strings(c, w_at, "notValues")});
    }
  }
  return rule;
}

}  // namespace

AuthorizationPolicy read_authorization_policy(const Object& object, Meta meta,
                                              std::vector<AuthorizationReadProblem>& problems) {
  Reader r(problems);
  AuthorizationPolicy p;
  p.meta = std::move(meta);
  static const Json empty = Json::object();
  const Json* spec_ptr = r.object(object.doc, "", "spec");
  const Json& spec = spec_ptr ? *spec_ptr : empty;
  const std::string at = "/spec";
  if (const Json* selector = r.object(spec, at, "selector")) {
    p.selector_set = true;
    Labels labels;
    if (const Json* ml = r.object(*selector, at + "/selector", "matchLabels")) {
      for (const auto& [k, v] : ml->items()) {
        if (!v.is_string()) {
          r.problem(at + "/selector/matchLabels/" + k, "expected a string, got " + v.dump());
          continue;
        }
        labels[k] = v.get<std::string>();
      }
    }
    p.selector = std::move(labels);
  }
  if (const Json* ref = r.object(spec, at, "targetRef")) p.target_ref = read_target_ref(r, *ref, at + "/targetRef");
  if (const Json* refs = r.list(spec, at, "targetRefs")) {
    for (std::size_t i = 0; i < refs->size(); ++i) {
      p.target_refs.push_back(read_target_ref(r, (*refs)[i], at + "/targetRefs/" + std::to_string(i)));
    }
  }
  std::string action = r.string(spec, at, "action");
  if (!action.empty()) p.action = action;
  if (const Json* provider = r.object(spec, at, "provider")) {
    p.provider_set = true;
    p.provider = r.string(*provider, at + "/provider", "name");
  }
  if (const Json* rules = r.list(spec, at, "rules")) {
    p.rules_set = true;
    for (std::size_t i = 0; i < rules->size(); ++i) {
      p.rules.push_back(read_rule(r, (*rules)[i], at + "/rules/" + std::to_string(i)));
    }
  }
  return p;
}

}  // namespace gwsim::model
