// The Kubernetes protobuf encoding (application/vnd.kubernetes.protobuf), read-only.
// kubectl's typed commands (`kubectl create namespace/configmap/secret/deployment/service`,
// `kubectl run`, `kubectl expose`) send built-in objects this way rather than as JSON: the 4-byte
// magic "k8s\0", then a runtime.Unknown envelope {typeMeta{apiVersion, kind}, raw} whose raw bytes
// are the object's message. decode_kubernetes_protobuf() turns that into the JSON the rest of the
// server handles, as the Go types' JSON encoding writes it: fields left at their zero value are
// omitted (omitempty), and Time, IntOrString, Quantity and FieldsV1 take their JSON forms.
// The message schemas (detail_proto_schema.cc) cover the core/v1 and apps/v1 kinds served.
#pragma once

#include <string>
#include <string_view>

#include "engine/model/object.h"
#include "engine/model/result.h"

namespace gwsim::fakes {

using model::Json;

inline constexpr const char* kProtobufMediaType = "application/vnd.kubernetes.protobuf";

// Error: the body is not such an envelope, names a kind without a schema, or is truncated.
Result<Json> decode_kubernetes_protobuf(std::string_view body);

}  // namespace gwsim::fakes
