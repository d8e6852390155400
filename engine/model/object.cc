#include "engine/model/object.h"

#include "engine/model/json_fields.h"

namespace gwsim::model {

std::string SourcePos::to_string() const {
  if (file.empty()) return {};
  if (line <= 0) return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column > 0 ? column : 1);
}

std::string Object::api_version() const { return string_member(doc, "apiVersion"); }
std::string Object::kind() const { return string_member(doc, "kind"); }
std::string Object::name() const { return string_member(member(doc, "metadata"), "name"); }
std::string Object::namespace_() const { return string_member(member(doc, "metadata"), "namespace"); }
std::string Object::group() const { return split_api_version(api_version()).first; }

std::pair<std::string, std::string> split_api_version(std::string_view api_version) {
  auto slash = api_version.find('/');
  if (slash == std::string_view::npos) return {"", std::string(api_version)};
  return {std::string(api_version.substr(0, slash)), std::string(api_version.substr(slash + 1))};
}

SourcePos Object::position_of(const std::string& pointer) const {
  if (positions) {
    std::string p = pointer;
    while (true) {
      auto it = positions->find(p);
      if (it != positions->end()) return it->second;
      if (p.empty()) break;
      auto slash = p.rfind('/');
      p = slash == std::string::npos ? std::string() : p.substr(0, slash);
    }
  }
  return source;
}

std::string describe(const Object& object) {
  std::string ns = object.namespace_();
  return object.kind() + " " + (ns.empty() ? object.name() : ns + "/" + object.name());
}

std::string json_pointer(std::initializer_list<Json> parts) {
  std::string out;
  for (const auto& part : parts) {
    out += '/';
    if (part.is_string()) {
      for (char c : part.get<std::string>()) {
        if (c == '~') out += "~0";
        else if (c == '/') out += "~1";
        else out += c;
      }
    } else {
      out += part.dump();
    }
  }
  return out;
}

}  // namespace gwsim::model
