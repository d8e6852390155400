// compile_gateway: ConfigSnapshot + gateway workload -> RouteTable, following Istio's
// pilot/pkg/networking/core/gateway.go and route/route.go. A pure function: the same snapshot
// always yields the same table.
#pragma once

#include <string>

#include "engine/model/result.h"
#include "engine/model/snapshot.h"
#include "engine/route/route_table.h"

namespace gwsim::route {

// Compile the table for the gateway workload behind `gateway_service` ("ns/name"): the
// Service's ready pods give the workload's labels and namespace. Errors only when the
// Service or its pods do not exist.
Result<RouteTable> compile_gateway(const model::ConfigSnapshot& snapshot, const std::string& gateway_service);

// Compile for an explicit workload (tests and benchmarks).
RouteTable compile_for_proxy(const model::ConfigSnapshot& snapshot, GatewayProxy proxy);

}  // namespace gwsim::route
