// The API server's own validation of networking.k8s.io/v1 Ingress and IngressClass (built-in
// kinds: no CRD, no webhook): k8s.io/kubernetes pkg/apis/networking/validation/validation.go
// ValidateIngressCreate and ValidateIngressClass, with the field helpers of
// k8s.io/apimachinery/pkg/util/validation. Each error is worded as the API server words a
// field.Error ("spec.rules[0].host: Invalid value: \"10.0.0.1\": must be a DNS name, not an IP
// address"). admission.h's admit() runs it after the strict decoding check.
#pragma once

#include <string>
#include <vector>

#include "engine/model/object.h"

namespace gwsim::validation {

// One field.Error of the API server's validation.
struct FieldError {
  std::string reason;   // the metav1.StatusCause reason: "FieldValueInvalid", "FieldValueRequired",
                        // "FieldValueNotSupported", "FieldValueForbidden", "FieldValueTooLong"
  std::string field;    // "spec.rules[0].host"
  std::string pointer;  // "/spec/rules/0/host" (of the nearest field present), for file:line
  std::string detail;   // what follows "<field>: ": "Invalid value: \"x\": must be ..."

  std::string message() const { return field + ": " + detail; }
};

// Kinds validated here: networking.k8s.io Ingress and IngressClass.
bool is_builtin_validated_kind(const std::string& group, const std::string& kind);

// The API server's validation of the object on create (empty when valid, or for other kinds).
std::vector<FieldError> validate_builtin(const model::Object& object);

}  // namespace gwsim::validation
