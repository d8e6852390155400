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

// k8s.io/apimachinery pkg/api/errors NewRequestEntityTooLargeError.
ApiError request_entity_too_large(std::size_t limit) {
  return {413, "RequestEntityTooLarge", "Request entity too large: limit is " + std::to_string(limit), nullptr};
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

// ---- admission -----------------------------------------------------------------------------------

namespace {

std::string joined(const std::vector<std::string>& items, bool quote) {
  std::string out;
  for (const auto& s : items) {
    if (!out.empty()) out += ", ";
    out += quote ? "\"" + s + "\"" : s;
  }
  return out;
}

}  // namespace

std::string field_error_message(const model::SchemaIssue& issue) {
  using K = model::SchemaIssue::Kind;
  const std::string& path = issue.path;
  const std::string value = model::go_value_text(issue.value);
  const std::string type = model::json_type_name(issue.value);
  switch (issue.kind) {
    case K::kUnknownField:
      return "unknown field \"" + path + "\"";
    case K::kType:
      return path + ": Invalid value: \"" + type + "\": " + path + " in body must be of type " + issue.expected +
             ": \"" + type + "\"";
    case K::kFormat:
      if (issue.expected == "duration") {
        if (!issue.detail.empty()) return path + ": Invalid value: \"string\": " + issue.detail;
        return path + ": Invalid value: " + value + ": time: invalid duration " + value;
      }
      return path + ": Invalid value: " + value + ": " + path + " in body must be of type byte: " + value;
    case K::kEnum:
      return path + ": Unsupported value: " + value + ": supported values: " + joined(issue.allowed, true);
    case K::kRange:
      return path + ": Invalid value: " + value + ": " + path + " in body " + issue.detail;
    case K::kRequired:
      return path + ": Required value";
    case K::kTooMany:
      return path + ": Too many: " + std::to_string(issue.value.size()) + ": must have at most " +
             std::to_string(issue.limit) + " items";
    case K::kTooLong:
      return path + ": Too long: may not be more than " + std::to_string(issue.limit) + " bytes";
    case K::kOneOf:
      return path + ": Invalid value: \"object\": " + path + " in body must validate one and only one schema (oneOf)";
    case K::kDuplicate:
      // A list-type set's item, or a list-type map's key.
      if (issue.field.empty()) return path + ": Duplicate value: " + value;
      return path + ": Duplicate value: map[string]interface {}{" + quoted(issue.field) + ":" + value + "}";
    case K::kRule:
      return path + ": Invalid value: \"" + type + "\": " + issue.detail;
  }
  return path;
}

std::string cause_reason(model::SchemaIssue::Kind kind) {
  using K = model::SchemaIssue::Kind;
  switch (kind) {
    case K::kRequired:
      return "FieldValueRequired";
    case K::kEnum:
      return "FieldValueNotSupported";
    case K::kTooMany:
      return "FieldValueTooMany";
    case K::kTooLong:
      return "FieldValueTooLong";
    case K::kDuplicate:
      return "FieldValueDuplicate";
    case K::kType:
      return "FieldValueTypeInvalid";
    default:
      return "FieldValueInvalid";
  }
}

std::string admission_message(const model::Object& object, const validation::AdmissionResult& result) {
  using validation::ProblemKind;
  if (result.ok()) return {};
  if (result.has(ProblemKind::kWebhookDenial)) {
    return "admission webhook \"validation.istio.io\" denied the request: " + result.webhook_message();
  }
  std::vector<std::string> unknown, invalid;
  for (const auto& p : result.problems) {
    // A built-in kind's validation: the field errors are worded already.
    if (p.kind == ProblemKind::kInvalid) invalid.push_back(p.message);
    if (!p.schema) continue;
    (p.kind == ProblemKind::kStrictDecoding ? unknown : invalid).push_back(field_error_message(*p.schema));
  }
  const std::string kind = object.kind();
  if (!unknown.empty()) {
    // The decoder stops before validation: only the unknown fields are told.
    std::string version = object.api_version();
    auto slash = version.find('/');
    if (slash != std::string::npos) version = version.substr(slash + 1);
    return kind + " in version \"" + version + "\" cannot be handled as a " + kind +
           ": strict decoding error: " + joined(unknown, false);
  }
  std::string resource = kind + (object.group().empty() ? "" : "." + object.group());
  std::string head = resource + " \"" + object.name() + "\" is invalid: ";
  if (invalid.size() == 1) return head + invalid.front();
  return head + "[" + joined(invalid, false) + "]";
}

ApiError admission_error(const ResourceInfo& resource, const model::Object& object,
                         const validation::AdmissionResult& result) {
  using validation::ProblemKind;
  const std::string message = admission_message(object, result);
  if (result.has(ProblemKind::kWebhookDenial)) {
    // kubectl prints "Error from server: error when creating ...: admission webhook ... denied
    // the request: ..." for a reason-less 400.
    return ApiError{400, "", message, nullptr};
  }
  if (result.has(ProblemKind::kStrictDecoding)) return bad_request(message);
  Json causes = Json::array();
  for (const auto& p : result.problems) {
    if (p.kind == ProblemKind::kInvalid) {
      std::string cause = p.message.substr(std::min(p.message.size(), p.field.size() + 2));
      causes.push_back({{"reason", p.reason}, {"message", cause}, {"field", p.field}});
      continue;
    }
    if (!p.schema) continue;
    std::string cause = field_error_message(*p.schema);
    const std::string prefix = p.schema->path + ": ";
    if (cause.rfind(prefix, 0) == 0) cause = cause.substr(prefix.size());
    causes.push_back({{"reason", cause_reason(p.schema->kind)}, {"message", cause}, {"field", p.schema->path}});
  }
  Json details = {{"name", object.name()}, {"group", resource.group}, {"kind", resource.kind}};
  if (!causes.empty()) details["causes"] = causes;
  return ApiError{422, "Invalid", message, details};
}

}  // namespace gwsim::fakes
