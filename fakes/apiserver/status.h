// The meta/v1 Status objects the Kubernetes API server answers errors with, in its words
// (k8s.io/apimachinery/pkg/api/errors). kubectl prints
// `Error from server (<reason>): <message>`, or for 422 Invalid the causes one per line.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/model/crd_schema.h"
#include "engine/model/object.h"
#include "engine/validation/admission.h"
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
// 413: a request body over the limit, as k8s.io/apiserver pkg/endpoints/handlers/rest.go
// limitedReadBody answers it: "Request entity too large: limit is 3145728".
ApiError request_entity_too_large(std::size_t limit);
// kube-apiserver's MaxRequestBodyBytes (k8s.io/apiserver pkg/server/config.go: 3 * 1024 * 1024).
inline constexpr std::size_t kMaxRequestBodyBytes = 3 * 1024 * 1024;
ApiError internal_error(const std::string& message);
// 410 Gone, reason "Expired": a watch from a resourceVersion older than the history.
ApiError expired(std::uint64_t requested, std::uint64_t oldest);

// ---- admission -----------------------------------------------------------------------------------
// The API server words and codes a refusal by the kind of the admission problems, never by their
// text (k8s.io/apiserver: strict decoding -> 400 BadRequest, schema -> 422 Invalid with a cause per
// field, a denying webhook -> 400 with no reason, pkg/admission/plugin/webhook/errors.ToStatusErr).

// One schema issue as a field error: "spec.servers[0].port.name: Required value",
// "unknown field \"spec.http[0].rout\"" (k8s.io/apimachinery/pkg/util/validation/field).
std::string field_error_message(const model::SchemaIssue& issue);
// The metav1.StatusCause reason of a schema issue ("FieldValueRequired", ...).
std::string cause_reason(model::SchemaIssue::Kind kind);
// The refusal's message: "VirtualService in version \"v1\" cannot be handled as a VirtualService:
// strict decoding error: ...", "Gateway.networking.istio.io \"gw\" is invalid: ...", or
// "admission webhook \"validation.istio.io\" denied the request: configuration is invalid: ...".
// "" when admitted.
std::string admission_message(const model::Object& object, const validation::AdmissionResult& result);
// The Status the API server answers a refused object with (`resource`: the URL's).
ApiError admission_error(const ResourceInfo& resource, const model::Object& object,
                         const validation::AdmissionResult& result);

// {"kind":"Status","apiVersion":"v1","status":"Success",...}: some DELETE answers.
Json success_status(const ResourceInfo& resource, const std::string& name, const std::string& uid);

}  // namespace gwsim::fakes
