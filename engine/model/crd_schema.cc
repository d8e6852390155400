// Walks an object against its CRD's schema table (detail_crd_schema_tables.cc), as the API
// server's structural schema validation does (k8s.io/apiextensions-apiserver
// pkg/apiserver/validation and the strict decoder's unknown-field check).
#include "engine/model/crd_schema.h"

#include <re2/re2.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <utility>

#include "engine/model/detail_convert.h"
#include "engine/model/detail_crd_schema_tables.h"
#include "engine/model/detail_crd_schema_tables_gateway_api.h"
#include "engine/model/kinds.h"


namespace gwsim::model {

namespace {

using detail::Node;
using detail::Type;

std::atomic<std::size_t> checks{0};

bool has(const Json& self, const char* key) {
  auto it = self.find(key);
  return it != self.end() && !it->is_null();
}

std::string escape_token(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

// The API server's structural defaulting (apiextensions-apiserver pkg/apiserver/schema/defaulting):
// a field with a default that is absent from an object that is present gets it, at every depth,
// before validation.
void apply_defaults(const Node& node, Json& v) {
  if (node.type == Type::kObject && v.is_object()) {
    for (const auto& [name, field] : node.fields) {
      auto it = v.find(name);
      if ((it == v.end() || it->is_null()) && field->default_value) v[name] = *field->default_value;
      it = v.find(name);
      if (it != v.end()) apply_defaults(*field, *it);
    }
  } else if (node.type == Type::kArray && v.is_array() && node.items) {
    for (auto& item : v) apply_defaults(*node.items, item);
  } else if (node.type == Type::kMap && v.is_object() && node.items) {
    for (auto& [key, value] : v.items()) apply_defaults(*node.items, value);
  }
}

// What a walk checks: Istio's tables run schema and rules in one walk; the Gateway API CRDs follow
// the API server's order (schema and list invariants first; the CEL rules only when nothing
// blocking was found: apiextensions-apiserver pkg/registry/customresource/strategy.go).
enum class Pass { kAll, kSchema, kRules };

class Checker {
 public:
  explicit Checker(std::vector<SchemaIssue>& out, Pass pass = Pass::kAll) : out_(pass == Pass::kRules ? discard_ : out), rules_out_(out), pass_(pass) {}

  void check(const Node& node, const Json& v, const std::string& path, const std::string& pointer) {
    // The API server's CEL validator runs a node's rules before its children's
    // (apiextensions-apiserver pkg/apiserver/schema/cel/validation.go validate); Istio's tables
    // keep their order (children first).
    if (pass_ == Pass::kRules) run_rules(node, v, path, pointer);
    switch (node.type) {
      case Type::kAny:
        return;
      case Type::kString:
        if (!v.is_string()) return type_issue(path, pointer, "string", v);
        if (!node.enum_values.empty()) {
          bool found = false;
          for (const auto& e : node.enum_values) found = found || e == v.get<std::string>();
          if (!found) {
            SchemaIssue i = base(SchemaIssue::Kind::kEnum, path, pointer, v);
            i.allowed = node.enum_values;
            out_.push_back(std::move(i));
            return;
          }
        }
        if (node.max_length && utf8_length(v.get<std::string>()) > node.max_length) {
          SchemaIssue i = base(SchemaIssue::Kind::kTooLong, path, pointer, v);
          i.limit = node.max_length;
          out_.push_back(std::move(i));
        }
        if (node.min_length && utf8_length(v.get<std::string>()) < node.min_length) {
          SchemaIssue i = base(SchemaIssue::Kind::kRange, path, pointer, v);
          i.detail = "should be at least " + std::to_string(node.min_length) + " chars long";
          out_.push_back(std::move(i));
        }
        if (node.pattern_re && !RE2::PartialMatch(v.get<std::string>(), *node.pattern_re)) {
          SchemaIssue i = base(SchemaIssue::Kind::kRange, path, pointer, v);
          i.detail = "should match '" + node.pattern + "'";
          out_.push_back(std::move(i));
        }
        break;
      case Type::kBoolean:
        if (!v.is_boolean()) return type_issue(path, pointer, "boolean", v);
        break;
      case Type::kNumber:
        if (!v.is_number()) return type_issue(path, pointer, "number", v);
        if (!range_ok(node, v, path, pointer)) return;
        break;
      case Type::kInteger: {
        // Integral floats (80.0) are integers to the API server's JSON schema check too.
        bool integral = v.is_number_integer() || (v.is_number_float() && std::isfinite(v.get<double>()) &&
                                                  std::floor(v.get<double>()) == v.get<double>());
        if (!integral) return type_issue(path, pointer, "integer", v);
        if (!range_ok(node, v, path, pointer)) return;
        if (node.int32) {
          double d = v.get<double>();
          if (d < -2147483648.0 || d > 2147483647.0) {
            SchemaIssue i = base(SchemaIssue::Kind::kRange, path, pointer, v);
            i.detail = "must fit in a 32-bit signed integer";
            out_.push_back(std::move(i));
            return;
          }
        }
        break;
      }
      case Type::kDuration: {
        if (!v.is_string()) return type_issue(path, pointer, "string", v);
        auto ns = detail::parse_go_duration_ns(v.get<std::string>());
        if (!ns) {
          SchemaIssue i = base(SchemaIssue::Kind::kFormat, path, pointer, v);
          i.expected = "duration";
          if (node.duration_rule) i.detail = "must be a valid duration greater than 1ms";
          out_.push_back(std::move(i));
          return;
        }
        if (node.duration_rule && *ns < 1000000) {
          SchemaIssue i = base(SchemaIssue::Kind::kRule, path, pointer, v);
          i.detail = "must be a valid duration greater than 1ms";
          out_.push_back(std::move(i));
        }
        break;
      }
      case Type::kBytes:
        if (!v.is_string()) return type_issue(path, pointer, "string", v);
        if (!detail::base64_decode(v.get<std::string>())) {
          SchemaIssue i = base(SchemaIssue::Kind::kFormat, path, pointer, v);
          i.expected = "byte";
          out_.push_back(std::move(i));
          return;
        }
        break;
      case Type::kArray: {
        if (!v.is_array()) return type_issue(path, pointer, "array", v);
        if (node.max_items && v.size() > node.max_items) {
          SchemaIssue i = base(SchemaIssue::Kind::kTooMany, path, pointer, v);
          i.limit = node.max_items;
          out_.push_back(std::move(i));
        }
        if (node.min_items && v.size() < node.min_items) {
          SchemaIssue i = base(SchemaIssue::Kind::kRange, path, pointer, v);
          i.detail = "should have at least " + std::to_string(node.min_items) + " items";
          out_.push_back(std::move(i));
        }
        for (std::size_t k = 0; k < v.size(); ++k) {
          std::string p = path + "[" + std::to_string(k) + "]";
          std::string ptr = pointer + "/" + std::to_string(k);
          if (v[k].is_null()) {
            type_issue(p, ptr, type_name(*node.items), v[k]);
            continue;
          }
          check(*node.items, v[k], p, ptr);
        }
        if (!node.list_map_key.empty()) {
          // A set of the keys seen (a long hostile list stays n log n).
          std::set<std::string> keys;
          for (std::size_t k = 0; k < v.size(); ++k) {
            if (!v[k].is_object() || !v[k].contains(node.list_map_key)) continue;
            const Json& key = v[k][node.list_map_key];
            if (!keys.insert(key.dump(-1, ' ', false, Json::error_handler_t::replace)).second) {
              SchemaIssue i = base(SchemaIssue::Kind::kDuplicate, path + "[" + std::to_string(k) + "]",
                                   pointer + "/" + std::to_string(k), key);
              i.field = node.list_map_key;
              out_.push_back(std::move(i));
            }
          }
        }
        if (node.list_set) {
          // x-kubernetes-list-type: set: "Duplicate value: <item>" at the second one.
          std::set<std::string> items;
          for (std::size_t k = 0; k < v.size(); ++k) {
            if (!items.insert(v[k].dump(-1, ' ', false, Json::error_handler_t::replace)).second) {
              out_.push_back(base(SchemaIssue::Kind::kDuplicate, path + "[" + std::to_string(k) + "]",
                                  pointer + "/" + std::to_string(k), v[k]));
            }
          }
        }
        break;
      }
      case Type::kMap:
        if (!v.is_object()) return type_issue(path, pointer, "object", v);
        if (node.max_properties && v.size() > node.max_properties) {
          SchemaIssue i = base(SchemaIssue::Kind::kTooMany, path, pointer, v);
          i.limit = node.max_properties;
          out_.push_back(std::move(i));
        }
        for (const auto& [key, value] : v.items()) {
          if (value.is_null()) continue;
          check(*node.items, value, path + "." + key, pointer + "/" + escape_token(key));
        }
        break;
      case Type::kObject: {
        if (!v.is_object()) return type_issue(path, pointer, "object", v);
        for (const auto& [key, value] : v.items()) {
          std::string p = path.empty() ? key : path + "." + key;
          std::string ptr = pointer + "/" + escape_token(key);
          const Node* field = node.field(key);
          if (!field) {
            SchemaIssue i = base(SchemaIssue::Kind::kUnknownField, p, ptr, value);
            i.field = key;
            // The fields this object does have, for a "did you mean" beside the API server's words.
            for (const auto& [name, _] : node.fields) i.allowed.push_back(name);
            out_.push_back(std::move(i));
            continue;
          }
          if (value.is_null()) continue;  // the API server drops null fields
          check(*field, value, p, ptr);
        }
        for (const auto& name : node.required) {
          if (!has(v, name.c_str())) {
            std::string p = path.empty() ? name : path + "." + name;
            SchemaIssue i = base(SchemaIssue::Kind::kRequired, p, pointer, nullptr);
            i.field = name;
            out_.push_back(std::move(i));
          }
        }
        for (const auto& group : node.one_of) {
          std::vector<std::string> set;
          for (const auto& name : group) {
            if (has(v, name.c_str())) set.push_back(name);
          }
          if (set.size() > 1) {
            SchemaIssue i = base(SchemaIssue::Kind::kOneOf, path, pointer, v);
            i.allowed = group;
            out_.push_back(std::move(i));
          }
        }
        break;
      }
    }
    if (pass_ == Pass::kAll) run_rules(node, v, path, pointer);
  }

 private:
  void run_rules(const Node& node, const Json& v, const std::string& path, const std::string& pointer) {
    for (const auto& rule : node.rules) {
      if (auto message = rule(v)) {
        SchemaIssue i = base(SchemaIssue::Kind::kRule, path, pointer, v);
        i.detail = *message;
        rules_out_.push_back(std::move(i));
      }
    }
  }

  static std::string type_name(const Node& n) {
    switch (n.type) {
      case Type::kString:
      case Type::kDuration:
      case Type::kBytes:
        return "string";
      case Type::kInteger:
        return "integer";
      case Type::kNumber:
        return "number";
      case Type::kBoolean:
        return "boolean";
      case Type::kObject:
      case Type::kMap:
        return "object";
      case Type::kArray:
        return "array";
      case Type::kAny:
        break;
    }
    return "object";
  }

  static SchemaIssue base(SchemaIssue::Kind kind, const std::string& path, const std::string& pointer, const Json& v) {
    SchemaIssue i;
    i.kind = kind;
    i.path = path;
    i.pointer = pointer;
    i.value = v;
    return i;
  }

  void type_issue(const std::string& path, const std::string& pointer, const std::string& expected, const Json& v) {
    SchemaIssue i = base(SchemaIssue::Kind::kType, path, pointer, v);
    i.expected = expected;
    out_.push_back(std::move(i));
  }

  bool range_ok(const Node& node, const Json& v, const std::string& path, const std::string& pointer) {
    double d = v.get<double>();
    auto bound = [](double b) {
      Json j = b == std::floor(b) && std::fabs(b) < 1e18 ? Json(static_cast<long long>(b)) : Json(b);
      return j.dump(-1, ' ', false, Json::error_handler_t::replace);
    };
    if (node.minimum && d < *node.minimum) {
      SchemaIssue i = base(SchemaIssue::Kind::kRange, path, pointer, v);
      i.detail = "should be greater than or equal to " + bound(*node.minimum);
      out_.push_back(std::move(i));
      return false;
    }
    if (node.maximum && d > *node.maximum) {
      SchemaIssue i = base(SchemaIssue::Kind::kRange, path, pointer, v);
      i.detail = "should be less than or equal to " + bound(*node.maximum);
      out_.push_back(std::move(i));
      return false;
    }
    return true;
  }

  // Characters as the API server counts them for maxLength/minLength (UTF-8 code points).
  static std::size_t utf8_length(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80 ? 1 : 0;
    return n;
  }

  std::vector<SchemaIssue> discard_;
  std::vector<SchemaIssue>& out_;
  std::vector<SchemaIssue>& rules_out_;
  Pass pass_;
};

// The issues that stop the API server from running the CEL rules (hasBlockingErr: NotSupported,
// Required, TooLong, TooMany, TypeInvalid).
bool blocks_rules(const SchemaIssue& issue) {
  using K = SchemaIssue::Kind;
  switch (issue.kind) {
    case K::kEnum:
    case K::kRequired:
    case K::kTooLong:
    case K::kTooMany:
    case K::kType:
    case K::kUnknownField:
      return true;
    default:
      return false;
  }
}

std::string version_of(const Object& object) {
  std::string v = object.api_version();
  auto slash = v.find('/');
  return slash == std::string::npos ? v : v.substr(slash + 1);
}


std::string describe_value(const Json& v) {
  if (v.is_object()) return "a mapping";
  if (v.is_array()) return "a list";
  if (v.is_null()) return "null";
  return v.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string article(const std::string& type) {
  if (type == "integer") return "an integer";
  if (type == "object") return "a mapping";
  if (type == "array") return "a list";
  return "a " + type;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

}  // namespace

std::string json_type_name(const Json& v) {
  if (v.is_string()) return "string";
  if (v.is_boolean()) return "boolean";
  if (v.is_number_integer()) return "integer";
  if (v.is_number()) return "number";
  if (v.is_array()) return "array";
  if (v.is_object()) return "object";
  return "null";
}

std::string go_value_text(const Json& v) {
  if (!v.is_number_float()) return v.dump(-1, ' ', false, Json::error_handler_t::replace);
  double d = v.get<double>();
  char buf[64];
  const bool exponent = d != 0 && (std::fabs(d) < 1e-4 || std::fabs(d) >= 1e21);
  for (int precision = 0; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, exponent ? "%.*e" : "%.*f", precision, d);
    if (std::strtod(buf, nullptr) == d) break;
  }
  return buf;
}

bool SchemaIssue::structural() const {
  switch (kind) {
    case Kind::kUnknownField:
    case Kind::kType:
    case Kind::kFormat:
    case Kind::kEnum:
      return true;
    case Kind::kRange:
      return value.is_number();
    default:
      return false;
  }
}

std::string SchemaIssue::message() const {
  switch (kind) {
    case Kind::kUnknownField:
      return path + ": unknown field \"" + field + "\"";
    case Kind::kType:
      return path + ": expected " + article(expected) + ", got " + describe_value(value);
    case Kind::kFormat:
      if (expected == "duration") {
        return path + ": invalid duration " + value.dump(-1, ' ', false, Json::error_handler_t::replace) + " (write it like 1s, 1.5s, 100ms, 1m or 1h)";
      }
      return path + ": invalid base64 data";
    case Kind::kEnum:
      return path + ": unsupported value " + value.dump(-1, ' ', false, Json::error_handler_t::replace) + " (supported: " + join(allowed) + ")";
    case Kind::kRange:
      if (!value.is_number()) return path + ": invalid value " + describe_value(value) + ": " + detail;
      return path + ": " + go_value_text(value) + " is out of range: " + detail;
    case Kind::kOneOf:
      return path + ": only one of " + join(allowed) + " may be set";
    case Kind::kDuplicate:
      if (field.empty()) return path + ": duplicate entry " + value.dump(-1, ' ', false, Json::error_handler_t::replace);
      return path + ": duplicate entry with " + field + " " + value.dump(-1, ' ', false, Json::error_handler_t::replace);
    // These read as the API server words them.
    case Kind::kRequired:
      return path + ": Required value";
    case Kind::kTooMany:
      return path + ": Too many: " + std::to_string(value.size()) + ": must have at most " + std::to_string(limit) +
             " items";
    case Kind::kTooLong:
      return path + ": Too long: may not be more than " + std::to_string(limit) + " bytes";
    case Kind::kRule:
      return path + ": Invalid value: \"" + json_type_name(value) + "\": " + detail;
  }
  return path;
}

bool has_crd_schema(const std::string& group, const std::string& kind) {
  if (group == kGatewayApiGroup) {
    for (const auto& source : detail::gateway_api_schema_sources()) {
      if (kind == source.kind) return true;
    }
    return false;
  }
  return (group == "networking.istio.io" || group == "networking.k8s.io" || group == "security.istio.io") &&
         detail::crd_schema_for(group, kind, "v1") != nullptr;
}

std::vector<SchemaIssue> check_crd_schema(const Object& object) {
  std::vector<SchemaIssue> issues;
  if (!has_crd_schema(object.group(), object.kind())) return issues;
  const Node* schema = detail::crd_schema_for(object.group(), object.kind(), version_of(object));
  if (!schema) return issues;  // a version the CRD does not serve: the kind's reader names it
  checks.fetch_add(1, std::memory_order_relaxed);
  if (object.group() != kGatewayApiGroup) {
    Checker checker(issues);
    checker.check(*schema, object.doc, "", "");
    return issues;
  }
  Json doc = object.doc;
  apply_defaults(*schema, doc);
  Checker(issues, Pass::kSchema).check(*schema, doc, "", "");
  // The list-type map and set invariants are checked after the schema
  // (structurallisttype.ValidateListSetsAndMaps in customResourceStrategy.Validate).
  std::stable_partition(issues.begin(), issues.end(),
                        [](const SchemaIssue& i) { return i.kind != SchemaIssue::Kind::kDuplicate; });
  bool blocked = false, unknown = false;
  for (const auto& issue : issues) {
    blocked = blocked || blocks_rules(issue);
    unknown = unknown || issue.kind == SchemaIssue::Kind::kUnknownField;
  }
  if (unknown) return issues;  // strict decoding refuses the object before validation
  if (blocked) {
    // The API server's own note, on no field (a nil path prints as "<nil>").
    SchemaIssue note;
    note.kind = SchemaIssue::Kind::kRule;
    note.path = "<nil>";
    note.detail = "some validation rules were not checked because the object was invalid; correct the existing "
                  "errors to complete validation";
    issues.push_back(std::move(note));
    return issues;
  }
  Checker(issues, Pass::kRules).check(*schema, doc, "", "");
  return issues;
}

namespace {

// Walks the new and old documents together (object fields by name; list items are not
// correlated: no transition rule of these CRDs sits under a list).
void check_transitions(const Node& node, const Json& now, const Json& old, const std::string& path,
                       const std::string& pointer, std::vector<SchemaIssue>& out) {
  if (!node.immutable_messages.empty() && now != old) {
    for (const auto& message : node.immutable_messages) {
      SchemaIssue i;
      i.kind = SchemaIssue::Kind::kRule;
      i.path = path;
      i.pointer = pointer;
      i.value = now;
      i.detail = message;
      out.push_back(std::move(i));
    }
  }
  if (node.type != Type::kObject || !now.is_object() || !old.is_object()) return;
  for (const auto& [name, field] : node.fields) {
    auto a = now.find(name);
    auto b = old.find(name);
    if (a == now.end() || b == old.end() || a->is_null() || b->is_null()) continue;
    check_transitions(*field, *a, *b, path.empty() ? name : path + "." + name, pointer + "/" + escape_token(name), out);
  }
}

}  // namespace

std::vector<SchemaIssue> check_crd_update(const Object& object, const Object& old) {
  std::vector<SchemaIssue> issues = check_crd_schema(object);
  if (!issues.empty() || object.group() != kGatewayApiGroup) return issues;
  const Node* schema = detail::crd_schema_for(object.group(), object.kind(), version_of(object));
  if (!schema) return issues;
  check_transitions(*schema, with_crd_defaults(object), with_crd_defaults(old), "", "", issues);
  return issues;
}

Json with_crd_defaults(const Object& object) {
  Json doc = object.doc;
  const Node* schema = detail::crd_schema_for(object.group(), object.kind(), version_of(object));
  if (schema && object.group() == kGatewayApiGroup) apply_defaults(*schema, doc);
  return doc;
}

std::vector<std::pair<std::string, std::string>> unevaluated_crd_rules() { return detail::unevaluated_crd_rules(); }

std::size_t crd_schema_checks() { return checks.load(std::memory_order_relaxed); }

}  // namespace gwsim::model
