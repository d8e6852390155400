// The Gateway API CRDs' schemas (GatewayClass, Gateway, HTTPRoute, GRPCRoute, ReferenceGrant,
// TLSRoute, TCPRoute of kubernetes-sigs/gateway-api v1.6.1, standard channel) as generated JSON
// (detail_crd_schema_tables_gateway_api.cc, by scripts/gen_gateway_api_schema.sh), and their CEL
// rules written in C++ (detail_crd_schema_tables_gateway_api_rules.cc). detail_crd_schema_tables.cc
// turns them into schema nodes; nothing else should use them.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "engine/model/object.h"

namespace gwsim::model::detail {

struct CrdSchemaSource {
  const char* group;
  const char* kind;
  std::vector<const char*> versions;  // the served versions with this schema
  const char* schema;                 // openAPIV3Schema, compact JSON
};

// Generated: one entry per kind and distinct schema.
const std::vector<CrdSchemaSource>& gateway_api_schema_sources();

// A CEL rule (x-kubernetes-validations[].rule) as C++: true when `self` satisfies it. `self` is
// the value the rule is declared on, after the API server's defaulting.
using CelCheck = std::function<bool(const Json& self)>;

// The C++ form of a Gateway API CRD rule, by the rule's exact text; an empty function for a rule
// gwsim does not evaluate (see unevaluated_gateway_api_rules()).
CelCheck gateway_api_cel_check(const std::string& rule);

// Rules of these CRDs that check_crd_schema does not evaluate, with why: the transition rule
// "self == oldSelf", which the API server checks only on update against the stored object
// (check_crd_update does).
std::vector<std::pair<std::string, std::string>> unevaluated_gateway_api_rules();

}  // namespace gwsim::model::detail
