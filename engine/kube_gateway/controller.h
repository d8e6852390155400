// The Gateway API as Istio implements it: Gateways, HTTPRoutes, GRPCRoutes, TLSRoutes and
// TCPRoutes translated into Istio Gateways and VirtualServices, with the status Istio writes
// (pilot/pkg/config/kube/gateway/controller.go, which runs the collections of
// gateway_collection.go and route_collections.go over conversion.go).
#pragma once

#include <memory>
#include <string>

#include "engine/model/generated_config.h"
#include "engine/model/snapshot.h"

namespace gwsim::kube_gateway {

struct Options {
  // The cluster's DNS domain: backends become <name>.<namespace>.svc.<domain_suffix>. Istio's
  // own tests use "domain.suffix".
  std::string domain_suffix = "cluster.local";
};

// Everything the Gateway API objects of the snapshot translate to. A pure function of the
// snapshot: the same snapshot gives the same objects, names and status.
//
// The generated Istio objects carry Istio's internal annotations, which the compile steps must
// honour (Istio's testdata/*.yaml.golden show them):
//   Gateway  internal.istio.io/gateway-service: the Service hostname(s), comma-separated, whose
//            gateway pods serve it (replaces a selector; kube gateways have none).
//   Gateway  internal.istio.io/gateway-semantics: "gateway".
//   Gateway  internal.istio.io/service-account-name: the managed deployment's account ("" for
//            a manually deployed gateway).
//   VirtualService internal.istio.io/route-semantics: "gateway" (Gateway API path semantics:
//            a prefix match is on path segments).
//   both     internal.istio.io/parents: the source objects, "Kind/name[/section].namespace".
// Status conditions carry no lastTransitionTime: whoever writes status sets it.
model::GeneratedConfig convert(const model::ConfigSnapshot& snapshot, const Options& options = {});

// The same translation across successive snapshots, keeping each route's outputs as istiod's
// krt collections do: a route is translated again only when it changed (its resourceVersion)
// or something it read did (the listeners of the Gateways it names, the Services it looked up,
// any ReferenceGrant). The first update answers everything, as convert() does; each later one
// answers only what changed since (model::GeneratedConfig::incremental). Objects without a
// resourceVersion (read from files) are translated every time.
class Translator {
 public:
  explicit Translator(Options options = {});
  ~Translator();
  Translator(const Translator&) = delete;
  Translator& operator=(const Translator&) = delete;

  model::GeneratedConfig update(const model::ConfigSnapshot& snapshot);

 private:
  struct State;
  Options options_;
  std::unique_ptr<State> state_;
};

}  // namespace gwsim::kube_gateway
