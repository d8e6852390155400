// The generated protobuf schema of the built-in kinds (detail_proto_schema.cc), parsed once:
// the one reading of that text, for the protobuf codec (protobuf.cc) and strict field
// validation (field_validation.cc).
#pragma once

#include <map>
#include <string>

namespace gwsim::fakes::detail {

struct ProtoField {
  std::string name;  // the JSON name
  char kind = 'o';   // 'o' optional, 'r' repeated, 'm' map<string, type>
  std::string type;  // a message name ("core.PodSpec") or a scalar ("string", "int32", ...)
};
using ProtoMessage = std::map<int, ProtoField>;  // field number -> field

// Every message of the schema by name ("core.ConfigMap").
const std::map<std::string, ProtoMessage>& proto_messages();

}  // namespace gwsim::fakes::detail
