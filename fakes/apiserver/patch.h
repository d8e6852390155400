// The four PATCH types of the Kubernetes API server, on JSON documents:
//   application/merge-patch+json           RFC 7386 (every kind; what kubectl sends for CRDs)
//   application/json-patch+json            RFC 6902 (`kubectl patch --type=json`)
//   application/strategic-merge-patch+json built-in kinds only: lists with a merge key
//                                          (containers by name, ports by containerPort/port, ...)
//                                          merge element-wise; the $patch, $setElementOrder,
//                                          $deleteFromPrimitiveList and $retainKeys directives
//   application/apply-patch+yaml           server-side apply: merge the applied configuration,
//                                          remove what this field manager applied before and no
//                                          longer applies, and record its fields in
//                                          metadata.managedFields (FieldsV1), as the real server
//                                          does; conflicts between managers are not detected.
// Errors carry the message a real server would return (the caller answers 422 / 400).
#pragma once

#include <string>
#include <vector>

#include "engine/model/object.h"
#include "engine/model/result.h"

namespace gwsim::fakes {

using model::Json;

// How a list field merges (the patchStrategy / patchMergeKey / listType tags of the Go types).
struct ListPolicy {
  enum class Strategy { kAtomic, kMergeByKey, kSet };
  Strategy strategy = Strategy::kAtomic;
  std::string key;  // kMergeByKey: the merge key ("name", "containerPort", "port", ...)
};

// `path`: the field names from the object's root to the list, list indices left out, e.g.
// {"spec", "template", "spec", "containers", "ports"}. Lists of custom resources (Istio's) are
// atomic, as their CRD schemas declare no list types.
ListPolicy list_policy(const std::string& group, const std::string& kind, const std::vector<std::string>& path);

// RFC 7386: objects merge recursively, null deletes, everything else (lists too) replaces.
Json json_merge_patch(const Json& original, const Json& patch);

// RFC 6902 operations (add, remove, replace, move, copy, test).
Result<Json> json_patch(const Json& original, const Json& patch);

// Strategic merge patch of a built-in kind.
Result<Json> strategic_merge_patch(const Json& original, const Json& patch, const std::string& group,
                                   const std::string& kind);

// The FieldsV1 set of an applied configuration: {"f:spec":{"f:containers":{"k:{\"name\":\"a\"}":
// {".":{},"f:image":{}}}}}. Server-managed metadata (name, namespace, uid, ...) is left out.
Json applied_fields(const Json& applied, const std::string& group, const std::string& kind);

struct ApplyRequest {
  std::string manager;      // fieldManager (required by the real server for apply)
  std::string api_version;  // recorded in managedFields
  std::string time;         // RFC 3339, recorded in managedFields
};

// Server-side apply of `applied` onto `live` (null when the object does not exist yet). The
// result carries this manager's managedFields entry; when nothing but that entry's time would
// change, `live` is returned unchanged (a no-op apply writes nothing).
Result<Json> server_side_apply(const Json& live, const Json& applied, const ApplyRequest& request,
                               const std::string& group, const std::string& kind);

}  // namespace gwsim::fakes
