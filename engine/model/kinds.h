// The kinds gwsim knows: the one table of API groups, kinds, served versions and what the
// engine does with each. The manifest loader, the snapshot, the webhook, the fake API server
// and the scenario loader read it. Follows Istio's pkg/config/schema/collections (the
// registered kinds with their group and versions, the preferred one first).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gwsim::model {

inline constexpr const char* kIstioNetworkingGroup = "networking.istio.io";
inline constexpr const char* kIstioSecurityGroup = "security.istio.io";
inline constexpr const char* kGatewayApiGroup = "gateway.networking.k8s.io";

struct KindInfo {
  const char* group;  // "" for the core group
  const char* kind;
  std::vector<const char*> versions;  // preferred first
  bool simulated;                     // false: stored, so manifests holding it still apply, but nothing reads it
  bool in_snapshot;                   // the engine's ConfigSnapshot reads it (snapshot.h)
};

// Every kind, core first, then apps, then Istio's, then Ingress and the Gateway API.
const std::vector<KindInfo>& known_kinds();

// The kind of that group; nullptr when gwsim does not know it.
const KindInfo* find_kind(std::string_view group, std::string_view kind);

// The first known kind of that name, whatever its group ("Gateway" is Istio's); nullptr: none.
const KindInfo* find_kind_named(std::string_view kind);

// The apiVersion "group/version" of one of its versions ("v1" for the core group).
std::string group_version(const KindInfo& info, const char* version);
// The same for the preferred version.
inline std::string preferred_api_version(const KindInfo& info) { return group_version(info, info.versions.front()); }

// Whether the engine reads objects of this kind (its ConfigSnapshot): everything else in the
// store is ignored by it.
bool is_engine_kind(std::string_view group, std::string_view kind);

}  // namespace gwsim::model
