// Unknown fields of the built-in kinds, from the Go types' protobuf schema (field_validation.h).
#include "fakes/apiserver/field_validation.h"

#include "fakes/apiserver/detail_proto_messages.h"

#include <functional>
#include <map>
#include <set>
#include <sstream>

namespace gwsim::fakes {

namespace {

struct FieldType {
  char kind = 'o';   // 'o' one value, 'r' repeated (a JSON array), 'm' map<string, type> (a JSON object)
  std::string type;  // "string", "core.PodSpec", ...
};
using Fields = std::map<std::string, FieldType>;  // JSON name -> type

// Embedded Go structs whose fields appear in their parent's JSON object (`json:",inline"`).
bool inlined(const std::string& json_name) {
  static const std::set<std::string> names = {"localObjectReference", "ephemeralContainerCommon", "volumeSource",
                                              "volumeStatus"};
  return names.count(json_name) > 0;
}

// Types whose JSON is not an object of their message's fields: a string, a number or free JSON.
bool opaque(const std::string& type) {
  return type.find('.') == std::string::npos || type == "meta.Time" || type == "meta.MicroTime" ||
         type == "intstr.IntOrString" || type == "res.Quantity" || type == "meta.FieldsV1" ||
         type == "rt.RawExtension";
}

const std::map<std::string, Fields>& messages() {
  static const std::map<std::string, Fields> parsed = [] {
    // Each message's fields in field-number order, from the one parse of the schema.
    std::map<std::string, std::vector<std::pair<std::string, FieldType>>> raw;
    for (const auto& [message, fields] : detail::proto_messages()) {
      auto& list = raw[message];  // messages without fields too
      for (const auto& [number, field] : fields) list.emplace_back(field.name, FieldType{field.kind, field.type});
    }
    // Inline the embedded structs (they may nest: EphemeralContainer <- EphemeralContainerCommon).
    std::map<std::string, Fields> out;
    std::function<void(const std::string&, Fields&, int)> add = [&](const std::string& message, Fields& into,
                                                                   int depth) {
      auto it = raw.find(message);
      if (it == raw.end() || depth > 4) return;
      for (const auto& [name, f] : it->second) {
        if (inlined(name) && f.kind == 'o' && !opaque(f.type))
          add(f.type, into, depth + 1);
        else
          into[name] = f;
      }
    };
    for (const auto& [name, fields] : raw) add(name, out[name], 0);
    return out;
  }();
  return parsed;
}

std::string message_of(const std::string& group, const std::string& kind) {
  if (group.empty()) return "core." + kind;
  if (group == "apps") return "apps." + kind;
  return {};
}

void walk(Json& value, const std::string& type, const std::string& path, std::vector<std::string>& unknown,
          bool top);

void walk_message(Json& object, const Fields& fields, const std::string& path, std::vector<std::string>& unknown,
                  bool top) {
  for (auto it = object.begin(); it != object.end();) {
    const std::string& key = it.key();
    const std::string here = path.empty() ? key : path + "." + key;
    auto f = fields.find(key);
    if (f == fields.end() && !(top && (key == "apiVersion" || key == "kind"))) {
      unknown.push_back(here);
      it = object.erase(it);
      continue;
    }
    if (f != fields.end() && !opaque(f->second.type)) {
      const FieldType& t = f->second;
      if (t.kind == 'r' && it->is_array()) {
        for (std::size_t i = 0; i < it->size(); ++i)
          walk((*it)[i], t.type, here + "[" + std::to_string(i) + "]", unknown, false);
      } else if (t.kind == 'm' && it->is_object()) {
        for (auto& [k, v] : it->items()) walk(v, t.type, here + "." + k, unknown, false);
      } else if (t.kind == 'o') {
        walk(*it, t.type, here, unknown, false);
      }
    }
    ++it;
  }
}

void walk(Json& value, const std::string& type, const std::string& path, std::vector<std::string>& unknown,
          bool top) {
  if (!value.is_object()) return;  // a type error is not an unknown field
  auto it = messages().find(type);
  if (it == messages().end()) return;
  walk_message(value, it->second, path, unknown, top);
}

// Whether a JSON value fits a scalar field of `type`; "" when it does, else Go's words for what
// it is ("number 4294967297", "array", "object"). Scalars of other types are left to validation.
std::string misfit(const Json& v, const std::string& type) {
  if (v.is_array()) return "array";
  if (v.is_object()) return "object";
  if (!v.is_number_integer() || (type != "int32" && type != "uint32")) return {};
  const bool fits = v.is_number_unsigned()
                        ? v.get<std::uint64_t>() <= (type == "int32" ? 2147483647ull : 4294967295ull)
                        : v.get<std::int64_t>() >= (type == "int32" ? -2147483648ll : 0) &&
                              v.get<std::int64_t>() <= (type == "int32" ? 2147483647ll : 4294967295ll);
  return fits ? std::string() : "number " + v.dump();
}

// The first field whose value its Go type cannot hold, in the words of Go's encoding/json (whose
// field paths name no array index or map key).
std::string first_misfit(const Json& value, const std::string& type, const std::string& path) {
  if (!value.is_object()) return {};
  auto it = messages().find(type);
  if (it == messages().end()) return {};
  const std::string go_type = type.substr(type.find('.') + 1);
  for (const auto& [key, child] : value.items()) {
    auto f = it->second.find(key);
    if (f == it->second.end()) continue;
    const FieldType& t = f->second;
    const std::string here = path.empty() ? key : path + "." + key;
    // A scalar field (JSON-only types such as Quantity or Time are left to their own decoders).
    const bool scalar = t.type.find('.') == std::string::npos;
    auto check = [&](const Json& v, const std::string& at) -> std::string {
      if (!scalar) return first_misfit(v, t.type, at);
      const std::string what = misfit(v, t.type);
      if (what.empty()) return {};
      return "json: cannot unmarshal " + what + " into Go struct field " + go_type + "." + here + " of type " +
             (t.type == "bytes" ? "[]uint8" : t.type);
    };
    if (opaque(t.type) && !scalar) continue;
    std::string error;
    if (t.kind == 'r' && child.is_array()) {
      for (std::size_t i = 0; i < child.size() && error.empty(); ++i)
        error = check(child[i], here);
    } else if (t.kind == 'm' && child.is_object()) {
      for (const auto& v : child)
        if (error.empty()) error = check(v, here);
    } else if (t.kind == 'o' || child.is_array() || child.is_object()) {
      if (scalar || t.kind == 'o') error = check(child, here);
    }
    if (!error.empty()) return error;
  }
  return {};
}

}  // namespace

bool parse_field_validation(const std::string& value, FieldValidation& out) {
  if (value.empty() || value == "Warn") {
    out = FieldValidation::kWarn;
  } else if (value == "Strict") {
    out = FieldValidation::kStrict;
  } else if (value == "Ignore") {
    out = FieldValidation::kIgnore;
  } else {
    return false;
  }
  return true;
}

bool has_field_schema(const std::string& group, const std::string& kind) {
  const std::string type = message_of(group, kind);
  return !type.empty() && messages().count(type) > 0;
}

std::vector<std::string> drop_unknown_fields(Json& doc, const std::string& group, const std::string& kind) {
  std::vector<std::string> unknown;
  if (!has_field_schema(group, kind)) return unknown;
  walk(doc, message_of(group, kind), "", unknown, true);
  return unknown;
}

}  // namespace gwsim::fakes

namespace gwsim::fakes {

std::string decoding_error(const Json& doc, const std::string& group, const std::string& kind) {
  if (!has_field_schema(group, kind)) return {};
  return first_misfit(doc, message_of(group, kind), "");
}

}  // namespace gwsim::fakes
