// Manifests several tests start from, as YAML blocks: each begins and ends with a newline, so
// blocks join with "---" between them (documents()).
//   echo_deployment("v1", 2): Deployment echo-v1, pods labelled app: echo, version: v1, port 8080
//   echo_service():           Service echo, 80 -> 8080
//   http_gateway(host):       Gateway gw, port 80, for one host
//   echo_behind_gateway():    the three together (version v1)
#pragma once

#include <initializer_list>
#include <string>

namespace gwsim::testing {

inline std::string documents(std::initializer_list<std::string> blocks) {
  std::string out;
  for (const auto& b : blocks) out += (out.empty() ? "" : "---") + b;
  return out;
}

inline std::string echo_deployment(const std::string& version, int replicas) {
  return R"(
apiVersion: apps/v1
kind: Deployment
metadata: {name: echo-)" + version + R"(}
spec:
  replicas: )" + std::to_string(replicas) + R"(
  selector: {matchLabels: {app: echo, version: )" + version + R"(}}
  template:
    metadata: {labels: {app: echo, version: )" + version + R"(}}
    spec: {containers: [{name: echo, image: istio/echo, ports: [{containerPort: 8080}]}]}
)";
}

inline std::string echo_service() {
  return R"(
apiVersion: v1
kind: Service
metadata: {name: echo}
spec: {selector: {app: echo}, ports: [{name: http, port: 80, targetPort: 8080}]}
)";
}

inline std::string http_gateway(const std::string& host) {
  return R"(
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: [")" + host + R"("]}]
)";
}

inline std::string echo_behind_gateway(const std::string& gateway_host = "echo.example.com", int replicas = 1) {
  return documents({echo_deployment("v1", replicas), echo_service(), http_gateway(gateway_host)});
}

}  // namespace gwsim::testing
