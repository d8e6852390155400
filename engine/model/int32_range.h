// The int32 fields of the Kubernetes kinds gwsim reads, range-checked as Kubernetes' JSON decoder
// checks them: a number an int32 cannot hold is refused (Go's encoding/json "cannot unmarshal
// number ... of type int32"), where a C++ cast would wrap it (replicas: 4294967297 read as 1).
// Fields: apps/v1 workloads' replicas, minReadySeconds, revisionHistoryLimit,
// progressDeadlineSeconds and ordinals.start; Service ports (port, targetPort, nodePort); Pod
// container ports (containerPort, hostPort); Endpoints ports.
#pragma once

#include <string>
#include <vector>

#include "engine/model/object.h"

namespace gwsim::model {

struct Int32Problem {
  std::string pointer;  // JSON pointer of the field: "/spec/replicas"
  std::string message;  // "json: cannot unmarshal number 4294967297 into Go struct field
                        //  DeploymentSpec.spec.replicas of type int32"
};

std::vector<Int32Problem> int32_out_of_range(const Object& object);

}  // namespace gwsim::model
