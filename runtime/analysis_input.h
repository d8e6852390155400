// What `gwsim analyze` analyzes, and what the warnings of `route`, `run` and `serve` come from:
// the objects read from files, each with what admission said of it, and the world they describe
// as the cluster would hold it (what admission accepted, applied; the controllers' pods; the
// default ingress gateway of an Istio install when the files define none). Refused objects stay
// in the input: the analysis reports them (IST0106) and reads them all the same, as istioctl does.
#pragma once

#include <vector>

#include "engine/analysis/context.h"
#include "engine/model/object.h"

namespace gwsim::runtime {

analysis::Input analysis_input(std::vector<model::Object> objects);

}  // namespace gwsim::runtime
