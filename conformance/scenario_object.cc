// An `object` step: which object of the simulated cluster to read, and what its `expect`
// says about it (docs/scenario-format.md). Checked by conformance/object_expectations.h.
#include <set>
#include <string>
#include <vector>

#include "conformance/scenario_parser.h"
#include "engine/model/kinds.h"

namespace gwsim::conformance::detail {

namespace {

std::vector<std::string> known_kind_names() {
  std::set<std::string> names;
  for (const auto& info : model::known_kinds()) names.insert(info.kind);
  return {names.begin(), names.end()};
}

}  // namespace

std::optional<ObjectSpec> ScenarioParser::parse_object(const Node& node, const std::string& path) {
  if (!p_.mapping(node, path, {"apiVersion", "kind", "namespace", "name"})) return std::nullopt;
  std::size_t errors_before = p_.errors.size();
  ObjectSpec o;
  if (node["apiVersion"].IsDefined()) o.api_version = p_.string(node["apiVersion"], path + ".apiVersion").value_or("");
  if (!node["kind"].IsDefined()) {
    p_.error(node, path + ".kind is required");
  } else if (auto kind = p_.string(node["kind"], path + ".kind")) {
    o.kind = *kind;
    std::vector<const model::KindInfo*> named;
    for (const auto& info : model::known_kinds())
      if (*kind == info.kind) named.push_back(&info);
    if (named.empty()) {
      std::string hint = text::closest_name(*kind, known_kind_names());
      p_.error(node["kind"], path + ".kind: unknown kind \"" + *kind + "\"" +
                                 (hint.empty() ? std::string() : "; did you mean \"" + hint + "\"?"));
    } else if (!o.api_version.empty()) {
      std::string group = model::split_api_version(o.api_version).first;
      if (!model::find_kind(group, *kind))
        p_.error(node["apiVersion"], path + ".apiVersion: no kind " + *kind + " in \"" + o.api_version + "\"; " +
                                         *kind + " is " + model::preferred_api_version(*named.front()) +
                                         (named.size() > 1 ? " or " + model::preferred_api_version(*named[1]) : ""));
    } else if (named.size() == 1 || *kind == "Gateway") {
      // Without apiVersion, Gateway means Istio's (networking.istio.io), the first one known.
      o.api_version = model::preferred_api_version(*named.front());
    } else {
      std::string choices;
      for (const auto* info : named) choices += (choices.empty() ? "" : ", ") + model::preferred_api_version(*info);
      p_.error(node["kind"], path + ".kind: " + *kind + " is in several groups; give apiVersion (" + choices + ")");
    }
  }
  if (node["namespace"].IsDefined())
    o.namespace_ = p_.string(node["namespace"], path + ".namespace").value_or("default");
  if (!node["name"].IsDefined())
    p_.error(node, path + ".name is required");
  else
    o.name = p_.string(node["name"], path + ".name").value_or("");
  if (p_.errors.size() != errors_before) return std::nullopt;
  return o;
}

std::vector<ConditionExpectation> ScenarioParser::parse_conditions(const Node& node, const std::string& path) {
  std::vector<ConditionExpectation> out;
  if (!node.IsSequence()) {
    p_.error(node, path + ": expected a list of conditions" + StrictYamlReader::kind_suffix(node));
    return out;
  }
  std::set<std::string> types;
  for (std::size_t i = 0; i < node.size(); ++i) {
    const Node item = node[i];
    std::string ip = path + "[" + std::to_string(i) + "]";
    if (!p_.mapping(item, ip, {"type", "status", "reason", "message", "messageContains"})) continue;
    ConditionExpectation c;
    if (!item["type"].IsDefined()) {
      p_.error(item, ip + ".type is required");
    } else if (auto v = p_.string(item["type"], ip + ".type")) {
      c.type = *v;
      if (!types.insert(*v).second) p_.error(item["type"], ip + ".type: condition " + *v + " is listed twice");
    }
    if (item["status"].IsDefined()) {
      c.status = p_.string(item["status"], ip + ".status");
      if (c.status && *c.status != "True" && *c.status != "False" && *c.status != "Unknown")
        p_.error(item["status"],
                 ip + ".status: expected \"True\", \"False\" or \"Unknown\", got \"" + *c.status + "\"");
    }
    if (item["reason"].IsDefined()) c.reason = p_.string(item["reason"], ip + ".reason");
    if (item["message"].IsDefined()) c.message = p_.string(item["message"], ip + ".message");
    if (item["messageContains"].IsDefined())
      c.message_contains = p_.string(item["messageContains"], ip + ".messageContains");
    if (c.message && c.message_contains)
      p_.error(item["messageContains"], ip + ": give message or messageContains, not both");
    out.push_back(std::move(c));
  }
  return out;
}

std::optional<ObjectExpectation> ScenarioParser::parse_object_expect(const Node& node, const std::string& path) {
  if (!p_.mapping(node, path, {"exists", "conditions", "listeners", "parents", "addresses", "fields"}))
    return std::nullopt;
  if (node.size() == 0) {
    p_.error(node, path + ": no expectation given; a step with `expect` must assert something");
    return std::nullopt;
  }
  std::size_t errors_before = p_.errors.size();
  ObjectExpectation e;
  if (node["exists"].IsDefined()) e.exists = p_.boolean(node["exists"], path + ".exists").value_or(true);
  if (!e.exists && node.size() > 1)
    p_.error(node["exists"], path + ".exists: false checks that the object is gone; nothing else can be checked");
  if (node["conditions"].IsDefined()) e.conditions = parse_conditions(node["conditions"], path + ".conditions");

  const Node listeners = node["listeners"];
  if (listeners.IsDefined()) {
    if (!listeners.IsSequence()) {
      p_.error(listeners, path + ".listeners: expected a list" + StrictYamlReader::kind_suffix(listeners));
    } else {
      std::set<std::string> names;
      for (std::size_t i = 0; i < listeners.size(); ++i) {
        const Node item = listeners[i];
        std::string ip = path + ".listeners[" + std::to_string(i) + "]";
        if (!p_.mapping(item, ip, {"name", "attachedRoutes", "supportedKinds", "conditions"})) continue;
        ListenerExpectation l;
        if (!item["name"].IsDefined()) {
          p_.error(item, ip + ".name is required");
        } else if (auto v = p_.string(item["name"], ip + ".name")) {
          l.name = *v;
          if (!names.insert(*v).second) p_.error(item["name"], ip + ".name: listener " + *v + " is listed twice");
        }
        if (item["attachedRoutes"].IsDefined())
          l.attached_routes = p_.integer(item["attachedRoutes"], ip + ".attachedRoutes", 0, 1000000);
        if (item["supportedKinds"].IsDefined())
          l.supported_kinds = p_.string_list(item["supportedKinds"], ip + ".supportedKinds");
        if (item["conditions"].IsDefined()) l.conditions = parse_conditions(item["conditions"], ip + ".conditions");
        e.listeners.push_back(std::move(l));
      }
    }
  }

  const Node parents = node["parents"];
  if (parents.IsDefined()) {
    if (!parents.IsSequence()) {
      p_.error(parents, path + ".parents: expected a list" + StrictYamlReader::kind_suffix(parents));
    } else {
      for (std::size_t i = 0; i < parents.size(); ++i) {
        const Node item = parents[i];
        std::string ip = path + ".parents[" + std::to_string(i) + "]";
        if (!p_.mapping(item, ip, {"parentRef", "controllerName", "conditions"})) continue;
        ParentExpectation pe;
        const Node ref = item["parentRef"];
        std::string rp = ip + ".parentRef";
        if (!ref.IsDefined()) {
          p_.error(item, rp + " is required");
        } else if (p_.mapping(ref, rp, {"group", "kind", "namespace", "name", "sectionName", "port"})) {
          ParentRefExpectation& r = pe.parent_ref;
          if (ref["group"].IsDefined()) r.group = p_.string(ref["group"], rp + ".group");
          if (ref["kind"].IsDefined()) r.kind = p_.string(ref["kind"], rp + ".kind");
          if (ref["namespace"].IsDefined()) r.namespace_ = p_.string(ref["namespace"], rp + ".namespace");
          if (!ref["name"].IsDefined())
            p_.error(ref, rp + ".name is required");
          else
            r.name = p_.string(ref["name"], rp + ".name").value_or("");
          if (ref["sectionName"].IsDefined()) r.section_name = p_.string(ref["sectionName"], rp + ".sectionName");
          if (ref["port"].IsDefined()) r.port = p_.integer(ref["port"], rp + ".port", 1, 65535);
        }
        if (item["controllerName"].IsDefined())
          pe.controller_name = p_.string(item["controllerName"], ip + ".controllerName");
        if (item["conditions"].IsDefined()) pe.conditions = parse_conditions(item["conditions"], ip + ".conditions");
        e.parents.push_back(std::move(pe));
      }
    }
  }

  if (node["addresses"].IsDefined()) e.addresses = p_.string_list(node["addresses"], path + ".addresses");

  const Node fields = node["fields"];
  if (fields.IsDefined()) {
    if (!fields.IsMap() || fields.size() == 0) {
      p_.error(fields,
               path + ".fields: expected a mapping of dotted paths to values" + StrictYamlReader::kind_suffix(fields));
    } else {
      for (auto it = fields.begin(); it != fields.end(); ++it) {
        auto key = p_.string(it->first, path + ".fields");
        if (!key) continue;
        if (key->empty() || key->front() == '.' || key->back() == '.' || key->find("..") != std::string::npos) {
          p_.error(it->first, path + ".fields: \"" + *key + "\" is not a dotted path (e.g. spec.replicas)");
          continue;
        }
        model::PositionMap positions;
        e.fields.emplace_back(*key, model::yaml_to_json(it->second, file_, positions));
      }
    }
  }
  if (p_.errors.size() != errors_before) return std::nullopt;
  return e;
}

}  // namespace gwsim::conformance::detail
