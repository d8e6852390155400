#include "engine/model/object.h"

namespace gwsim::model {

std::string SourcePos::to_string() const {
  if (file.empty()) return {};
  if (line <= 0) return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column > 0 ? column : 1);
}

namespace {
std::string string_at(const Json& doc, const char* key) {
  auto it = doc.find(key);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
}
}  // namespace

std::string Object::api_version() const { return doc.is_object() ? string_at(doc, "apiVersion") : ""; }
std::string Object::kind() const { return doc.is_object() ? string_at(doc, "kind") : ""; }

std::string Object::name() const {
  if (!doc.is_object()) return {};
  auto it = doc.find("metadata");
  return it != doc.end() && it->is_object() ? string_at(*it, "name") : "";
}

std::string Object::namespace_() const {
  if (!doc.is_object()) return {};
  auto it = doc.find("metadata");
  return it != doc.end() && it->is_object() ? string_at(*it, "namespace") : "";
}

std::string Object::group() const {
  std::string v = api_version();
  auto slash = v.find('/');
  return slash == std::string::npos ? std::string() : v.substr(0, slash);
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
