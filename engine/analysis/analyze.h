// `gwsim analyze`'s engine: every analyzer over one context, messages sorted as istioctl sorts
// them (pkg/config/analysis/diag/messages.go SortedDedupedCopy: by level, code, origin, then text)
// with identical messages printed once.
#pragma once

#include <vector>

#include "engine/analysis/analyzers.h"
#include "engine/analysis/context.h"
#include "engine/analysis/message.h"

namespace gwsim::analysis {

std::vector<Message> analyze(const Context& context);
// One analyzer alone (tests port Istio's table, which runs one analyzer per case).
std::vector<Message> analyze(const Context& context, const Analyzer& analyzer);

// Sorted, identical ones once.
std::vector<Message> sorted_unique(std::vector<Message> messages);

}  // namespace gwsim::analysis
