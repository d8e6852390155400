#include "engine/model/unsimulated.h"

#include <algorithm>

#include "engine/model/kinds.h"

namespace gwsim::model {

namespace {

struct KindWhy {
  const char* group;
  const char* kind;
  const char* why;
};

constexpr KindWhy kUnsimulated[] = {
    {kIstioNetworkingGroup, "EnvoyFilter", "patches the gateway's Envoy configuration, which gwsim does not apply"},
    {kIstioExtensionsGroup, "WasmPlugin", "adds Wasm filters to the gateway, which gwsim does not run"},
    {kIstioNetworkingGroup, "ProxyConfig", "sets the gateway proxy's environment and concurrency, not simulated"},
};

const Json* member(const Json& o, const char* key) {
  if (!o.is_object()) return nullptr;
  auto it = o.find(key);
  return it == o.end() || it->is_null() ? nullptr : &*it;
}

std::optional<Labels> read_labels(const Json& labels, const std::string& pointer,
                                  std::vector<UnsimulatedProblem>& problems) {
  if (!labels.is_object()) {
    std::string dotted = pointer.substr(1);
    std::replace(dotted.begin(), dotted.end(), '/', '.');
    problems.push_back({pointer, dotted + ": expected a map of label names to values"});
    return std::nullopt;
  }
  Labels out;
  for (const auto& [k, v] : labels.items()) {
    if (!v.is_string()) {
      problems.push_back({pointer + "/" + k, "label " + k + ": expected a string value"});
      continue;
    }
    out.emplace(k, v.get<std::string>());
  }
  return out;
}

std::optional<PolicyTargetRef> read_target_ref(const Json& j, const std::string& pointer,
                                               std::vector<UnsimulatedProblem>& problems) {
  if (!j.is_object()) {
    problems.push_back({pointer, "targetRef: expected an object with group, kind and name"});
    return std::nullopt;
  }
  PolicyTargetRef ref;
  for (auto [key, field] : {std::pair{"group", &ref.group}, std::pair{"kind", &ref.kind}, std::pair{"name", &ref.name},
                            std::pair{"namespace", &ref.namespace_}}) {
    if (const Json* v = member(j, key)) {
      if (!v->is_string()) {
        problems.push_back({pointer + "/" + key, std::string("targetRef.") + key + ": expected a string"});
        continue;
      }
      *field = v->get<std::string>();
    }
  }
  return ref;
}

}  // namespace

bool is_unsimulated_kind(std::string_view group, std::string_view kind) {
  for (const auto& k : kUnsimulated)
    if (group == k.group && kind == k.kind) return true;
  return false;
}

std::string unsimulated_why(std::string_view kind) {
  for (const auto& k : kUnsimulated)
    if (kind == k.kind) return k.why;
  return "not simulated by gwsim";
}

UnsimulatedObject read_unsimulated(const Object& object, Meta meta, std::vector<UnsimulatedProblem>& problems) {
  UnsimulatedObject out;
  out.kind = object.kind();
  out.meta = std::move(meta);
  const Json* spec = member(object.doc, "spec");
  if (!spec) return out;
  // EnvoyFilter selects with workloadSelector.labels; WasmPlugin and ProxyConfig with
  // selector.matchLabels (istio.io/api networking/v1alpha3/envoy_filter.proto,
  // type/v1beta1/selector.proto).
  if (const Json* ws = member(*spec, "workloadSelector")) {
    const Json* labels = member(*ws, "labels");
    out.selector = labels ? read_labels(*labels, "/spec/workloadSelector/labels", problems) : Labels{};
  } else if (const Json* s = member(*spec, "selector")) {
    const Json* labels = member(*s, "matchLabels");
    out.selector = labels ? read_labels(*labels, "/spec/selector/matchLabels", problems) : Labels{};
  }
  if (const Json* refs = member(*spec, "targetRefs")) {
    if (!refs->is_array()) {
      problems.push_back({"/spec/targetRefs", "targetRefs: expected a list"});
    } else {
      for (std::size_t i = 0; i < refs->size(); ++i) {
        if (auto ref = read_target_ref((*refs)[i], "/spec/targetRefs/" + std::to_string(i), problems))
          out.target_refs.push_back(std::move(*ref));
      }
    }
  }
  // GetTargetRefs (pilot/pkg/model/policyattachment.go): targetRef only when targetRefs is empty.
  if (out.target_refs.empty()) {
    if (const Json* ref = member(*spec, "targetRef")) {
      if (auto r = read_target_ref(*ref, "/spec/targetRef", problems)) out.target_refs.push_back(std::move(*r));
    }
  }
  return out;
}

}  // namespace gwsim::model
