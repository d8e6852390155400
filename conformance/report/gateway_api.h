// The Gateway API conformance profiles, as the upstream suite defines them, for the scenarios
// ported from it (conformance/suite/GatewayAPI*): which profiles a test counts in and whether as
// core or extended, from the features it lists (its spec.features are the upstream test's
// Features). Data from kubernetes-sigs/gateway-api v1.6.1: pkg/features/*.go (feature sets),
// conformance/utils/suite/profiles.go (profiles) and conformance/tests/*.go (Provisional).
#pragma once

#include <set>
#include <string>
#include <vector>

namespace gwsim::conformance::report::gateway_api {

// The release of the Gateway API conformance suite the scenarios are ported from.
inline constexpr const char* kSuiteVersion = "v1.6.1";

struct Profile {
  std::string name;                // GATEWAY-HTTP, ...
  std::set<std::string> core;      // features every implementation of the profile supports
  std::set<std::string> extended;  // optional features of the profile
};

// GATEWAY-GRPC, GATEWAY-HTTP and GATEWAY-TLS, sorted by name (the profiles gwsim reports;
// TCP, UDP and the mesh profiles have no ported test).
const std::vector<Profile>& profiles();

// Whether `feature` is a Gateway API feature name (pkg/features, every set of v1.6.1).
bool is_feature(const std::string& feature);

// Whether a scenario with these features is a ported Gateway API test: it lists at least one
// Gateway API feature. Such a scenario is reported in the GATEWAY-* profiles only.
bool is_test(const std::vector<std::string>& features);

struct Placement {
  const Profile* profile = nullptr;
  bool extended = false;
};

// The profiles a test counts in: each whose core and extended features together hold all of
// the test's features (suite.go getConformanceProfilesForTest), as extended when any of them
// is not a core feature of that profile (reports.go isTestExtended). Possibly none.
std::vector<Placement> place(const std::vector<std::string>& features);

// Whether the upstream test of this ShortName is marked Provisional.
bool is_provisional(const std::string& short_name);

}  // namespace gwsim::conformance::report::gateway_api
