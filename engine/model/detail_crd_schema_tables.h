// The tables of Istio's networking CRD schemas (Gateway, VirtualService, DestinationRule,
// ServiceEntry; the same for v1alpha3, v1beta1 and v1), written from the field lists in the
// istio.io reference and the CRDs' OpenAPI schemas (istio/istio manifests/charts/base/files/
// crd-all.gen.yaml). crd_schema.cc walks them; nothing else should.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/model/object.h"

namespace gwsim::model::detail {

enum class Type { kString, kInteger, kNumber, kBoolean, kDuration, kBytes, kObject, kArray, kMap, kAny };

// A CEL rule of the CRD: returns the rule's message when `self` violates it.
using Rule = std::function<std::optional<std::string>(const Json& self)>;

struct Node;
using NodePtr = std::shared_ptr<Node>;

struct Node {
  Type type = Type::kAny;
  std::vector<std::pair<std::string, NodePtr>> fields;  // kObject
  NodePtr items;                                         // kArray items, kMap values
  std::vector<std::string> required;
  std::vector<std::vector<std::string>> one_of;  // at most one field of each group
  std::vector<std::string> enum_values;
  std::optional<double> minimum, maximum;
  bool int32 = false;        // format int32: the value must fit
  bool duration_rule = false;  // CEL: duration(self) >= duration('1ms')
  std::size_t max_items = 0;   // 0 = unbounded
  std::size_t max_length = 0;  // 0 = unbounded
  std::string list_map_key;   // x-kubernetes-list-type: map, keyed by this field
  std::vector<Rule> rules;

  const Node* field(const std::string& name) const {
    for (const auto& [n, node] : fields) {
      if (n == name) return node.get();
    }
    return nullptr;
  }
};

// The whole document's schema for an Istio networking kind, or nullptr.
const Node* crd_schema_for(const std::string& kind);

}  // namespace gwsim::model::detail
