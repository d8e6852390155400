#include "conformance/object_expectations.h"

#include <algorithm>
#include <charconv>
#include <set>

namespace gwsim::conformance {

namespace {

using detail::quote;

std::string text_of(const model::Json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

// A string field of a JSON object ("" when absent or not a string).
std::string string_field(const model::Json& object, const char* key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const model::Json& list_field(const model::Json& object, const char* key) {
  static const model::Json empty = model::Json::array();
  if (!object.is_object()) return empty;
  auto it = object.find(key);
  return it != object.end() && it->is_array() ? *it : empty;
}

std::string condition_types(const model::Json& conditions) {
  std::string out;
  for (const auto& c : conditions) out += (out.empty() ? "" : ", ") + string_field(c, "type");
  return out.empty() ? "(no conditions)" : "conditions " + out;
}

// Each expected condition is present (by type) with the fields given.
void check_conditions(std::vector<Mismatch>& out, const std::string& field,
                      const std::vector<ConditionExpectation>& expected, const model::Json& conditions) {
  for (const auto& e : expected) {
    std::string f = field + "[" + e.type + "]";
    auto it = std::find_if(conditions.begin(), conditions.end(),
                           [&](const model::Json& c) { return string_field(c, "type") == e.type; });
    if (it == conditions.end()) {
      out.push_back({f, "a condition of type " + e.type, condition_types(conditions)});
      continue;
    }
    auto compare = [&](const char* key, const std::optional<std::string>& want) {
      std::string got = string_field(*it, key);
      if (want && *want != got) out.push_back({f + "." + key, quote(*want), got.empty() ? "(none)" : quote(got)});
    };
    compare("status", e.status);
    compare("reason", e.reason);
    compare("message", e.message);
    if (e.message_contains) {
      std::string got = string_field(*it, "message");
      if (got.find(*e.message_contains) == std::string::npos)
        out.push_back({f + ".message", "containing " + quote(*e.message_contains), quote(got)});
    }
  }
}

std::string describe_ref(const ParentRefExpectation& r, const std::string& own_namespace) {
  std::string out = r.kind.value_or("Gateway") + " " + r.namespace_.value_or(own_namespace) + "/" + r.name;
  if (r.section_name) out += " sectionName " + *r.section_name;
  if (r.port) out += " port " + std::to_string(*r.port);
  return out;
}

std::string describe_ref(const model::Json& ref, const std::string& own_namespace) {
  ParentRefExpectation r;
  if (ref.contains("kind")) r.kind = string_field(ref, "kind");
  r.namespace_ = ref.contains("namespace") ? string_field(ref, "namespace") : own_namespace;
  r.name = string_field(ref, "name");
  if (ref.contains("sectionName")) r.section_name = string_field(ref, "sectionName");
  if (ref.contains("port") && ref["port"].is_number_integer()) r.port = ref["port"].get<std::int64_t>();
  return describe_ref(r, own_namespace);
}

// A status parentRef names the expected parent: the same Gateway (group, kind and namespace
// defaulted as the Gateway API defaults them) and the same sectionName and port, absent ones
// included.
bool same_parent(const ParentRefExpectation& want, const model::Json& ref, const std::string& own_namespace) {
  auto or_default = [&](const char* key, const std::string& fallback) {
    return ref.contains(key) ? string_field(ref, key) : fallback;
  };
  if (or_default("group", "gateway.networking.k8s.io") != want.group.value_or("gateway.networking.k8s.io"))
    return false;
  if (or_default("kind", "Gateway") != want.kind.value_or("Gateway")) return false;
  if (or_default("namespace", own_namespace) != want.namespace_.value_or(own_namespace)) return false;
  if (string_field(ref, "name") != want.name) return false;
  if (ref.contains("sectionName") != want.section_name.has_value()) return false;
  if (want.section_name && string_field(ref, "sectionName") != *want.section_name) return false;
  bool has_port = ref.contains("port") && ref["port"].is_number_integer();
  if (has_port != want.port.has_value()) return false;
  return !want.port || ref["port"].get<std::int64_t>() == *want.port;
}

}  // namespace

const model::Json* json_at(const model::Json& object, const std::string& dotted_path) {
  const model::Json* at = &object;
  std::size_t start = 0;
  while (start <= dotted_path.size()) {
    std::size_t dot = dotted_path.find('.', start);
    std::string segment = dotted_path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (at->is_object()) {
      auto it = at->find(segment);
      if (it == at->end()) return nullptr;
      at = &*it;
    } else if (at->is_array()) {
      std::size_t index = 0;
      auto [end, ec] = std::from_chars(segment.data(), segment.data() + segment.size(), index);
      if (ec != std::errc() || end != segment.data() + segment.size() || segment.empty() || index >= at->size())
        return nullptr;
      at = &(*at)[index];
    } else {
      return nullptr;
    }
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return at;
}

std::vector<Mismatch> check_object(const ObjectExpectation& e, const std::optional<model::Json>& object,
                                   const std::string& namespace_) {
  std::vector<Mismatch> out;
  if (!object) {
    if (e.exists) out.push_back({"exists", "true", "false (no such object)"});
    return out;
  }
  if (!e.exists) {
    out.push_back({"exists", "false", "true"});
    return out;
  }
  static const model::Json kNoStatus = model::Json::object();
  auto status_it = object->find("status");
  const model::Json& status = status_it != object->end() && status_it->is_object() ? *status_it : kNoStatus;

  check_conditions(out, "conditions", e.conditions, list_field(status, "conditions"));

  const model::Json& listeners = list_field(status, "listeners");
  for (const auto& l : e.listeners) {
    std::string f = "listeners[" + l.name + "]";
    auto it = std::find_if(listeners.begin(), listeners.end(),
                           [&](const model::Json& s) { return string_field(s, "name") == l.name; });
    if (it == listeners.end()) {
      std::string names;
      for (const auto& s : listeners) names += (names.empty() ? "" : ", ") + string_field(s, "name");
      out.push_back({f, "a listener status named " + l.name, names.empty() ? "(no listener status)" : names});
      continue;
    }
    if (l.attached_routes) {
      auto ar = it->find("attachedRoutes");
      bool ok = ar != it->end() && ar->is_number_integer() && ar->get<std::int64_t>() == *l.attached_routes;
      if (!ok)
        out.push_back(
            {f + ".attachedRoutes", std::to_string(*l.attached_routes), ar == it->end() ? "(none)" : text_of(*ar)});
    }
    if (l.supported_kinds) {
      std::set<std::string> want(l.supported_kinds->begin(), l.supported_kinds->end()), got;
      for (const auto& k : list_field(*it, "supportedKinds")) got.insert(string_field(k, "kind"));
      if (want != got) {
        auto show = [](const std::set<std::string>& s) {
          std::string text;
          for (const auto& k : s) text += (text.empty() ? "" : ", ") + k;
          return "[" + text + "]";
        };
        out.push_back({f + ".supportedKinds", show(want), show(got)});
      }
    }
    check_conditions(out, f + ".conditions", l.conditions, list_field(*it, "conditions"));
  }

  const model::Json& parents = list_field(status, "parents");
  for (const auto& p : e.parents) {
    std::string f = "parents[" + describe_ref(p.parent_ref, namespace_) + "]";
    auto it = std::find_if(parents.begin(), parents.end(), [&](const model::Json& s) {
      auto ref = s.find("parentRef");
      return ref != s.end() && same_parent(p.parent_ref, *ref, namespace_);
    });
    if (it == parents.end()) {
      std::string refs;
      for (const auto& s : parents)
        refs += (refs.empty() ? "" : "; ") + describe_ref(s.value("parentRef", model::Json::object()), namespace_);
      out.push_back({f, "a status entry for that parentRef", refs.empty() ? "(no parents)" : refs});
      continue;
    }
    if (p.controller_name && string_field(*it, "controllerName") != *p.controller_name)
      out.push_back({f + ".controllerName", quote(*p.controller_name), quote(string_field(*it, "controllerName"))});
    check_conditions(out, f + ".conditions", p.conditions, list_field(*it, "conditions"));
  }

  if (e.addresses) {
    std::vector<std::string> got;
    for (const auto& a : list_field(status, "addresses")) got.push_back(string_field(a, "value"));
    if (got != *e.addresses) {
      auto show = [](const std::vector<std::string>& v) {
        std::string text;
        for (const auto& a : v) text += (text.empty() ? "" : ", ") + a;
        return "[" + text + "]";
      };
      out.push_back({"addresses", show(*e.addresses), show(got)});
    }
  }

  for (const auto& [path, want] : e.fields) {
    const model::Json* got = json_at(*object, path);
    if (!got)
      out.push_back({"fields." + path, want.dump(), "(absent)"});
    else if (*got != want)
      out.push_back({"fields." + path, want.dump(), got->dump()});
  }
  return out;
}

}  // namespace gwsim::conformance
