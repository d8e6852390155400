// The API server's structural schema check of the CRDs gwsim reads: Istio's networking CRDs
// (Gateway, VirtualService, DestinationRule, ServiceEntry; every served version alike) and the
// Gateway API's (GatewayClass, Gateway, HTTPRoute, GRPCRoute, ReferenceGrant, TLSRoute, TCPRoute
// at the versions v1.6.1 serves): unknown fields (strict field validation, as kubectl asks for),
// value types, enums, required fields, bounds, patterns, lengths, item counts, oneOf groups,
// list-map keys and list sets, and the CRDs' CEL rules. Follows k8s.io/apiextensions-apiserver's
// structural schema validation over istio/istio manifests/charts/base/files/crd-all.gen.yaml and
// gateway-api config/crd/standard (the tables are in detail_crd_schema_tables.cc). For the Gateway
// API the API server's defaults are applied first and the CEL rules run only when the schema found
// nothing blocking, as kube-apiserver does. validation::admit runs it before Istio's webhook; the snapshot
// reader runs it on objects that did not come through admission. The API server's wording of
// these issues lives with the fake API server (fakes/apiserver/status.h).
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "engine/model/object.h"

namespace gwsim::model {

struct SchemaIssue {
  enum class Kind {
    kUnknownField,  // a field the schema does not have
    kType,          // wrong JSON type (expected: "string", "integer", "number", "boolean", "object", "array")
    kFormat,        // right type, unreadable text (expected: "duration" or "byte")
    kEnum,          // not one of `allowed`
    kRange,         // integer/number out of bounds, or a string/list failing pattern, minLength or
                    // minItems (`detail`: Kubernetes' wording after "<path> in body ")
    kRequired,      // missing required field
    kTooMany,       // more items than allowed (`limit`)
    kTooLong,       // longer string than allowed (`limit`)
    kOneOf,         // more than one of `allowed` set
    kDuplicate,     // a second list entry with the same key (`field`: the key's name), or the
                    // same item twice in a list-type set (`field` empty, `value`: the item)
    kRule,          // a CEL rule of the CRD failed (`detail`: its message); path "<nil>" for the
                    // API server's "some validation rules were not checked" note
  };
  Kind kind = Kind::kType;
  std::string path;     // "spec.http[0].route[0].weight"
  std::string pointer;  // "/spec/http/0/route/0/weight"
  std::string field;    // the last field name (unknown / required fields)
  std::string expected;
  std::vector<std::string> allowed;
  std::string detail;
  std::size_t limit = 0;
  Json value;

  // Issues that make the object unreadable (the typed model cannot be built): unknown fields,
  // wrong types, unreadable durations/bytes, unknown enum values, out-of-range numbers (a string
  // failing a pattern is not: it reads).
  bool structural() const;
  // "spec.http[0].rout: unknown field \"rout\"", "spec.servers[0].port.number: expected an
  // integer, got \"eighty\"": the short form used for snapshot problems and file loading.
  std::string message() const;
};

// Kinds with a CRD schema here (groups "networking.istio.io" and "gateway.networking.k8s.io"), and
// the built-in networking.k8s.io/v1 Ingress and IngressClass, whose structure the API server's
// strict decoder checks the same way (their validation is engine/validation/ingress.h).
bool has_crd_schema(const std::string& group, const std::string& kind);

// Check the object's top-level fields, metadata and spec. Empty when clean, or when the kind has
// no schema here (or not at the object's version).
std::vector<SchemaIssue> check_crd_schema(const Object& object);

// An update of a stored object: check_crd_schema, then, when the schema passed, the CRDs'
// transition rules against the stored object (the Gateway API's "self == oldSelf": GatewayClass
// spec.controllerName, "Value is immutable"), as the API server runs them on update only, on
// fields both versions have.
std::vector<SchemaIssue> check_crd_update(const Object& object, const Object& old);

// The document as the API server stores it after its structural defaulting (a Gateway API
// object: e.g. an HTTPRoute rule's matches default to a PathPrefix "/" path, a parentRef's group
// and kind to the Gateway's); other kinds unchanged.
Json with_crd_defaults(const Object& object);

// The CRDs' CEL rules that are not evaluated here, with why (the transition rule
// "self == oldSelf", checked by the API server on update only).
std::vector<std::pair<std::string, std::string>> unevaluated_crd_rules();

// How many objects check_crd_schema has checked in this process (those with a schema): a test
// hook, to see that an object is checked once on its way in.
std::size_t crd_schema_checks();

// JSON type name of a value as Kubernetes quotes it in "Invalid value" errors ("string",
// "integer", "number", "boolean", "array", "object", "null").
std::string json_type_name(const Json& value);
// A value as Go prints it in API server messages: strings quoted, floats shortest ("150", "0.5").
std::string go_value_text(const Json& value);

}  // namespace gwsim::model
