// Status conditions (pilot/pkg/config/kube/gatewaycommon/conversion.go SetListenerConditions,
// pilot/pkg/config/kube/gateway/conditions.go).
#include <algorithm>
#include <set>

#include "engine/kube_gateway/detail_conversion.h"

namespace gwsim::kube_gateway::detail {

model::Json set_conditions(std::int64_t generation, model::Json existing, const Conditions& conditions) {
  if (!existing.is_array()) existing = model::Json::array();
  for (const auto& [type, c] : conditions) {  // std::map: type order, as slices.Sort(maps.Keys(...))
    model::Json condition = {{"type", type}};
    if (c.error) {
      // kstatus.InvertStatus: "" (True) and True become False; False becomes True.
      condition["status"] = c.status == "False" ? "True" : "False";
      condition["reason"] = c.error->reason;
      condition["message"] = c.error->message;
    } else {
      condition["status"] = c.status.empty() ? "True" : c.status;
      condition["reason"] = c.reason;
      condition["message"] = c.message;
    }
    if (generation > 0) condition["observedGeneration"] = generation;
    bool replaced = false;
    for (auto& e : existing) {
      if (e.is_object() && e.value("type", "") == type) {
        // kstatus.UpdateConditionIfChanged keeps the old transition time when nothing changed.
        if (e.value("status", "") == condition["status"] && e.contains("lastTransitionTime"))
          condition["lastTransitionTime"] = e["lastTransitionTime"];
        e = condition;
        replaced = true;
        break;
      }
    }
    if (!replaced) existing.push_back(condition);
  }
  return existing;
}

namespace {

// Severity of a denied binding, most severe last (rankParentError).
int rank(const RouteParentResult& r) {
  if (!r.denied_reason) return 0;
  const std::string& reason = r.denied_reason->reason;
  if (reason == "NotAllowedByListeners") return 1;
  if (reason == "NoMatchingListenerHostname") return 2;
  if (reason == "ParentRefConflict") return 3;
  if (reason == "NoMatchingParent") return 4;
  return 0;
}

// A parentRef as status wrote it back.
gwapi::ParentReference parent_ref_from_json(const model::Json& p) {
  gwapi::ParentReference r;
  if (!p.is_object()) return r;
  auto opt = [&](const char* k) -> std::optional<std::string> {
    auto f = p.find(k);
    if (f == p.end() || !f->is_string()) return std::nullopt;
    return f->get<std::string>();
  };
  r.group = opt("group");
  r.kind = opt("kind");
  r.namespace_ = opt("namespace");
  r.name = opt("name").value_or("");
  r.section_name = opt("sectionName");
  if (auto f = p.find("port"); f != p.end() && f->is_number_integer()) r.port = f->get<std::int32_t>();
  return r;
}

}  // namespace

// createRouteStatus: one entry per parentRef. A parentRef that means several listeners reports
// success when any of them accepted the route, else the least severe denial (messages of equal
// rank joined with "; ").
model::Json create_route_status(const std::vector<RouteParentResult>& results, const std::string& object_namespace,
                                std::int64_t generation, const model::Json& current_parents) {
  using model::Json;
  Json parents = current_parents.is_array() ? current_parents : Json::array();
  std::map<std::string, size_t> parent_indexes;  // our existing entries
  for (size_t i = 0; i < parents.size(); ++i) {
    const Json& p = parents[i];
    if (!p.is_object() || p.value("controllerName", "") != gwapi::kIstioController) continue;
    const gwapi::ParentReference ref = parent_ref_from_json(p.value("parentRef", Json::object()));
    parent_indexes.emplace(parent_ref_string(ref, object_namespace), i);
  }
  std::map<size_t, std::vector<RouteParentResult>> seen;
  std::map<size_t, int> success;
  for (const auto& r : results) {
    if (!r.denied_reason) ++success[r.ref_index];
    seen[r.ref_index].push_back(r);
  }
  std::vector<std::pair<std::string, Json>> to_append;  // (parentRefString, entry)
  for (auto& [index, list] : seen) {
    RouteParentResult report = list[0];
    int severest = rank(report);
    for (size_t i = 1; i < list.size(); ++i) {
      const int r = rank(list[i]);
      if (r < severest) {
        severest = r;
        report = list[i];
      } else if (r == severest) {
        if (!report.denied_reason)
          report.denied_reason = list[i].denied_reason;
        else if (list[i].denied_reason)
          report.denied_reason->message += "; " + list[i].denied_reason->message;
      }
    }
    const int count = success[index];
    Conditions conditions = {
        {"Accepted",
         {"Accepted", count > 1 ? "Route was valid, bound to " + std::to_string(count) + " parents" : "Route was valid",
          "", std::nullopt}},
        {"ResolvedRefs", {"ResolvedRefs", "All references resolved", "", std::nullopt}},
    };
    // General route errors are reported as reference errors: the spec has no other place.
    if (report.route_error) conditions["ResolvedRefs"].error = report.route_error;
    if (report.denied_reason)
      conditions["Accepted"].error = ConfigError{report.denied_reason->reason, report.denied_reason->message};
    const std::string key = parent_ref_string(report.original_reference, object_namespace);
    Json existing = Json::array();
    auto found = parent_indexes.find(key);
    if (found != parent_indexes.end()) existing = parents[found->second].value("conditions", Json::array());
    Json entry = {{"parentRef", report.original_reference.raw},
                  {"controllerName", gwapi::kIstioController},
                  {"conditions", set_conditions(generation, existing, conditions)}};
    if (found != parent_indexes.end()) {
      parents[found->second] = entry;
      parent_indexes.erase(found);
    } else {
      to_append.emplace_back(key, entry);
    }
  }
  // Deterministic order: by parentRefString, descending (as Istio sorts them).
  std::stable_sort(to_append.begin(), to_append.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::set<size_t> stale;
  for (const auto& [k, i] : parent_indexes) stale.insert(i);
  Json out = Json::array();
  for (size_t i = 0; i < parents.size(); ++i) {
    if (!stale.count(i)) out.push_back(parents[i]);
  }
  for (auto& [key, e] : to_append) out.push_back(std::move(e));
  return out;
}

}  // namespace gwsim::kube_gateway::detail
