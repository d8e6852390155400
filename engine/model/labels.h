// Label selectors' equality form (a Service's spec.selector, a Gateway's selector, a
// DestinationRule subset's labels): Istio's pkg/config/labels Instance.SubsetOf and
// Kubernetes' labels.SelectorFromSet(...).Matches.
#pragma once

#include "engine/model/k8s.h"
#include "engine/model/object.h"

namespace gwsim::model {

// Every label of `selector` has the same value in `labels` (an empty selector selects all).
bool selects(const Labels& selector, const Labels& labels);

// The same for labels still in JSON (metadata.labels): a missing or non-string value does not
// match.
bool selects(const Labels& selector, const Json& labels);

}  // namespace gwsim::model
