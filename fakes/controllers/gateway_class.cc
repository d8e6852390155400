#include "fakes/controllers/gateway_class.h"

#include <utility>

#include "engine/model/json_fields.h"
#include "engine/model/kinds.h"

namespace gwsim::fakes {

using model::member;
using model::string_or_empty;

namespace {

std::int64_t generation_of(const Json& doc) {
  const Json& g = member(member(doc, "metadata"), "generation");
  return g.is_number_integer() ? g.get<std::int64_t>() : 0;
}

}  // namespace

const std::vector<IstioGatewayClass>& istio_gateway_classes() {
  static const std::vector<IstioGatewayClass> classes = {
      {"istio", kIstioGatewayController, "The default Istio GatewayClass", "kube-gateway", "LoadBalancer"},
      {"istio-remote", kIstioUnmanagedGatewayController,
       "Remote to this cluster. Does not deploy or affect configuration.", "", ""},
  };
  return classes;
}

const IstioGatewayClass* istio_class_for_controller(std::string_view controller) {
  for (const auto& c : istio_gateway_classes())
    if (controller == c.controller) return &c;
  return nullptr;
}

const IstioGatewayClass* istio_builtin_class(std::string_view name) {
  for (const auto& c : istio_gateway_classes())
    if (name == c.name) return &c;
  return nullptr;
}

int create_builtin_gateway_classes(ApiStore& store) {
  int written = 0;
  for (const auto& c : istio_gateway_classes()) {
    if (store.get({model::kGatewayApiGroup, "GatewayClass", "", c.name})) continue;
    Object object;
    object.doc = {{"apiVersion", std::string(model::kGatewayApiGroup) + "/v1"},
                  {"kind", "GatewayClass"},
                  {"metadata", {{"name", c.name}}},
                  {"spec", {{"controllerName", c.controller}, {"description", c.description}}}};
    if (store.create(std::move(object)).ok()) ++written;
  }
  return written;
}

int write_gateway_class_status(ApiStore& store) {
  int written = 0;
  for (const Object& gc : store.list(model::kGatewayApiGroup, "GatewayClass")) {
    if (!istio_class_for_controller(string_or_empty(member(member(gc.doc, "spec"), "controllerName")))) continue;
    const Json& current = member(gc.doc, "status");
    Json status = current.is_object() ? current : Json::object();
    Json condition = {{"type", "Accepted"},
                      {"status", "True"},
                      {"observedGeneration", generation_of(gc.doc)},
                      {"lastTransitionTime", format_timestamp(store.now())},
                      {"reason", "Accepted"},
                      {"message", "Handled by Istio controller"}};
    Json& conditions = status["conditions"];
    if (!conditions.is_array()) conditions = Json::array();
    Json* existing = nullptr;
    for (Json& c : conditions)
      if (string_or_empty(member(c, "type")) == "Accepted") existing = &c;
    if (!existing) {
      conditions.push_back(std::move(condition));
    } else if (member(*existing, "status") == condition["status"]) {
      if (member(*existing, "message") == condition["message"] &&
          member(*existing, "observedGeneration") == condition["observedGeneration"])
        continue;
      condition["lastTransitionTime"] = member(*existing, "lastTransitionTime");  // status unchanged
      *existing = std::move(condition);
    } else {
      *existing = std::move(condition);
    }
    if (status == current) continue;
    if (store.update_status(key_of(gc), std::move(status)).ok()) ++written;
  }
  return written;
}

}  // namespace gwsim::fakes
