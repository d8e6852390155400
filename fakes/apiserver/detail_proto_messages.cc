#include "fakes/apiserver/detail_proto_messages.h"

#include <sstream>

namespace gwsim::fakes::detail {

const char* proto_schema();  // detail_proto_schema.cc (generated)

const std::map<std::string, ProtoMessage>& proto_messages() {
  // One block per message: "M <name>", then "<number> <json name> <o|r|m> <type>" per field.
  static const std::map<std::string, ProtoMessage> parsed = [] {
    std::map<std::string, ProtoMessage> out;
    std::istringstream in(proto_schema());
    std::string line;
    ProtoMessage* current = nullptr;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      std::istringstream words(line);
      if (line.rfind("M ", 0) == 0) {
        std::string tag, name;
        words >> tag >> name;
        current = &out[name];
        continue;
      }
      int number = 0;
      ProtoField f;
      words >> number >> f.name >> f.kind >> f.type;
      if (current && number > 0) (*current)[number] = f;
    }
    return out;
  }();
  return parsed;
}

}  // namespace gwsim::fakes::detail
