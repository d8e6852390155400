// The fake API server's writes: create, update, patch (strategic merge, JSON merge, JSON patch,
// server-side apply), delete and deletecollection, the scale subresource, and a new Service's
// address allocation. Every write of an Istio object goes through admission first
// (detail::admit). Follows k8s.io/apiserver pkg/endpoints/handlers (create.go, update.go,
// patch.go, delete.go) in what kubectl sees.
#include <algorithm>
#include <cstdio>
#include <set>

#include "engine/model/safe_yaml.h"
#include "fakes/apiserver/api_server.h"
#include "fakes/apiserver/detail_server.h"
#include "fakes/apiserver/field_validation.h"
#include "fakes/apiserver/patch.h"
#include "fakes/controllers/service_addresses.h"

namespace gwsim::fakes {

using namespace detail;  // NOLINT: the server's shared helpers

namespace {

// Checks the body's kind and group against the URL's resource.
std::optional<ApiError> check_kind(const Json& doc, const ResourceInfo& resource) {
  if (!doc.is_object()) return bad_request("the request body must be a JSON object");
  const std::string kind = string_member(doc, "kind");
  const std::string api_version = string_member(doc, "apiVersion");
  if (kind.empty()) return bad_request("Object 'Kind' is missing in '" + text(doc) + "'");
  const auto slash = api_version.find('/');
  const std::string group = slash == std::string::npos ? "" : api_version.substr(0, slash);
  if (kind != resource.kind || group != resource.group)
    return bad_request("the object provided is unrecognized (must be of type " + resource.kind + "): " + kind +
                       " of " + (api_version.empty() ? "(no apiVersion)" : api_version));
  return std::nullopt;
}

// The namespace of the body against the URL's; fills it in when absent.
std::optional<ApiError> check_namespace(Json& doc, const ResourceInfo& resource, const std::string& url_namespace) {
  Json& meta = metadata_of(doc);
  if (!resource.namespaced) {
    meta.erase("namespace");
    return std::nullopt;
  }
  const std::string body_ns = string_member(meta, "namespace");
  if (body_ns.empty()) {
    meta["namespace"] = url_namespace;
  } else if (body_ns != url_namespace) {
    return bad_request("the namespace of the provided object does not match the namespace sent on the request");
  }
  return std::nullopt;
}

// The status a new Gateway API object starts with: the CRDs (v1.6.1) have status subresources,
// so the request's status is dropped (apiextensions-apiserver's PrepareForCreate), and the
// schema's default fills it: GatewayClass Accepted, Gateway and ListenerSet Accepted and
// Programmed, each Unknown, reason Pending, "Waiting for controller", until a controller writes.
void default_crd_status(const ResourceInfo& resource, Json& doc) {
  if (resource.group != "gateway.networking.k8s.io") return;
  std::vector<const char*> types;
  if (resource.kind == "GatewayClass") types = {"Accepted"};
  if (resource.kind == "Gateway" || resource.kind == "ListenerSet") types = {"Accepted", "Programmed"};
  if (types.empty()) return;
  Json conditions = Json::array();
  for (const char* type : types)
    conditions.push_back({{"lastTransitionTime", "1970-01-01T00:00:00Z"},
                          {"message", "Waiting for controller"},
                          {"reason", "Pending"},
                          {"status", "Unknown"},
                          {"type", type}});
  doc["status"] = {{"conditions", std::move(conditions)}};
}

// Server-managed fields the client does not choose on create.
void strip_server_fields(Json& doc) {
  Json& meta = metadata_of(doc);
  for (const char* f : {"uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
                        "deletionGracePeriodSeconds", "selfLink"})
    meta.erase(f);
}

// Base-36 suffix for generateName, as the real server's 5 random characters.
std::string name_suffix(std::uint64_t n) {
  static const char* kAlphabet = "bcdfghjklmnpqrstvwxz2456789";
  std::string out;
  std::uint64_t x = n * 2654435761u + 12345;
  for (int i = 0; i < 5; ++i) {
    out += kAlphabet[x % 27];
    x /= 27;
  }
  return out;
}

bool dry_run_delete(const ApiRequest& request, const Json& options) {
  if (dry_run(request)) return true;
  if (options.is_object() && options.contains("dryRun") && options["dryRun"].is_array())
    return !options["dryRun"].empty();
  return false;
}

// The object as a refusal quotes it, unless it nests deeper than any real object does (dumping
// nlohmann::json recurses: a hostile 100,000-deep value would overflow the stack).
std::string quoted_object(const Json& doc) {
  std::vector<std::pair<const Json*, int>> todo = {{&doc, 0}};
  while (!todo.empty()) {
    auto [j, depth] = todo.back();
    todo.pop_back();
    if (depth > 100) return go_quoted("(an object nested over 100 levels deep)");
    if (j->is_structured())
      for (const auto& child : *j) todo.emplace_back(&child, depth + 1);
  }
  return go_quoted(text(doc));
}

// What a patch may not change (k8s.io/apiserver pkg/endpoints/handlers/patch.go). A JSON or
// merge patch that changes kind or apiVersion leaves bytes the kind's decoder refuses:
// jsonPatcher.applyPatchToCurrentObject answers 422 Invalid on the field "patch". A strategic
// merge patch decodes into the URL's type, so its kind is the URL's whatever it says. Then
// patcher.applyPatch: rest.EnsureObjectNamespaceMatchesRequestNamespace and checkName (rest.go).
std::optional<ApiError> check_patched_identity(const Json& patched, const ResourceInfo& resource,
                                               const std::string& patch_type, const std::string& url_name,
                                               const std::string& url_namespace) {
  if (patch_type != kSmpType) {
    const std::string kind = string_member(patched, "kind");
    const std::string api_version = string_member(patched, "apiVersion");
    const auto slash = api_version.find('/');
    const std::string group = slash == std::string::npos ? "" : api_version.substr(0, slash);
    const std::string version = slash == std::string::npos ? api_version : api_version.substr(slash + 1);
    const bool served = group == resource.group && std::find(resource.versions.begin(), resource.versions.end(),
                                                             version) != resource.versions.end();
    if (kind != resource.kind || !served) {
      const std::string why = "no kind " + go_quoted(kind) + " is registered for version " + go_quoted(api_version) +
                              " in scheme \"pkg/api/legacyscheme/scheme.go:30\"";
      const std::string field_error = "Invalid value: " + quoted_object(patched) + ": " + why;
      return ApiError{422, "Invalid", " \"\" is invalid: patch: " + field_error,
                      Json{{"causes", Json::array({{{"reason", "FieldValueInvalid"},
                                                    {"message", field_error},
                                                    {"field", "patch"}}})}}};
    }
  }
  const Json& meta = metadata_of(patched);
  const std::string ns = string_member(meta, "namespace");
  if (resource.namespaced && !ns.empty() && ns != url_namespace)
    return bad_request("the namespace of the provided object does not match the namespace sent on the request");
  const std::string name = string_member(meta, "name");
  if (name != url_name)
    return bad_request("the name of the object (" + name + ") does not match the name on the URL (" + url_name + ")");
  return std::nullopt;
}

// How the kind's JSON decoder takes a built-in object (field_validation.h): a value that does
// not fit its field is refused; unknown fields are dropped, and told as the request's
// fieldValidation directive says. The refusal under Strict is the decoder's: create.go and
// update.go transformDecodeError (400), patch.go jsonPatcher / applyPatchToObject (422 on the
// field "patch"). Kinds without a built-in schema (Istio's) pass: admission checks them.
std::optional<ApiError> check_decoding(Json& doc, const ResourceInfo& resource, const ApiRequest& request,
                                      const std::string& version, bool patch,
                                      std::vector<std::string>& warnings) {
  auto refuse = [&](const Json& decoded, const std::string& error) {
    if (!patch)
      return bad_request(resource.kind + " in version " + go_quoted(version) + " cannot be handled as a " +
                         resource.kind + ": " + error);
    const std::string field_error = "Invalid value: " + quoted_object(decoded) + ": " + error;
    return ApiError{422, "Invalid", " \"\" is invalid: patch: " + field_error,
                    Json{{"causes", Json::array({{{"reason", "FieldValueInvalid"},
                                                  {"message", field_error},
                                                  {"field", "patch"}}})}}};
  };
  // A value its Go type cannot hold (an int32 out of range, an array for a string) is a decoding
  // error whatever the directive.
  if (std::string error = decoding_error(doc, resource.group, resource.kind); !error.empty())
    return refuse(doc, error);
  FieldValidation directive = FieldValidation::kWarn;
  parse_field_validation(request.param("fieldValidation"), directive);
  const Json before = patch && directive == FieldValidation::kStrict ? doc : Json();
  const std::vector<std::string> unknown = drop_unknown_fields(doc, resource.group, resource.kind);
  if (unknown.empty() || directive == FieldValidation::kIgnore) return std::nullopt;
  std::vector<std::string> errors;
  for (const auto& path : unknown) errors.push_back("unknown field " + go_quoted(path));
  if (directive == FieldValidation::kWarn) {
    warnings.insert(warnings.end(), errors.begin(), errors.end());
    return std::nullopt;
  }
  std::string joined = "strict decoding error: ";
  for (std::size_t i = 0; i < errors.size(); ++i) joined += (i ? ", " : "") + errors[i];
  return refuse(before, joined);
}

}  // namespace

ApiResponse ApiServer::create(

const ApiRequest& request, const Target& target) {
  if (!readable_body_type(request.content_type)) return error_response(unsupported_media_type(kBodyMediaTypes));
  auto body = read_object(request);
  if (!body.ok()) return error_response(bad_request(body.error().message));
  if (auto e = check_kind(*body, target.resource)) return error_response(*e);
  std::vector<std::string> warnings;
  if (auto e = check_decoding(*body, target.resource, request, target.path.version, false, warnings))
    return error_response(*e);
  return store_new(request, target, std::move(*body), dry_run(request), warnings);
}

ApiResponse ApiServer::store_new(const ApiRequest& request, const Target& target, Json doc, bool dry,
                                 const std::vector<std::string>& extra_warnings) {
  const ResourceInfo& r = target.resource;
  if (auto e = check_namespace(doc, r, target.path.namespace_)) return error_response(*e);
  strip_server_fields(doc);
  Json& meta = metadata_of(doc);
  std::lock_guard lock(write_mu_);
  if (string_member(meta, "name").empty()) {
    const std::string prefix = string_member(meta, "generateName");
    if (prefix.empty())
      return error_response(invalid(r, "", "metadata.name: Required value: name or generateName is required",
                                    {{"FieldValueRequired", "Required value: name or generateName is required",
                                      "metadata.name"}}));
    std::string name;
    do {
      name = prefix + name_suffix(++generated_names_);
    } while (store_.get(normalized_key({r.group, r.kind, string_member(meta, "namespace"), name})));
    meta["name"] = name;
  }
  const std::string name = string_member(meta, "name");
  if (std::string problem = name_problem(r, name); !problem.empty()) {
    const std::string field_error = "Invalid value: " + go_quoted(name) + ": " + problem;
    return error_response(invalid(r, name, "metadata.name: " + field_error, {{"FieldValueInvalid", field_error, "metadata.name"}}));
  }
  if (r.namespaced) {
    const std::string ns = string_member(meta, "namespace");
    if (!store_.get({"", "Namespace", "", ns})) {
      static const ResourceInfo* namespaces = find_resource("", "v1", "namespaces");
      return error_response(not_found(*namespaces, ns));
    }
  }
  Admission admission = admit(r, doc);
  if (admission.denied) return error_response(*admission.denied);
  std::vector<std::string> warnings = extra_warnings;
  warnings.insert(warnings.end(), admission.warnings.begin(), admission.warnings.end());

  const ObjectKey key = normalized_key({r.group, r.kind, string_member(meta, "namespace"), name});
  if (store_.get(key)) return error_response(already_exists(r, name));
  sync_clock();
  if (r.group.empty() && r.kind == "Service") allocate_service_addresses(doc);
  default_crd_status(r, doc);
  ApiResponse response;
  if (dry) {
    // What create would store, without storing it (no resourceVersion: nothing was written).
    char uid[64];
    std::snprintf(uid, sizeof uid, "00000000-0000-4000-9000-%012llx", static_cast<unsigned long long>(++dry_run_uid_));
    meta["uid"] = uid;
    meta["generation"] = 1;
    meta["creationTimestamp"] = format_timestamp(store_.now());
    response = json_response(201, present(doc, r, target.path.version));
  } else {
    Result<Object> stored = store_.create(make_object(std::move(doc)));
    if (!stored.ok()) {
      if (store_error_kind(stored.error()) == StoreErrorKind::kAlreadyExists)
        return error_response(already_exists(r, name));
      return error_response(internal_error(stored.error().to_string()));
    }
    after_write();
    response = json_response(201, present(stored->doc, r, target.path.version));
  }
  add_warnings(response, warnings);
  return response;
}

void ApiServer::allocate_service_addresses(Json& doc) { fakes::allocate_service_addresses(store_, doc); }

ApiServer::UpdateOutcome ApiServer::store_update(const ApiRequest& request, const Target& target, const Object& live,
                                                 Json doc, bool dry) {
  const ResourceInfo& r = target.resource;
  UpdateOutcome out;
  Json& meta = metadata_of(doc);
  const Json& live_meta = metadata_of(live.doc);
  // One object in the store whatever version the client spoke: keep the stored apiVersion.
  doc["apiVersion"] = live.doc.value("apiVersion", r.group_version(target.path.version));
  doc["kind"] = r.kind;
  meta["name"] = target.path.name;
  if (r.namespaced)
    meta["namespace"] = target.key.namespace_;
  else
    meta.erase("namespace");
  if (!meta.contains("managedFields") && live_meta.contains("managedFields"))
    meta["managedFields"] = live_meta["managedFields"];
  Admission admission = admit(r, doc);
  if (admission.denied) {
    out.response = error_response(*admission.denied);
    return out;
  }
  if (dry) {
    // The object update() would store: server-managed fields and status from the live object,
    // generation bumped when spec changes, resourceVersion unchanged (nothing was written).
    for (const char* f : {"uid", "creationTimestamp", "resourceVersion", "generation"}) {
      if (live_meta.contains(f))
        meta[f] = live_meta[f];
      else
        meta.erase(f);
    }
    if (live.doc.contains("status"))
      doc["status"] = live.doc["status"];
    else
      doc.erase("status");
    const Json none;
    if (doc.value("spec", none) != live.doc.value("spec", none) && live_meta.contains("generation") &&
        live_meta["generation"].is_number_integer())
      meta["generation"] = live_meta["generation"].get<std::int64_t>() + 1;
    out.response = json_response(200, present(doc, r, target.path.version));
    add_warnings(out.response, admission.warnings);
    return out;
  }
  sync_clock();
  const std::uint64_t before = store_.resource_version();
  Result<Object> stored = store_.update(make_object(std::move(doc)));
  if (!stored.ok()) {
    switch (store_error_kind(stored.error())) {
      case StoreErrorKind::kConflict:
        out.conflict = true;
        out.response = error_response(conflict(
            r, target.path.name,
            "the object has been modified; please apply your changes to the latest version and try again"));
        return out;
      case StoreErrorKind::kNotFound:
        out.response = error_response(not_found(r, target.path.name));
        return out;
      case StoreErrorKind::kInvalid:
        out.response = error_response(invalid(r, target.path.name, stored.error().message, {}));
        return out;
      default:
        out.response = error_response(internal_error(stored.error().to_string()));
        return out;
    }
  }
  if (store_.resource_version() != before) after_write();
  out.response = json_response(200, present(stored->doc, r, target.path.version));
  add_warnings(out.response, admission.warnings);
  return out;
}

ApiResponse ApiServer::replace(const ApiRequest& request, const Target& target) {
  if (!readable_body_type(request.content_type)) return error_response(unsupported_media_type(kBodyMediaTypes));
  auto body = read_object(request);
  if (!body.ok()) return error_response(bad_request(body.error().message));
  if (auto e = check_kind(*body, target.resource)) return error_response(*e);
  Json doc = std::move(*body);
  std::vector<std::string> warnings;
  if (auto e = check_decoding(doc, target.resource, request, target.path.version, false, warnings))
    return error_response(*e);
  const std::string body_name = string_member(metadata_of(doc), "name");
  if (body_name != target.path.name)
    return error_response(bad_request("the name of the object (" + body_name +
                                      ") does not match the name on the URL (" + target.path.name + ")"));
  if (auto e = check_namespace(doc, target.resource, target.key.namespace_)) return error_response(*e);
  std::lock_guard lock(write_mu_);
  auto live = store_.get(target.key);
  if (!live) return error_response(not_found(target.resource, target.path.name));
  // PUT carries the client's resourceVersion: store.update() refuses a stale one (409).
  ApiResponse response = store_update(request, target, *live, std::move(doc), dry_run(request)).response;
  add_warnings(response, warnings);
  return response;
}

ApiResponse ApiServer::patch(const ApiRequest& request, const Target& target) {
  const ResourceInfo& r = target.resource;
  const std::string type = media_type(request.content_type);
  if (type == kSmpType && !r.strategic_merge) return error_response(unsupported_media_type(kPatchMediaTypes));
  if (type != kSmpType && type != kMergePatchType && type != kJsonPatchType && type != kApplyPatchType)
    return error_response(unsupported_media_type(kPatchMediaTypes));
  auto body = parse_body(request.body, request.content_type);
  if (!body.ok()) return error_response(bad_request("error decoding patch: " + body.error().message));
  const Json& patch_doc = *body;
  const bool dry = dry_run(request);
  const bool apply = type == kApplyPatchType;
  if (apply) {
    if (auto e = check_kind(patch_doc, r)) return error_response(*e);
    const std::string applied_name = string_member(metadata_of(patch_doc), "name");
    if (applied_name != target.path.name)
      return error_response(bad_request("the name of the object (" + applied_name +
                                        ") does not match the name on the URL (" + target.path.name + ")"));
    const std::string applied_ns = string_member(metadata_of(patch_doc), "namespace");
    if (r.namespaced && !applied_ns.empty() && applied_ns != target.key.namespace_)
      return error_response(
          bad_request("the namespace of the provided object does not match the namespace sent on the request"));
  }

  // The real server retries a patch internally when the object moved underneath it.
  for (int attempt = 0; attempt < 5; ++attempt) {
    std::unique_lock lock(write_mu_);
    auto live = store_.get(target.key);
    ApplyRequest apply_request{request.param("fieldManager"), r.group_version(target.path.version),
                               format_timestamp(now())};
    if (!live) {
      if (!apply) return error_response(not_found(r, target.path.name));
      // Server-side apply creates what is missing (kubectl sends no GET first).
      auto created = server_side_apply(Json(), patch_doc, apply_request, r.group, r.kind);
      if (!created.ok()) return error_response(bad_request(created.error().message));
      lock.unlock();
      std::vector<std::string> warnings;
      if (auto e = check_decoding(*created, r, request, target.path.version, false, warnings))
        return error_response(*e);
      return store_new(request, target, std::move(*created), dry, warnings);
    }
    Result<Json> patched = make_error("unreachable");
    if (type == kMergePatchType)
      patched = json_merge_patch(live->doc, patch_doc);
    else if (type == kJsonPatchType)
      patched = json_patch(live->doc, patch_doc);
    else if (type == kSmpType)
      patched = strategic_merge_patch(live->doc, patch_doc, r.group, r.kind);
    else
      patched = server_side_apply(live->doc, patch_doc, apply_request, r.group, r.kind);
    if (!patched.ok()) {
      if (apply) return error_response(bad_request(patched.error().message));
      return error_response(ApiError{422, "Invalid", patched.error().message, nullptr});
    }
    Json doc = std::move(*patched);
    if (!doc.is_object()) return error_response(bad_request("the patch must leave an object"));
    // Each part was bounded, but a deep value added at a deep path is deeper than either.
    if (model::json_deeper_than_limit(doc))
      return error_response(bad_request("the patched object nests deeper than " +
                                        std::to_string(model::kMaxNestingDepth) + " levels (the limit)"));
    // A resourceVersion the patch itself sets is a precondition; otherwise the live one is
    // (optimistic: another writer in between makes the store refuse, and we retry).
    const std::string live_rv = string_member(metadata_of(live->doc), "resourceVersion");
    const std::string patched_rv = string_member(metadata_of(doc), "resourceVersion");
    const bool explicit_rv = !patched_rv.empty() && patched_rv != live_rv;
    if (auto e = check_patched_identity(doc, r, type, target.path.name, target.key.namespace_))
      return error_response(*e);
    std::vector<std::string> warnings;
    if (auto e = check_decoding(doc, r, request, target.path.version, !apply, warnings))
      return error_response(*e);
    metadata_of(doc)["resourceVersion"] = explicit_rv ? patched_rv : live_rv;
    UpdateOutcome outcome = store_update(request, target, *live, std::move(doc), dry);
    if (outcome.conflict && !explicit_rv) continue;
    add_warnings(outcome.response, warnings);
    return outcome.response;
  }
  return error_response(conflict(r, target.path.name,
                                 "the object has been modified; please apply your changes to the latest version "
                                 "and try again"));
}

ApiResponse ApiServer::remove(const ApiRequest& request, const Target& target) {
  const ResourceInfo& r = target.resource;
  Json options;
  if (!request.body.empty()) options = model::parse_json(request.body).value;  // null when refused
  if (options.is_discarded()) options = Json();
  const bool is_namespace = r.group.empty() && r.kind == "Namespace";
  if (is_namespace && (target.path.name == "default" || target.path.name == "kube-system" ||
                       target.path.name == "kube-public"))
    return error_response(forbidden(r, target.path.name, "this namespace may not be deleted"));
  std::lock_guard lock(write_mu_);
  auto live = store_.get(target.key);
  if (!live) return error_response(not_found(r, target.path.name));
  if (options.is_object() && options.contains("preconditions") && options["preconditions"].is_object()) {
    const Json& pre = options["preconditions"];
    const Json& meta = metadata_of(live->doc);
    if (!string_member(pre, "uid").empty() && string_member(pre, "uid") != string_member(meta, "uid"))
      return error_response(conflict(r, target.path.name,
                                     "Precondition failed: UID in precondition: " + string_member(pre, "uid") +
                                         ", UID in object meta: " + string_member(meta, "uid")));
    if (!string_member(pre, "resourceVersion").empty() &&
        string_member(pre, "resourceVersion") != string_member(meta, "resourceVersion"))
      return error_response(
          conflict(r, target.path.name,
                   "Precondition failed: ResourceVersion in precondition: " + string_member(pre, "resourceVersion") +
                       ", ResourceVersion in object meta: " + string_member(meta, "resourceVersion")));
  }
  if (dry_run_delete(request, options)) return json_response(200, present(live->doc, r, target.path.version));
  if (is_namespace) {
    // Namespace deletion removes everything in it (at once; a real cluster takes a while).
    for (const auto& object : store_.all())
      if (object.namespace_() == target.path.name) store_.remove(key_of(object));
  }
  Result<Object> removed = store_.remove(target.key);
  if (!removed.ok()) return error_response(not_found(r, target.path.name));
  after_write();
  return json_response(200, present(removed->doc, r, target.path.version));
}

ApiResponse ApiServer::remove_collection(const ApiRequest& request, const Target& target) {
  const ResourceInfo& r = target.resource;
  auto selectors = selectors_of(request, r);
  if (!selectors.ok()) return error_response(bad_request(selectors.error().message));
  Json options;
  if (!request.body.empty()) options = model::parse_json(request.body).value;  // null when refused
  if (options.is_discarded()) options = Json();
  const bool dry = dry_run_delete(request, options);
  std::lock_guard lock(write_mu_);
  auto [objects, rv] = store_.list_at(r.group, r.kind, r.namespaced ? target.path.namespace_ : "");
  Json items = Json::array();
  bool wrote = false;
  for (const auto& object : objects) {
    if (!selectors->matches(object.doc)) continue;
    if (r.group.empty() && r.kind == "Namespace") continue;  // never in bulk
    if (dry) {
      items.push_back(present(object.doc, r, target.path.version));
      continue;
    }
    if (auto removed = store_.remove(key_of(object)); removed.ok()) {
      items.push_back(present(removed->doc, r, target.path.version));
      wrote = true;
    }
  }
  if (wrote) after_write();
  return json_response(200, {{"kind", r.kind + "List"},
                             {"apiVersion", r.group_version(target.path.version)},
                             {"metadata", {{"resourceVersion", std::to_string(store_.resource_version())}}},
                             {"items", items}});
}

// The scale subresource (autoscaling/v1 Scale) of Deployments, ReplicaSets and StatefulSets,
// for `kubectl scale`.
ApiResponse ApiServer::scale(const ApiRequest& request, const Target& target) {
  const ResourceInfo& r = target.resource;
  auto scale_of = [&](const Object& object) {
    const Json& meta = metadata_of(object.doc);
    const Json& spec = object.doc.value("spec", Json::object());
    const Json& status = object.doc.value("status", Json::object());
    Json scale_meta = Json::object();
    for (const char* f : {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"})
      if (meta.contains(f)) scale_meta[f] = meta[f];
    std::string selector;
    if (spec.contains("selector") && spec["selector"].is_object() && spec["selector"].contains("matchLabels"))
      for (const auto& [k, v] : spec["selector"]["matchLabels"].items())
        selector += (selector.empty() ? "" : ",") + k + "=" + (v.is_string() ? v.get<std::string>() : v.dump());
    return Json{{"kind", "Scale"},
                {"apiVersion", "autoscaling/v1"},
                {"metadata", scale_meta},
                {"spec", {{"replicas", spec.value("replicas", 1)}}},
                {"status", {{"replicas", status.value("replicas", 0)}, {"selector", selector}}}};
  };
  if (request.method == "GET") {
    auto live = store_.get(target.key);
    if (!live) return error_response(not_found(r, target.path.name));
    return json_response(200, scale_of(*live));
  }
  if (request.method != "PUT" && request.method != "PATCH") return error_response(method_not_allowed());
  auto body = parse_body(request.body, request.content_type);
  if (!body.ok()) return error_response(bad_request(body.error().message));
  std::unique_lock lock(write_mu_);
  auto live = store_.get(target.key);
  if (!live) return error_response(not_found(r, target.path.name));
  Json current = scale_of(*live);
  Json wanted;
  if (request.method == "PUT") {
    wanted = *body;
  } else {
    const std::string type = media_type(request.content_type);
    Result<Json> patched = make_error("unsupported");
    if (type == kMergePatchType || type == kSmpType || type == kApplyPatchType)
      patched = json_merge_patch(current, *body);
    else if (type == kJsonPatchType)
      patched = json_patch(current, *body);
    else
      return error_response(unsupported_media_type(kPatchMediaTypes));
    if (!patched.ok()) return error_response(ApiError{422, "Invalid", patched.error().message, nullptr});
    wanted = std::move(*patched);
  }
  const Json& replicas = wanted.is_object() && wanted.contains("spec") ? wanted["spec"].value("replicas", Json())
                                                                         : Json();
  if (replicas.is_number_unsigned() && replicas.get<std::uint64_t>() > 2147483647ull)
    return error_response(bad_request("Scale in version \"v1\" cannot be handled as a Scale: json: cannot unmarshal "
                                      "number " + replicas.dump() + " into Go struct field ScaleSpec.spec.replicas of type int32"));
  if (!replicas.is_number_integer() || replicas.get<std::int64_t>() < 0)
    return error_response(invalid(r, target.path.name, "spec.replicas: Invalid value: must be a non-negative integer",
                                  {{"FieldValueInvalid", "must be a non-negative integer", "spec.replicas"}}));
  Json doc = live->doc;
  doc["spec"]["replicas"] = replicas;
  const std::string wanted_rv = string_member(metadata_of(wanted), "resourceVersion");
  metadata_of(doc)["resourceVersion"] =
      wanted_rv.empty() ? string_member(metadata_of(live->doc), "resourceVersion") : wanted_rv;
  UpdateOutcome outcome = store_update(request, target, *live, std::move(doc), dry_run(request));
  if (outcome.response.status != 200) return outcome.response;
  auto after = store_.get(target.key);
  return json_response(200, scale_of(after ? *after : *live));
}

}  // namespace gwsim::fakes
