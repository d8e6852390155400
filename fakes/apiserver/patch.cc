#include "fakes/apiserver/patch.h"

#include <algorithm>
#include <map>
#include <set>

namespace gwsim::fakes {

namespace {

using Path = std::vector<std::string>;

bool builtin_group(const std::string& group) { return group.empty() || group == "apps" || group == "batch"; }

bool starts_with(const Path& path, const Path& prefix) {
  return path.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), path.begin());
}

// Where a kind keeps its PodSpec.
std::vector<Path> pod_spec_prefixes(const std::string& group, const std::string& kind) {
  if (group.empty() && kind == "Pod") return {{"spec"}};
  if (group.empty() && kind == "PodTemplate") return {{"template", "spec"}};
  if ((group.empty() && kind == "ReplicationController") ||
      (group == "apps" && (kind == "Deployment" || kind == "ReplicaSet" || kind == "StatefulSet" ||
                           kind == "DaemonSet")) ||
      (group == "batch" && kind == "Job"))
    return {{"spec", "template", "spec"}};
  if (group == "batch" && kind == "CronJob") return {{"spec", "jobTemplate", "spec", "template", "spec"}};
  return {};
}

ListPolicy keyed(const char* key) { return {ListPolicy::Strategy::kMergeByKey, key}; }

bool is_container_list(const std::string& name) {
  return name == "containers" || name == "initContainers" || name == "ephemeralContainers";
}

// ---- RFC 7386 ---------------------------------------------------------------------------------

Json merge_patch_value(const Json& original, const Json& patch) {
  if (!patch.is_object()) return patch;
  Json result = original.is_object() ? original : Json::object();
  for (const auto& [key, value] : patch.items()) {
    if (value.is_null()) {
      result.erase(key);
    } else {
      auto it = result.find(key);
      result[key] = merge_patch_value(it == result.end() ? Json() : *it, value);
    }
  }
  return result;
}

// ---- strategic merge patch ----------------------------------------------------------------------

struct Smp {
  const std::string& group;
  const std::string& kind;
};

bool is_directive_key(const std::string& key) { return !key.empty() && key[0] == '$'; }

// A patch value with every directive removed (a value added where the original has nothing).
Json strip_directives(const Json& value) {
  if (value.is_object()) {
    Json out = Json::object();
    for (const auto& [k, v] : value.items()) {
      if (is_directive_key(k) || k.rfind("$setElementOrder/", 0) == 0) continue;
      if (v.is_null()) continue;
      out[k] = strip_directives(v);
    }
    return out;
  }
  if (value.is_array()) {
    Json out = Json::array();
    for (const auto& v : value) {
      if (v.is_object() && v.contains("$patch")) continue;
      out.push_back(strip_directives(v));
    }
    return out;
  }
  return value;
}

Result<Json> smp_map(const Smp& smp, const Json& original, const Json& patch, const Path& path);

bool same_key(const Json& element, const std::string& key, const Json& value) {
  if (!element.is_object()) return false;
  auto it = element.find(key);
  return it != element.end() && *it == value;
}

Result<Json> smp_list(const Smp& smp, const Json& original, const Json& patch, const Path& path) {
  const ListPolicy policy = list_policy(smp.group, smp.kind, path);
  // {"$patch":"replace"} anywhere in the list replaces the whole list.
  for (const auto& element : patch)
    if (element.is_object() && element.value("$patch", "") == "replace") return strip_directives(patch);

  if (policy.strategy == ListPolicy::Strategy::kSet) {
    Json result = original.is_array() ? original : Json::array();
    for (const auto& v : patch)
      if (std::find(result.begin(), result.end(), v) == result.end()) result.push_back(v);
    return result;
  }
  if (policy.strategy == ListPolicy::Strategy::kAtomic) return strip_directives(patch);

  Json result = original.is_array() ? original : Json::array();
  for (const auto& element : patch) {
    if (!element.is_object() || !element.contains(policy.key)) {
      // An element without its merge key cannot be matched: the real server refuses it.
      return make_error("map: " + element.dump() + " does not contain declared merge key: " + policy.key);
    }
    const Json& key_value = element[policy.key];
    auto match = std::find_if(result.begin(), result.end(),
                              [&](const Json& e) { return same_key(e, policy.key, key_value); });
    const std::string directive = element.value("$patch", "");
    if (directive == "delete") {
      result.erase(std::remove_if(result.begin(), result.end(),
                                  [&](const Json& e) { return same_key(e, policy.key, key_value); }),
                   result.end());
      continue;
    }
    if (match != result.end()) {
      auto merged = smp_map(smp, *match, element, path);
      if (!merged.ok()) return merged.error();
      *match = std::move(*merged);
    } else {
      auto added = smp_map(smp, Json::object(), element, path);
      if (!added.ok()) return added.error();
      result.push_back(std::move(*added));
    }
  }
  return result;
}

// $setElementOrder/<list>: the listed elements first, in that order; elements the patch does
// not list (added by someone else) keep their relative order after them.
Json reorder(const Json& list, const Json& order, const std::string& key) {
  if (!list.is_array() || !order.is_array()) return list;
  Json out = Json::array();
  std::vector<bool> used(list.size(), false);
  for (const auto& wanted : order) {
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (used[i]) continue;
      bool hit = key.empty() ? list[i] == wanted
                             : (wanted.is_object() && wanted.contains(key) && same_key(list[i], key, wanted[key]));
      if (hit) {
        out.push_back(list[i]);
        used[i] = true;
        break;
      }
    }
  }
  for (std::size_t i = 0; i < list.size(); ++i)
    if (!used[i]) out.push_back(list[i]);
  return out;
}

Result<Json> smp_map(const Smp& smp, const Json& original, const Json& patch, const Path& path) {
  if (!patch.is_object()) return patch;
  const std::string directive = patch.value("$patch", "");
  if (directive == "replace") return strip_directives(patch);
  if (directive == "delete") return Json();  // the caller drops the field
  Json result = original.is_object() ? original : Json::object();
  std::map<std::string, Json> orders, deletions;
  const Json* retain = nullptr;
  for (const auto& [key, value] : patch.items()) {
    if (key.rfind("$setElementOrder/", 0) == 0) {
      orders[key.substr(17)] = value;
      continue;
    }
    if (key.rfind("$deleteFromPrimitiveList/", 0) == 0) {
      deletions[key.substr(25)] = value;
      continue;
    }
    if (key == "$retainKeys") {
      retain = &value;
      continue;
    }
    if (is_directive_key(key)) continue;
    if (value.is_null()) {
      result.erase(key);
      continue;
    }
    Path child = path;
    child.push_back(key);
    auto existing = result.find(key);
    const Json& current = existing == result.end() ? Json() : *existing;
    if (value.is_object()) {
      auto merged = smp_map(smp, current, value, child);
      if (!merged.ok()) return merged.error();
      if (merged->is_null())
        result.erase(key);
      else
        result[key] = std::move(*merged);
    } else if (value.is_array()) {
      auto merged = smp_list(smp, current, value, child);
      if (!merged.ok()) return merged.error();
      result[key] = std::move(*merged);
    } else {
      result[key] = value;
    }
  }
  for (const auto& [list, values] : deletions) {
    auto it = result.find(list);
    if (it == result.end() || !it->is_array() || !values.is_array()) continue;
    Json kept = Json::array();
    for (const auto& v : *it)
      if (std::find(values.begin(), values.end(), v) == values.end()) kept.push_back(v);
    *it = std::move(kept);
  }
  for (const auto& [list, order] : orders) {
    auto it = result.find(list);
    if (it == result.end()) continue;
    Path child = path;
    child.push_back(list);
    const ListPolicy policy = list_policy(smp.group, smp.kind, child);
    *it = reorder(*it, order, policy.strategy == ListPolicy::Strategy::kMergeByKey ? policy.key : "");
  }
  if (retain && retain->is_array()) {
    std::set<std::string> keep;
    for (const auto& k : *retain)
      if (k.is_string()) keep.insert(k.get<std::string>());
    for (auto it = result.begin(); it != result.end();) {
      if (!keep.count(it.key()))
        it = result.erase(it);
      else
        ++it;
    }
  }
  return result;
}

// ---- server-side apply ----------------------------------------------------------------------

bool server_managed_meta(const std::string& key) {
  static const std::set<std::string> keys = {"name",       "namespace",         "uid",
                                             "resourceVersion", "generation",   "creationTimestamp",
                                             "managedFields",   "selfLink",     "deletionTimestamp",
                                             "deletionGracePeriodSeconds"};
  return keys.count(key) > 0;
}

std::string element_key(const std::string& key, const Json& value) {
  return "k:" + Json{{key, value}}.dump();
}

Json fields_of(const Json& value, const std::string& group, const std::string& kind, const Path& path) {
  Json out = Json::object();
  if (!value.is_object()) return out;
  for (const auto& [key, child] : value.items()) {
    if (path.empty() && (key == "apiVersion" || key == "kind" || key == "status")) continue;
    if (path.size() == 1 && path[0] == "metadata" && server_managed_meta(key)) continue;
    Path child_path = path;
    child_path.push_back(key);
    Json entry = Json::object();
    if (child.is_object()) {
      entry = fields_of(child, group, kind, child_path);
    } else if (child.is_array()) {
      const ListPolicy policy = list_policy(group, kind, child_path);
      if (policy.strategy == ListPolicy::Strategy::kMergeByKey) {
        for (const auto& element : child) {
          if (!element.is_object() || !element.contains(policy.key)) continue;
          Json element_fields = fields_of(element, group, kind, child_path);
          element_fields["."] = Json::object();
          entry[element_key(policy.key, element[policy.key])] = std::move(element_fields);
        }
      } else if (policy.strategy == ListPolicy::Strategy::kSet) {
        for (const auto& element : child) entry["v:" + element.dump()] = Json::object();
      }
    }
    out["f:" + key] = std::move(entry);
  }
  return out;
}

// Element of `list` that a "k:{...}" / "v:..." FieldsV1 entry names, or list.end().
Json::iterator find_element(Json& list, const std::string& entry) {
  if (entry.rfind("v:", 0) == 0) {
    Json value = Json::parse(entry.substr(2), nullptr, false);
    return std::find(list.begin(), list.end(), value);
  }
  Json keys = Json::parse(entry.substr(2), nullptr, false);
  if (!keys.is_object()) return list.end();
  return std::find_if(list.begin(), list.end(), [&](const Json& element) {
    for (const auto& [k, v] : keys.items())
      if (!same_key(element, k, v)) return false;
    return true;
  });
}

// Removes from `target` what `before` names and `after` does not: fields this manager applied
// last time and no longer applies.
void remove_unapplied(Json& target, const Json& before, const Json& after) {
  if (!before.is_object()) return;
  for (const auto& [entry, before_child] : before.items()) {
    if (entry == ".") continue;
    const bool kept = after.is_object() && after.contains(entry);
    if (entry.rfind("f:", 0) == 0) {
      if (!target.is_object()) continue;
      const std::string field = entry.substr(2);
      auto it = target.find(field);
      if (it == target.end()) continue;
      if (!kept) {
        target.erase(it);
      } else if (!before_child.empty()) {
        remove_unapplied(*it, before_child, after[entry]);
      }
    } else if (entry.rfind("k:", 0) == 0 || entry.rfind("v:", 0) == 0) {
      if (!target.is_array()) continue;
      auto it = find_element(target, entry);
      if (it == target.end()) continue;
      if (!kept)
        target.erase(it);
      else
        remove_unapplied(*it, before_child, after[entry]);
    }
  }
}

// Merges an applied configuration: objects recursively, keyed lists by key, sets by value,
// everything else replaced; null removes the field.
Json apply_merge(const Json& live, const Json& applied, const std::string& group, const std::string& kind,
                 const Path& path) {
  if (applied.is_object()) {
    Json result = live.is_object() ? live : Json::object();
    for (const auto& [key, value] : applied.items()) {
      if (path.empty() && key == "status") continue;
      if (path.size() == 1 && path[0] == "metadata" && key == "managedFields") continue;
      if (value.is_null()) {
        result.erase(key);
        continue;
      }
      Path child = path;
      child.push_back(key);
      auto it = result.find(key);
      result[key] = apply_merge(it == result.end() ? Json() : *it, value, group, kind, child);
    }
    return result;
  }
  if (applied.is_array() && live.is_array()) {
    const ListPolicy policy = list_policy(group, kind, path);
    if (policy.strategy == ListPolicy::Strategy::kMergeByKey) {
      // The applied order wins; live elements the configuration does not name stay after them.
      Json result = Json::array();
      std::vector<bool> used(live.size(), false);
      for (const auto& element : applied) {
        bool merged = false;
        if (element.is_object() && element.contains(policy.key)) {
          for (std::size_t i = 0; i < live.size(); ++i) {
            if (!used[i] && same_key(live[i], policy.key, element[policy.key])) {
              result.push_back(apply_merge(live[i], element, group, kind, path));
              used[i] = merged = true;
              break;
            }
          }
        }
        if (!merged) result.push_back(element);
      }
      for (std::size_t i = 0; i < live.size(); ++i)
        if (!used[i]) result.push_back(live[i]);
      return result;
    }
    if (policy.strategy == ListPolicy::Strategy::kSet) {
      Json result = applied;
      for (const auto& v : live)
        if (std::find(result.begin(), result.end(), v) == result.end()) result.push_back(v);
      return result;
    }
  }
  return applied;
}

Json without_managed_fields(Json doc) {
  if (doc.is_object() && doc.contains("metadata") && doc["metadata"].is_object())
    doc["metadata"].erase("managedFields");
  return doc;
}

}  // namespace

ListPolicy list_policy(const std::string& group, const std::string& kind, const Path& path) {
  if (path.empty() || !builtin_group(group)) return {};
  const std::size_t n = path.size();
  const std::string& last = path.back();
  if (n >= 2 && path[n - 2] == "metadata") {
    if (last == "finalizers") return {ListPolicy::Strategy::kSet, ""};
    if (last == "ownerReferences") return keyed("uid");
    return {};
  }
  for (const Path& prefix : pod_spec_prefixes(group, kind)) {
    if (!starts_with(path, prefix)) continue;
    Path rel(path.begin() + static_cast<std::ptrdiff_t>(prefix.size()), path.end());
    if (rel.size() == 1) {
      const std::string& f = rel[0];
      if (is_container_list(f) || f == "volumes" || f == "imagePullSecrets" || f == "resourceClaims" ||
          f == "schedulingGates")
        return keyed("name");
      if (f == "hostAliases") return keyed("ip");
      if (f == "topologySpreadConstraints") return keyed("topologyKey");
    }
    if (rel.size() == 2 && is_container_list(rel[0])) {
      if (rel[1] == "ports") return keyed("containerPort");
      if (rel[1] == "env") return keyed("name");
      if (rel[1] == "volumeMounts") return keyed("mountPath");
      if (rel[1] == "volumeDevices") return keyed("devicePath");
    }
    return {};
  }
  if (group.empty() && kind == "Service" && path == Path{"spec", "ports"}) return keyed("port");
  if (path.size() == 2 && path[0] == "status" && path[1] == "conditions") return keyed("type");
  return {};
}

Json json_merge_patch(const Json& original, const Json& patch) { return merge_patch_value(original, patch); }

Result<Json> json_patch(const Json& original, const Json& patch) {
  if (!patch.is_array()) return make_error("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
  try {
    return original.patch(patch);
  } catch (const Json::exception& e) {
    // nlohmann's messages start with "[json.exception.<type>.<id>] ".
    std::string what = e.what();
    auto close = what.find("] ");
    return make_error(close == std::string::npos ? what : what.substr(close + 2));
  }
}

Result<Json> strategic_merge_patch(const Json& original, const Json& patch, const std::string& group,
                                   const std::string& kind) {
  if (!patch.is_object()) return make_error("strategic merge patch: the patch must be a JSON object");
  Smp smp{group, kind};
  auto result = smp_map(smp, original, patch, {});
  if (!result.ok()) return result.error();
  if (result->is_null()) return make_error("strategic merge patch: $patch: delete of the whole object");
  return result;
}

Json applied_fields(const Json& applied, const std::string& group, const std::string& kind) {
  return fields_of(applied, group, kind, {});
}

Result<Json> server_side_apply(const Json& live, const Json& applied, const ApplyRequest& request,
                               const std::string& group, const std::string& kind) {
  if (!applied.is_object()) return make_error("apply patch: the applied configuration must be an object");
  if (request.manager.empty())
    return make_error("PATCH, application/apply-patch+yaml requires fieldManager to be set");
  const Json fields = applied_fields(applied, group, kind);

  Json previous = Json::object();
  Json entries = Json::array();
  if (live.is_object() && live.contains("metadata") && live["metadata"].is_object()) {
    const Json& meta = live["metadata"];
    if (auto mf = meta.find("managedFields"); mf != meta.end() && mf->is_array()) {
      for (const auto& entry : *mf) {
        if (entry.is_object() && entry.value("manager", "") == request.manager &&
            entry.value("operation", "") == "Apply")
          previous = entry.value("fieldsV1", Json::object());
        else
          entries.push_back(entry);
      }
    }
  }

  Json result = live.is_object() ? live : Json::object();
  remove_unapplied(result, previous, fields);
  result = apply_merge(result, applied, group, kind, {});

  if (live.is_object() && previous == fields && without_managed_fields(result) == without_managed_fields(live))
    return live;
  entries.push_back({{"manager", request.manager},
                     {"operation", "Apply"},
                     {"apiVersion", request.api_version},
                     {"time", request.time},
                     {"fieldsType", "FieldsV1"},
                     {"fieldsV1", fields}});
  result["metadata"]["managedFields"] = std::move(entries);
  return result;
}

}  // namespace gwsim::fakes
