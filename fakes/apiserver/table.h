// Server-side printing: the meta.k8s.io/v1 Table kubectl asks for with
// `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`. kubectl prints the cells verbatim, so
// the columns and cell texts follow the real server's printers (pkg/printers/internalversion
// for built-in kinds, the CRDs' additionalPrinterColumns for Istio's), AGE included.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/model/object.h"
#include "fakes/apiserver/resources.h"

namespace gwsim::fakes {

using model::Json;

// Kubernetes' duration.HumanDuration: "5s", "2m30s", "15m", "3h20m", "2d4h", "400d", "2y10d".
std::string human_duration(std::int64_t seconds);

struct TableOptions {
  enum class IncludeObject { kNone, kMetadata, kObject };
  IncludeObject include_object = IncludeObject::kMetadata;  // ?includeObject=
  std::int64_t now = 0;                                      // unix seconds, for AGE
};

// A Table of `objects` (all of `resource`, already in the requested apiVersion). An empty
// `resource_version` leaves metadata.resourceVersion out (single-object tables).
Json make_table(const ResourceInfo& resource, const std::vector<Json>& objects, const TableOptions& options,
                const std::string& resource_version = "");

}  // namespace gwsim::fakes
