// Server-side field validation of the built-in kinds (core/v1 and apps/v1): the fields an object
// carries that its Go type does not declare. Follows k8s.io/apiserver's fieldValidation query
// parameter (pkg/endpoints/handlers/rest.go fieldValidation, create.go / update.go / patch.go):
// the JSON decoder drops unknown fields, and the directive says what the request learns of them:
//   Ignore: nothing;
//   Warn (the default): one `Warning: unknown field "spec.foo"` header each;
//   Strict: the request is refused (400 BadRequest "... strict decoding error: unknown field ...").
// The fields of each kind are those of the protobuf schema (detail_proto_schema.cc), whose
// messages are the Go types; the few embedded structs Go inlines into their parent's JSON
// (`json:",inline"`) are inlined here too. Istio's kinds are checked against their CRD schema by
// admission instead.
#pragma once

#include <string>
#include <vector>

#include "engine/model/object.h"

namespace gwsim::fakes {

using model::Json;

enum class FieldValidation { kIgnore, kWarn, kStrict };

// The directive of a request's ?fieldValidation= ("" -> Warn); false for any other value.
bool parse_field_validation(const std::string& value, FieldValidation& out);

// Whether gwsim knows the fields of (group, kind): the built-in kinds it serves.
bool has_field_schema(const std::string& group, const std::string& kind);

// Removes from `doc` every field its kind does not declare, and returns their paths in the
// decoder's words ("spec.foo", "spec.containers[0].foo"), in document order. Values of unknown
// fields are never walked, so a deeply nested one costs nothing. Kinds without a schema: none.
std::vector<std::string> drop_unknown_fields(Json& doc, const std::string& group, const std::string& kind);

// The decoder's error for the first field whose value its Go type cannot hold: an int32 out of
// range (`replicas: 4294967297`), or an array or object where a scalar is declared (a ConfigMap's
// data value), as Go's encoding/json words it: "json: cannot unmarshal number 4294967297 into Go
// struct field DeploymentSpec.spec.replicas of type int32"; "" when everything fits.
std::string decoding_error(const Json& doc, const std::string& group, const std::string& kind);

}  // namespace gwsim::fakes
