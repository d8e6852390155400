// Istio's validating webhook for Gateway, VirtualService, DestinationRule and ServiceEntry:
// pkg/config/validation's Validate* for the object's kind (one file per kind here), after the
// annotation checks every kind gets. The API server's CRD schema check runs before it, in
// admission.cc.
#include "engine/validation/validate.h"

#include "engine/model/kinds.h"
#include "engine/validation/authorization_policy.h"
#include "engine/validation/detail_fields.h"
#include "engine/validation/detail_kinds.h"
#include "engine/validation/detail_rules.h"
#include "engine/validation/request_authentication.h"

namespace gwsim::validation {

namespace {

using model::Json;
using namespace detail;  // NOLINT: the rule helpers

// validateMetadata: annotations that the webhook refuses on every kind it validates.
std::optional<std::string> validate_metadata(const model::Object& object, const std::string& ns) {
  const Json* meta = get(object.doc, "metadata");
  if (!meta) return std::nullopt;
  auto annotations = string_map(*meta, "annotations");
  // Only AuthorizationPolicy may carry istio.io/dry-run (checkDryRunAnnotation).
  if (object.kind() == "AuthorizationPolicy" && object.group() == "security.istio.io") {
    if (auto err = check_authorization_dry_run(object, ns)) return err;
  } else if (annotations.count("istio.io/dry-run")) {
    return ns + "/" + object.name() + " has unsupported annotation istio.io/dry-run, please remove the annotation";
  }
  if (annotations.count("internal.istio.io/webhook-always-reject")) {
    return go_quote("internal.istio.io/webhook-always-reject") + " annotation found, rejecting";
  }
  for (const char* internal : {"internal.istio.io/parent-namespace", "internal.istio.io/parents"}) {
    if (annotations.count(internal)) return go_quote(internal) + " annotation found, this may not be set by users";
  }
  return std::nullopt;
}

std::string error_list_text(const std::vector<std::string>& errors) {
  // go-multierror's ListFormatFunc, without its two trailing newlines.
  if (errors.size() == 1) return "1 error occurred:\n\t* " + errors.front();
  std::string out = std::to_string(errors.size()) + " errors occurred:";
  for (const auto& e : errors) out += "\n\t* " + e;
  return out;
}

}  // namespace

bool is_webhook_kind(const std::string& group, const std::string& kind) {
  return (group == model::kIstioNetworkingGroup || group == model::kIstioSecurityGroup) && model::is_engine_kind(group, kind);
}

std::string ValidationReport::webhook_message() const {
  if (errors.empty()) return {};
  std::string detail = error_list || errors.size() > 1 ? error_list_text(errors) : errors.front();
  return "configuration is invalid: " + detail;
}

ValidationReport validate(const model::Object& object) {
  ValidationReport report;
  if (!is_webhook_kind(object.group(), object.kind())) return report;
  const std::string ns = object.namespace_().empty() ? "default" : object.namespace_();
  if (auto err = validate_metadata(object, ns)) {
    report.errors.push_back(*err);
    return report;
  }
  static const Json empty_spec = Json::object();
  const Json* spec_ptr = get(object.doc, "spec");
  const Json& spec = spec_ptr ? *spec_ptr : empty_spec;
  Errors e;
  const std::string kind = object.kind();
  if (kind == "Gateway") e = validate_gateway(object, spec);
  else if (kind == "VirtualService") e = validate_virtual_service(object, spec);
  else if (kind == "DestinationRule") e = validate_destination_rule(ns, spec);
  else if (kind == "ServiceEntry") e = validate_service_entry(object, ns, spec);
  else if (kind == "AuthorizationPolicy") e = validate_authorization_policy(object, ns);
  else if (kind == "RequestAuthentication") e = validate_request_authentication(spec);
  report.errors = std::move(e.errors);
  report.warnings = std::move(e.warnings);
  report.error_list = e.list;
  return report;
}

}  // namespace gwsim::validation
