// What the API server's files (routing.cc, reads.cc, writes.cc, watch_stream.cc) share: request
// and response helpers, the registry's name check, admission. Private.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/model/json_fields.h"
#include "engine/model/result.h"
#include "fakes/apiserver/api_server.h"
#include "fakes/apiserver/status.h"

namespace gwsim::fakes {

// The URL's resource, and for an item the object's key.
struct ApiServer::Target {
  ApiPath path;
  const ResourceInfo& resource;
  ObjectKey key;  // items: the object's key
};

struct ApiServer::UpdateOutcome {
  ApiResponse response;
  bool conflict = false;  // the store's resourceVersion moved on: retry a patch
};

namespace detail {

inline constexpr const char* kIstioGroup = "networking.istio.io";
inline constexpr const char* kSmpType = "application/strategic-merge-patch+json";
inline constexpr const char* kMergePatchType = "application/merge-patch+json";
inline constexpr const char* kJsonPatchType = "application/json-patch+json";
inline constexpr const char* kApplyPatchType = "application/apply-patch+yaml";

using model::string_member;  // "" when absent or not a string
Json& metadata_of(Json& doc);
const Json& metadata_of(const Json& doc);
// The media type without parameters, lower-cased: "application/json; charset=utf-8" -> "application/json".
std::string media_type(const std::string& header);
// JSON text; invalid UTF-8 (a client's bytes) is replaced rather than thrown on.
std::string text(const Json& j);
ApiResponse json_response(int status, const Json& body);
ApiResponse error_response(const ApiError& error);
// The object as served at `version`: one store for every version of a group, and the
// response's apiVersion follows the URL (kubectl applies v1beta1 and reads v1).
Json present(const Json& doc, const ResourceInfo& resource, const std::string& version);
using model::make_object;
bool wants_table(const ApiRequest& request);
TableOptions::IncludeObject include_object(const ApiRequest& request);
// JSON, YAML, or the protobuf encoding kubectl's typed commands (kubectl create ns, ...) send.
bool readable_body_type(const std::string& content_type);
bool dry_run(const ApiRequest& request);
// A request body: JSON, or YAML (the content types application/yaml and apply-patch+yaml allow it).
Result<Json> parse_body(const std::string& body, const std::string& content_type);
// The object a POST or PUT carries.
Result<Json> read_object(const ApiRequest& request);
// The name check of the kind's registry, in the API server's words; "" when the name is fine.
std::string name_problem(const ResourceInfo& resource, const std::string& name);
// "Invalid value: "x": ..." as Go's %q quotes the value.
std::string go_quoted(const std::string& s);

struct Admission {
  std::optional<ApiError> denied;
  std::vector<std::string> warnings;
};
// What the API server and Istio's validating webhook say about an Istio object (other kinds
// pass): validation::admit, worded and coded by the kind of its problems. Dry runs are
// validated too: the webhook declares no side effects.
Admission admit(const ResourceInfo& resource, const Json& doc);
// The request's labelSelector and fieldSelector.
Result<Selectors> selectors_of(const ApiRequest& request, const ResourceInfo& resource);
// The webhook's warnings as Warning headers.
void add_warnings(ApiResponse& response, const std::vector<std::string>& warnings);

}  // namespace detail
}  // namespace gwsim::fakes
