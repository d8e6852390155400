// The structural schema of Istio's networking CRDs (Gateway, VirtualService, DestinationRule,
// ServiceEntry; the same for v1alpha3, v1beta1 and v1), written from the field lists in the
// istio.io reference and the CRDs' OpenAPI schemas. The API server checks these before Istio's
// webhook sees an object: unknown fields (strict field validation, as kubectl asks for), value
// types, enums, required fields, bounds, oneOf groups and the CRDs' CEL rules.
#pragma once

#include <string>
#include <vector>

#include "engine/model/object.h"

namespace gwsim::model::detail {

struct SchemaIssue {
  enum class Kind {
    kUnknownField,  // a field the schema does not have
    kType,          // wrong JSON type (expected: "string", "integer", "number", "boolean", "object", "array")
    kFormat,        // right type, unreadable text (expected: "duration" or "byte")
    kEnum,          // not one of `allowed`
    kRange,         // integer/number out of bounds (`detail`: Kubernetes' wording of the bound)
    kRequired,      // missing required field
    kTooMany,       // more items than allowed (`limit`)
    kTooLong,       // longer string than allowed (`limit`)
    kOneOf,         // more than one of `allowed` set
    kDuplicate,     // a second list entry with the same key (`field`: the key's name)
    kRule,          // a CEL rule of the CRD failed (`detail`: its message)
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
  // wrong types, unreadable durations/bytes, unknown enum values, out-of-range numbers.
  bool structural() const;
  // "spec.http[0].rout: unknown field \"rout\"", "spec.servers[0].port.number: expected an
  // integer, got \"eighty\"": the short form used for snapshot problems and validation errors.
  std::string message() const;
  // The API server's field error: "spec.servers[0].port.name: Required value", ...
  std::string kube_message() const;
};

// Kinds with a schema here (group "networking.istio.io").
bool has_istio_schema(const std::string& group, const std::string& kind);

// Check the object's top-level fields, metadata and spec. Empty when clean, or when the kind has
// no schema here.
std::vector<SchemaIssue> check_istio_schema(const Object& object);

// The API server's refusal for these issues: a strict decoding error (400) when any field is
// unknown, else "<Kind>.networking.istio.io \"<name>\" is invalid: ..." (422).
std::string kube_denial(const Object& object, const std::vector<SchemaIssue>& issues);

}  // namespace gwsim::model::detail
