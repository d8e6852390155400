// Admission: the one path an Istio, Gateway API or Ingress object takes into the cluster, whether
// it comes from a file (gwsim run, scenarios) or through the fake API server (kubectl). As in a
// real cluster the API server decodes the object strictly and checks it against the CRD's
// structural schema and CEL rules (model::check_crd_schema); only an object that passes reaches
// Istio's validating webhook (validate.h), or, for the built-in Ingress and IngressClass, the API
// server's own validation (ingress.h). Each object is checked once; what refused it is told by the problem's kind, so a
// caller never has to read a message to know (the fake API server words and codes it from the
// kind: fakes/apiserver/status.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/model/crd_schema.h"
#include "engine/model/object.h"

namespace gwsim::validation {

enum class ProblemKind {
  kStrictDecoding,  // a field the CRD does not have, under strict field validation (kubectl's)
  kSchema,          // the CRD's schema: type, format, enum, required, bounds, oneOf, list keys, CEL
  kWebhookDenial,   // Istio's validating webhook denied the object
  kInvalid,         // the API server's validation of a built-in kind (Ingress, IngressClass): a
                    // 422 Invalid whose causes are these field errors
};

struct AdmissionProblem {
  ProblemKind kind = ProblemKind::kSchema;
  std::string field;    // "spec.http[0].rout"; "" for a webhook denial (Istio's errors name none)
  std::string message;  // "spec.http[0].rout: unknown field \"rout\"", or the webhook's error, or
                        // the field error as the API server words it ("spec.rules[0].host:
                        // Invalid value: \"10.0.0.1\": must be a DNS name, not an IP address")
  std::string reason;   // kInvalid: the cause's reason ("FieldValueInvalid", "FieldValueRequired", ...)
  std::string where;    // "file:line:col" of the field (of the object for a webhook denial), if known
  std::optional<model::SchemaIssue> schema;  // the schema's finding (not for a webhook denial)
};

struct AdmissionResult {
  // Empty when admitted. Schema problems in the schema's order; a refused schema means the
  // webhook was not asked, so the kinds never mix.
  std::vector<AdmissionProblem> problems;
  std::vector<std::string> warnings;  // the webhook's warnings (an admitted object may have some)
  // Whether Istio prints the webhook's errors as a list ("N errors occurred:"), also for some
  // single errors (see ValidationReport::error_list).
  bool webhook_error_list = false;

  bool ok() const { return problems.empty(); }
  // Whether any problem is of `kind`.
  bool has(ProblemKind kind) const;
  // The schema issues, in order (empty unless the schema refused the object).
  std::vector<model::SchemaIssue> schema_issues() const;
  // The webhook's reason: "configuration is invalid: ..." ("" unless the webhook denied it).
  std::string webhook_message() const;
};

// Check one object: CRD schema, then Istio's webhook or a built-in kind's validation. Kinds
// without a schema here pass.
AdmissionResult admit(const model::Object& object);

// An update of the stored `old`: admit(), plus the CRD's transition rules for the Gateway API
// kinds (model::check_crd_update: GatewayClass spec.controllerName is immutable).
AdmissionResult admit_update(const model::Object& object, const model::Object& old);

}  // namespace gwsim::validation
