#include "engine/model/json_fields.h"

namespace gwsim::model {

const Json& member(const Json& object, const char* key) {
  static const Json null = nullptr;
  if (!object.is_object()) return null;
  auto it = object.find(key);
  return it == object.end() ? null : *it;
}

std::string string_or_empty(const Json& value) { return value.is_string() ? value.get<std::string>() : std::string(); }

}  // namespace gwsim::model
