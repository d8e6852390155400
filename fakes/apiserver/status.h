// The meta/v1 Status objects the Kubernetes API server answers errors with, in its words
// (k8s.io/apimachinery/pkg/api/errors). kubectl prints
// `Error from server (<reason>): <message>`, or for 422 Invalid the causes one per line.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/model/object.h"
#include "fakes/apiserver/resources.h"

namespace gwsim::fakes {

using model::Json;

struct ApiError {
  int code = 500;
  std::string reason;   // "NotFound", "AlreadyExists", ... ("" for an admission webhook's denial)
  std::string message;
  Json details;         // null or {name, group, kind, causes}

  Json to_status() const;  // {"kind":"Status","apiVersion":"v1","status":"Failure",...}
};

// A field error of a 422 Invalid (metav1.StatusCause).
struct StatusCause {
  std::string reason;  // "FieldValueInvalid", "FieldValueRequired", ...
  std::string message;
  std::string field;   // "spec.hosts"
};

ApiError not_found(const ResourceInfo& resource, const std::string& name);
ApiError already_exists(const ResourceInfo& resource, const std::string& name);
// 409 Conflict: `Operation cannot be fulfilled on pods "web": <detail>`.
ApiError conflict(const ResourceInfo& resource, const std::string& name, const std::string& detail);
// 422 Invalid: `<Kind>[.<group>] "<name>" is invalid: <message>`; `message` is the field errors
// as the server joins them.
ApiError invalid(const ResourceInfo& resource, const std::string& name, const std::string& message,
                 const std::vector<StatusCause>& causes);
ApiError bad_request(const std::string& message);
ApiError forbidden(const ResourceInfo& resource, const std::string& name, const std::string& why);
// 415: `accepted` lists the media types the request could have used.
ApiError unsupported_media_type(const std::string& accepted);
inline constexpr const char* kPatchMediaTypes =
    "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml";
inline constexpr const char* kBodyMediaTypes =
    "application/json, application/yaml, application/vnd.kubernetes.protobuf";
ApiError method_not_allowed();
ApiError path_not_found();  // "the server could not find the requested resource"
ApiError too_many_requests(const std::string& message);
ApiError internal_error(const std::string& message);
// 410 Gone, reason "Expired": a watch from a resourceVersion older than the history.
ApiError expired(std::uint64_t requested, std::uint64_t oldest);

// {"kind":"Status","apiVersion":"v1","status":"Success",...}: some DELETE answers.
Json success_status(const ResourceInfo& resource, const std::string& name, const std::string& uid);

}  // namespace gwsim::fakes
