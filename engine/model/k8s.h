// Typed views of the Kubernetes core objects the gateway engine reads.
// Only the fields that decide routing are kept; the store keeps the full documents.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/model/object.h"

namespace gwsim::model {

using Labels = std::map<std::string, std::string>;

// Metadata every typed object carries. creation_time is Unix seconds (second resolution,
// as in Kubernetes); it drives Istio's "oldest first" ordering.
struct Meta {
  std::string name;
  std::string namespace_;
  Labels labels;
  std::map<std::string, std::string> annotations;
  std::int64_t creation_time = 0;
  std::string uid;
  std::string resource_version;  // as the API store set it; "" for objects read from files
  SourcePos source;
};

struct ServicePort {
  std::string name;
  std::int32_t port = 0;
  std::string protocol = "TCP";
  std::optional<std::string> app_protocol;
  // targetPort: a number or a container port name. Both empty/0 means "same as port".
  std::int32_t target_port_number = 0;
  std::string target_port_name;
};

struct Service {
  Meta meta;
  std::string type = "ClusterIP";
  Labels selector;  // empty: no endpoints are managed by Kubernetes
  std::vector<ServicePort> ports;
  std::vector<std::string> export_to;  // from annotation networking.istio.io/exportTo; empty = "*"
  std::string fqdn;  // set for a ServiceEntry host: the hostname as written (not name.ns.svc...)
  // The addresses Istio writes into an Ingress status (pilot/pkg/config/kube/ingress/ingress.go
  // runningAddresses): spec.externalName, spec.externalIPs, status.loadBalancer.ingress[] (ip,
  // or hostname when it has no ip).
  std::string external_name;
  std::vector<std::string> external_ips;
  std::vector<std::string> load_balancer_ingress;
  // The FQDN Istio gives this Service: <name>.<namespace>.svc.cluster.local
  std::string hostname() const;
};

struct ContainerPort {
  std::string name;
  std::int32_t container_port = 0;
  std::string protocol = "TCP";
};

struct Pod {
  Meta meta;
  std::string ip;  // status.podIP
  bool ready = false;
  std::vector<ContainerPort> ports;  // all containers' ports, in order
  std::string service_account;
};

// One ready or not-ready address of a Service (core/v1 Endpoints, flattened).
struct EndpointAddress {
  std::string ip;
  std::string pod_name;  // targetRef name, when the address is a pod
  std::string pod_namespace;
  bool ready = true;
};

struct EndpointPort {
  std::string name;
  std::int32_t port = 0;  // the pod port traffic is sent to (the resolved targetPort)
};

struct EndpointSubset {
  std::vector<EndpointAddress> addresses;  // ready and not-ready addresses
  std::vector<EndpointPort> ports;
};

struct Endpoints {
  Meta meta;  // same namespace/name as the Service
  std::vector<EndpointSubset> subsets;
};

struct Namespace {
  Meta meta;
};

struct Secret {
  Meta meta;
  std::string type;
  std::map<std::string, std::string> data;  // decoded (data is base64 in the object; stringData is plain)
};

}  // namespace gwsim::model
