// The admission path: the API server's strict decoding and structural schema check, then Istio's
// validating webhook or the API server's validation of a built-in kind (k8s.io/apiserver's admission chain as a CRD object meets it: decode,
// validate against the schema, then the validating webhooks).
#include "engine/validation/admission.h"

#include "engine/model/kinds.h"
#include "engine/validation/ingress.h"
#include "engine/validation/validate.h"

namespace gwsim::validation {

bool AdmissionResult::has(ProblemKind kind) const {
  for (const auto& p : problems) {
    if (p.kind == kind) return true;
  }
  return false;
}

std::vector<model::SchemaIssue> AdmissionResult::schema_issues() const {
  std::vector<model::SchemaIssue> out;
  for (const auto& p : problems) {
    if (p.schema) out.push_back(*p.schema);
  }
  return out;
}

std::string AdmissionResult::webhook_message() const {
  ValidationReport report;
  for (const auto& p : problems) {
    if (p.kind == ProblemKind::kWebhookDenial) report.errors.push_back(p.message);
  }
  report.error_list = webhook_error_list;
  return report.webhook_message();
}

namespace {

// The schema's issues as admission problems (strict decoding for unknown fields).
AdmissionResult schema_problems(const model::Object& object, std::vector<model::SchemaIssue> issues) {
  AdmissionResult result;
  for (auto& issue : issues) {
    AdmissionProblem p;
    p.kind = issue.kind == model::SchemaIssue::Kind::kUnknownField ? ProblemKind::kStrictDecoding : ProblemKind::kSchema;
    p.field = issue.path;
    p.message = issue.message();
    p.where = object.where(issue.pointer);
    p.schema = std::move(issue);
    result.problems.push_back(std::move(p));
  }
  return result;
}

}  // namespace

AdmissionResult admit(const model::Object& object) {
  AdmissionResult result;
  if (!model::has_crd_schema(object.group(), object.kind())) return result;

  // The API server's schema check comes first; a refused object never reaches the webhook.
  auto issues = model::check_crd_schema(object);
  if (!issues.empty()) return schema_problems(object, std::move(issues));

  if (is_builtin_validated_kind(object.group(), object.kind())) {
    for (auto& error : validate_builtin(object)) {
      AdmissionProblem p;
      p.kind = ProblemKind::kInvalid;
      p.field = error.field;
      p.message = error.message();
      p.reason = std::move(error.reason);
      p.where = object.where(error.pointer);
      result.problems.push_back(std::move(p));
    }
    return result;
  }

  ValidationReport report = validate(object);
  result.warnings = std::move(report.warnings);
  result.webhook_error_list = report.error_list;
  const std::string where = object.source.to_string();
  for (auto& error : report.errors) {
    AdmissionProblem p;
    p.kind = ProblemKind::kWebhookDenial;
    p.message = std::move(error);
    p.where = where;
    result.problems.push_back(std::move(p));
  }
  return result;
}

AdmissionResult admit_update(const model::Object& object, const model::Object& old) {
  if (object.group() != model::kGatewayApiGroup || !model::has_crd_schema(object.group(), object.kind())) {
    return admit(object);
  }
  // No webhook validates the Gateway API kinds: the schema, its rules and its transition rules.
  return schema_problems(object, model::check_crd_update(object, old));
}

}  // namespace gwsim::validation
