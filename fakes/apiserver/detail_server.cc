// The API server's shared helpers (detail_server.h): bodies, responses, names, admission.
#include "fakes/apiserver/detail_server.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "engine/model/object_names.h"
#include "engine/model/safe_yaml.h"
#include "engine/text/ascii.h"
#include "engine/model/yaml_json.h"
#include "engine/validation/admission.h"
#include "fakes/apiserver/protobuf.h"

namespace gwsim::fakes::detail {

Json& metadata_of(Json& doc) {
  if (!doc.contains("metadata") || !doc["metadata"].is_object()) doc["metadata"] = Json::object();
  return doc["metadata"];
}

const Json& metadata_of(const Json& doc) {
  static const Json empty = Json::object();
  if (!doc.is_object()) return empty;
  auto it = doc.find("metadata");
  return it != doc.end() && it->is_object() ? *it : empty;
}

std::string media_type(const std::string& header) {
  std::string out = header.substr(0, header.find(';'));
  out.erase(std::remove_if(out.begin(), out.end(), [](unsigned char c) { return std::isspace(c); }), out.end());
  return text::to_lower(out);
}

std::string text(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

ApiResponse json_response(int status, const Json& body) {
  ApiResponse r;
  r.status = status;
  r.body = text(body);
  return r;
}

ApiResponse error_response(const ApiError& error) { return json_response(error.code, error.to_status()); }

Json present(const Json& doc, const ResourceInfo& resource, const std::string& version) {
  Json out = doc;
  out["apiVersion"] = resource.group_version(version);
  out["kind"] = resource.kind;
  return out;
}

bool wants_table(const ApiRequest& request) { return request.accept.find("as=Table") != std::string::npos; }

TableOptions::IncludeObject include_object(const ApiRequest& request) {
  const std::string v = request.param("includeObject");
  if (v == "None") return TableOptions::IncludeObject::kNone;
  if (v == "Object") return TableOptions::IncludeObject::kObject;
  return TableOptions::IncludeObject::kMetadata;
}

bool readable_body_type(const std::string& content_type) {
  const std::string type = media_type(content_type);
  return type.empty() || type == "application/json" || type == "application/yaml" || type == "*/*" ||
         type == kProtobufMediaType;
}

bool dry_run(const ApiRequest& request) { return !request.param("dryRun").empty(); }

// A request body: JSON, or YAML when the content type says so (application/yaml,
// apply-patch+yaml), as kube-apiserver decodes by Content-Type. engine/model/safe_yaml.h bounds
// both (size, nesting depth, aliases), so a hostile body is a 400, never a crash or a hang.
Result<Json> parse_body(const std::string& body, const std::string& content_type) {
  model::JsonDocument json = model::parse_json(body);
  if (!json.error) return std::move(json.value);
  const std::string type = media_type(content_type);
  if (type != "application/yaml" && type != kApplyPatchType)
    return make_error("json parse error: " + json.error->message);
  model::YamlDocument yaml = model::load_yaml_document(body);
  if (yaml.error) {
    const model::TextError& e = *yaml.error;
    std::string at = e.line > 0 ? "line " + std::to_string(e.line) + ", column " + std::to_string(e.column) + ": " : "";
    return make_error("yaml: " + at + e.message);
  }
  try {
    model::PositionMap positions;
    Json converted = model::yaml_to_json(yaml.root, "request", positions);
    if (converted.is_object() || converted.is_array()) return converted;
  } catch (const std::exception&) {
  }
  return make_error("the request body is neither JSON nor YAML");
}

Result<Json> read_object(const ApiRequest& request) {
  if (media_type(request.content_type) == kProtobufMediaType) return decode_kubernetes_protobuf(request.body);
  return parse_body(request.body, request.content_type);
}

// ---- names ----------------------------------------------------------------------------------------

// The name check of the kind's registry, in the API server's words (shared with the manifest
// loader: engine/model/object_names.h).
std::string name_problem(const ResourceInfo& resource, const std::string& name) {
  return model::object_name_problem(resource.group, resource.kind, name);
}

std::string go_quoted(const std::string& s) { return text(Json(s)); }

// ---- admission ------------------------------------------------------------------------------------

Admission admit(const ResourceInfo& resource, const Json& doc) {
  Admission out;
  const Object object = make_object(doc);
  validation::AdmissionResult result = validation::admit(object);
  out.warnings = std::move(result.warnings);
  if (!result.ok()) out.denied = admission_error(resource, object, result);
  return out;
}

void add_warnings(ApiResponse& response, const std::vector<std::string>& warnings) {
  for (const auto& w : warnings) response.headers.emplace_back("Warning", "299 - " + go_quoted(w));
}


Result<Selectors> selectors_of(const ApiRequest& request, const ResourceInfo& resource) {
  Selectors s;
  auto labels = LabelSelector::parse(request.param("labelSelector"));
  if (!labels.ok()) return labels.error();
  auto fields = FieldSelector::parse(request.param("fieldSelector"), resource.group, resource.kind);
  if (!fields.ok()) return fields.error();
  s.labels = std::move(*labels);
  s.fields = std::move(*fields);
  return s;
}

}  // namespace gwsim::fakes::detail
