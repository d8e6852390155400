// The tables of the CRD schemas gwsim checks: Istio's networking CRDs (Gateway, VirtualService,
// DestinationRule, ServiceEntry; the same for v1alpha3, v1beta1 and v1), written from the field
// lists in the istio.io reference and the CRDs' OpenAPI schemas (istio/istio manifests/charts/base/
// files/crd-all.gen.yaml); and the Gateway API CRDs (GatewayClass, Gateway, HTTPRoute, GRPCRoute,
// ReferenceGrant, TLSRoute, TCPRoute), read from their generated schemas
// (detail_crd_schema_tables_gateway_api.h). crd_schema.cc walks them; nothing else should.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/model/object.h"

namespace re2 {
class RE2;
}

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
  bool list_set = false;      // x-kubernetes-list-type: set (no two items equal)
  // Bounds that the API server words as "<path> in body should ..." (Gateway API CRDs).
  std::string pattern;                        // the schema's pattern, as written
  std::shared_ptr<const re2::RE2> pattern_re;  // compiled once
  std::size_t min_length = 0;                 // 0 = none
  std::size_t min_items = 0;                  // 0 = none
  std::size_t max_properties = 0;             // 0 = unbounded
  std::optional<Json> default_value;          // applied before validation, as the API server does
  std::vector<Rule> rules;
  // Transition rules "self == oldSelf" (run on update only, when the old object has the field):
  // their messages.
  std::vector<std::string> immutable_messages;

  const Node* field(const std::string& name) const {
    for (const auto& [n, node] : fields) {
      if (n == name) return node.get();
    }
    return nullptr;
  }
};

// The whole document's schema for a kind at a version (an Istio networking kind at any of its
// versions; a Gateway API kind at a version its CRD serves), or nullptr.
const Node* crd_schema_for(const std::string& group, const std::string& kind, const std::string& version);

// The Gateway API CRDs' rules that are not evaluated: (rule, why) (see
// detail_crd_schema_tables_gateway_api.h).
std::vector<std::pair<std::string, std::string>> unevaluated_crd_rules();

}  // namespace gwsim::model::detail
