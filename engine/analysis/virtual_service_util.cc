#include "engine/analysis/virtual_service_util.h"

namespace gwsim::analysis {

std::vector<AnnotatedDestination> route_destinations(const model::VirtualService& vs) {
  std::vector<AnnotatedDestination> out;
  auto add = [&](const char* rule, int i, int j, const model::Destination& d) {
    out.push_back({rule, i, j, &d,
                   "/spec/" + std::string(rule) + "/" + std::to_string(i) + "/route/" + std::to_string(j) +
                       "/destination/host"});
  };
  for (size_t i = 0; i < vs.tcp.size(); ++i)
    for (size_t j = 0; j < vs.tcp[i].route.size(); ++j) add("tcp", int(i), int(j), vs.tcp[i].route[j].destination);
  for (size_t i = 0; i < vs.tls.size(); ++i)
    for (size_t j = 0; j < vs.tls[i].route.size(); ++j) add("tls", int(i), int(j), vs.tls[i].route[j].destination);
  for (size_t i = 0; i < vs.http.size(); ++i)
    for (size_t j = 0; j < vs.http[i].route.size(); ++j) add("http", int(i), int(j), vs.http[i].route[j].destination);
  return out;
}

std::vector<AnnotatedDestination> mirror_destinations(const model::VirtualService& vs) {
  std::vector<AnnotatedDestination> out;
  for (size_t i = 0; i < vs.http.size(); ++i) {
    const auto& http = vs.http[i];
    if (http.mirror)
      out.push_back({"http.mirror", int(i), 0, &*http.mirror, "/spec/http/" + std::to_string(i) + "/mirror/host"});
    for (size_t j = 0; j < http.mirrors.size(); ++j)
      out.push_back({"http.mirrors", int(i), int(j), &http.mirrors[j].destination,
                     "/spec/http/" + std::to_string(i) + "/mirrors/" + std::to_string(j) + "/destination/host"});
  }
  return out;
}

}  // namespace gwsim::analysis
