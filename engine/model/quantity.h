// Kubernetes resource quantities ("100m", "1.5Gi") in the canonical form the API server stores
// them in (k8s.io/apimachinery/pkg/api/resource/quantity.go, CanonicalizeBytes): the API server
// decodes every write into typed objects, so "0.1" is stored as "100m" and "1024Mi" as "1Gi".
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gwsim::model {

// The canonical form of a quantity, or nullopt when `text` is not one gwsim canonicalizes
// (not a quantity, an exponent form such as "1e3", or a negative value): callers keep the text.
// Decimal SI (n u m "" k M G T P E): the largest suffix with an integral mantissa, below one
// nano rounded up to 1n. Binary SI (Ki Mi Gi Ti Pi Ei): the largest binary suffix with an
// integral mantissa; a value under 1024 or with a fraction goes to decimal SI, as Kubernetes does.
std::optional<std::string> canonical_quantity(std::string_view text);

}  // namespace gwsim::model
