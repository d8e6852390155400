// compile_gateway: ConfigSnapshot + gateway workload -> RouteTable, following Istio's
// pilot/pkg/networking/core/gateway.go and route/route.go. A pure function: the same snapshot
// always yields the same table. compile.cc orders the steps; each step is its own file in
// engine/route (see compile.cc).
#pragma once

#include <string>

#include "engine/model/result.h"
#include "engine/model/snapshot.h"
#include "engine/route/compile_cache.h"
#include "engine/route/route_table.h"

namespace gwsim::route {

// Compile the table for the gateway workload behind `gateway_service` ("ns/name"): the
// Service's ready pods give the workload's labels and namespace. Errors only when the
// Service or its pods do not exist.
Result<RouteTable> compile_gateway(const model::ConfigSnapshot& snapshot, const std::string& gateway_service,
                                   CompileCache* cache = nullptr);

// Compile for an explicit workload (tests and benchmarks).
RouteTable compile_for_proxy(const model::ConfigSnapshot& snapshot, GatewayProxy proxy, CompileCache* cache = nullptr);

}  // namespace gwsim::route
