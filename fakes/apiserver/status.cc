#include "fakes/apiserver/status.h"

namespace gwsim::fakes {

namespace {

Json resource_details(const ResourceInfo& resource, const std::string& name) {
  Json details = {{"name", name}, {"kind", resource.plural}};
  if (!resource.group.empty()) details["group"] = resource.group;
  return details;
}

std::string quoted(const std::string& s) { return Json(s).dump(); }

}  // namespace

Json ApiError::to_status() const {
  Json status = {{"kind", "Status"}, {"apiVersion", "v1"}, {"metadata", Json::object()},
                 {"status", "Failure"},  {"message", message},   {"code", code}};
  // Go omits an empty reason (omitempty); kubectl then prints "Error from server: ...".
  if (!reason.empty()) status["reason"] = reason;
  if (!details.is_null()) status["details"] = details;
  return status;
}

ApiError not_found(const ResourceInfo& resource, const std::string& name) {
  return {404, "NotFound", resource.group_resource() + " " + quoted(name) + " not found",
          resource_details(resource, name)};
}

ApiError already_exists(const ResourceInfo& resource, const std::string& name) {
  return {409, "AlreadyExists", resource.group_resource() + " " + quoted(name) + " already exists",
          resource_details(resource, name)};
}

ApiError conflict(const ResourceInfo& resource, const std::string& name, const std::string& detail) {
  return {409, "Conflict",
          "Operation cannot be fulfilled on " + resource.group_resource() + " " + quoted(name) + ": " + detail,
          resource_details(resource, name)};
}

ApiError invalid(const ResourceInfo& resource, const std::string& name, const std::string& message,
                 const std::vector<StatusCause>& causes) {
  // The qualified kind: "Pod", "Deployment.apps", "VirtualService.networking.istio.io".
  const std::string kind = resource.group.empty() ? resource.kind : resource.kind + "." + resource.group;
  Json details = {{"name", name}, {"kind", resource.kind}};
  if (!resource.group.empty()) details["group"] = resource.group;
  Json list = Json::array();
  for (const auto& c : causes) list.push_back({{"reason", c.reason}, {"message", c.message}, {"field", c.field}});
  if (!list.empty()) details["causes"] = list;
  return {422, "Invalid", kind + " " + quoted(name) + " is invalid: " + message, details};
}

ApiError bad_request(const std::string& message) { return {400, "BadRequest", message, nullptr}; }

ApiError forbidden(const ResourceInfo& resource, const std::string& name, const std::string& why) {
  return {403, "Forbidden", resource.group_resource() + " " + quoted(name) + " is forbidden: " + why,
          resource_details(resource, name)};
}

ApiError unsupported_media_type(const std::string& accepted) {
  return {415, "UnsupportedMediaType",
          "the body of the request was in an unknown format - accepted media types include: " + accepted, nullptr};
}

ApiError method_not_allowed() {
  return {405, "MethodNotAllowed", "the server does not allow this method on the requested resource", nullptr};
}

ApiError path_not_found() {
  return {404, "NotFound", "the server could not find the requested resource", nullptr};
}

ApiError too_many_requests(const std::string& message) {
  return {429, "TooManyRequests", message, Json{{"retryAfterSeconds", 1}}};
}

ApiError internal_error(const std::string& message) {
  return {500, "InternalError", "Internal error occurred: " + message, nullptr};
}

ApiError expired(std::uint64_t requested, std::uint64_t oldest) {
  return {410, "Expired",
          "too old resource version: " + std::to_string(requested) + " (" + std::to_string(oldest) + ")", nullptr};
}

Json success_status(const ResourceInfo& resource, const std::string& name, const std::string& uid) {
  Json details = resource_details(resource, name);
  if (!uid.empty()) details["uid"] = uid;
  return {{"kind", "Status"}, {"apiVersion", "v1"}, {"metadata", Json::object()}, {"status", "Success"},
          {"details", details}};
}

}  // namespace gwsim::fakes
