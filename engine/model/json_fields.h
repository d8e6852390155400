// Reading fields of a decoded Kubernetes object (nlohmann::json) that may be absent or of the
// wrong type: a missing member reads as null, a non-string as "". The tolerant reads that
// apimachinery's unstructured.NestedString / NestedFieldNoCopy make, in one place.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace gwsim::model {

using Json = nlohmann::json;  // as object.h

// object[key]; a null Json when object is not an object or has no such member.
const Json& member(const Json& object, const char* key);

// value's string; "" when value is not a string.
std::string string_or_empty(const Json& value);

// object[key]'s string; "" when absent or not a string.
inline std::string string_member(const Json& object, const char* key) { return string_or_empty(member(object, key)); }

}  // namespace gwsim::model
