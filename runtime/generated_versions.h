// Resource versions for the Gateways and VirtualServices Istio's Kubernetes controllers generate
// (model::GeneratedConfig). They never pass through the API store, so nothing gives them a
// resourceVersion; the compiler's cache (route::CompileCache) reuses work per object while its
// resourceVersion is unchanged, so each generated object gets one that changes exactly when
// its content changes (Istio's krt collections likewise push only configs that differ).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/model/istio.h"

namespace gwsim::runtime {

// Every field of a generated object that the engine reads, as one string: equal strings, equal
// objects. Source positions are left out (generated objects have none).
std::string content_fingerprint(const model::Gateway& gateway);
std::string content_fingerprint(const model::VirtualService& virtual_service);

class GeneratedVersions {
 public:
  // Sets each object's meta.resource_version: the one it had last time while its content is the
  // same, else a new one ("generated-<n>", never reused). Objects not in this call are forgotten.
  void stamp(std::vector<model::Gateway>& gateways, std::vector<model::VirtualService>& virtual_services);
  // The whole set of Gateways only; VirtualServices are left as they are.
  void stamp(std::vector<model::Gateway>& gateways);
  // Some VirtualServices, the others kept (a controller that answers with what changed):
  // `changed` stamped as above, `removed` ("ns/name") forgotten.
  void stamp_some(std::vector<model::VirtualService>& changed, const std::vector<std::string>& removed);

 private:
  struct Known {
    std::string fingerprint;
    std::string resource_version;
  };
  template <typename T>
  void stamp_list(std::vector<T>& objects, std::map<std::string, Known>& known, bool whole);

  std::map<std::string, Known> gateways_;          // "ns/name"
  std::map<std::string, Known> virtual_services_;  // "ns/name"
  std::uint64_t next_ = 0;
};

}  // namespace gwsim::runtime
