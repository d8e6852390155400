// Range checks of int32 fields (int32_range.h), in the words of Go's encoding/json.
#include "engine/model/int32_range.h"

#include <cstdint>
#include <initializer_list>

namespace gwsim::model {

namespace {

// A field's path, "[]" standing for every element of an array, and the Go struct holding it.
struct Int32Field {
  std::vector<std::string> path;
  std::string go_struct;  // "" = "<Kind>Spec"
};

const std::vector<Int32Field>& fields_of(const std::string& group, const std::string& kind) {
  static const std::vector<Int32Field> none;
  static const std::vector<Int32Field> workload = {{{"spec", "replicas"}, ""},
                                                   {{"spec", "minReadySeconds"}, ""},
                                                   {{"spec", "revisionHistoryLimit"}, ""},
                                                   {{"spec", "progressDeadlineSeconds"}, ""},
                                                   {{"spec", "ordinals", "start"}, "StatefulSetOrdinals"}};
  static const std::vector<Int32Field> service = {{{"spec", "ports", "[]", "port"}, "ServicePort"},
                                                  {{"spec", "ports", "[]", "targetPort"}, "ServicePort"},
                                                  {{"spec", "ports", "[]", "nodePort"}, "ServicePort"}};
  static const std::vector<Int32Field> pod = {
      {{"spec", "containers", "[]", "ports", "[]", "containerPort"}, "ContainerPort"},
      {{"spec", "containers", "[]", "ports", "[]", "hostPort"}, "ContainerPort"}};
  static const std::vector<Int32Field> endpoints = {{{"subsets", "[]", "ports", "[]", "port"}, "EndpointPort"}};
  if (group == "apps") return workload;
  if (!group.empty()) return none;
  if (kind == "Service") return service;
  if (kind == "Pod") return pod;
  if (kind == "Endpoints") return endpoints;
  return none;
}

bool fits_int32(const Json& v) {
  if (v.is_number_unsigned()) return v.get<std::uint64_t>() <= 2147483647ull;
  if (v.is_number_integer()) return v.get<std::int64_t>() >= -2147483648ll && v.get<std::int64_t>() <= 2147483647ll;
  if (v.is_number_float()) return v.get<double>() >= -2147483648.0 && v.get<double>() <= 2147483647.0;
  return true;  // not a number (an IntOrString's string): not this check's business
}

void walk(const Json& value, const Int32Field& f, std::size_t at, std::string pointer, const std::string& go_field,
          std::vector<Int32Problem>& out) {
  if (at == f.path.size()) {
    if (!fits_int32(value))
      out.push_back({pointer, "json: cannot unmarshal number " + value.dump() + " into Go struct field " + go_field +
                                  " of type int32"});
    return;
  }
  const std::string& step = f.path[at];
  if (step == "[]") {
    if (!value.is_array()) return;
    for (std::size_t i = 0; i < value.size(); ++i)
      walk(value[i], f, at + 1, pointer + "/" + std::to_string(i), go_field, out);
    return;
  }
  if (!value.is_object()) return;
  auto it = value.find(step);
  if (it != value.end()) walk(*it, f, at + 1, pointer + "/" + step, go_field, out);
}

}  // namespace

std::vector<Int32Problem> int32_out_of_range(const Object& object) {
  std::vector<Int32Problem> out;
  for (const Int32Field& f : fields_of(object.group(), object.kind())) {
    std::string go_field = f.go_struct.empty() ? object.kind() + "Spec" : f.go_struct;
    for (const auto& step : f.path)
      if (step != "[]") go_field += "." + step;
    walk(object.doc, f, 0, "", go_field, out);
  }
  return out;
}

}  // namespace gwsim::model
