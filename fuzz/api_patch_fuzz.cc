// libFuzzer target: the API server's patch code (fakes/apiserver/patch.h): JSON merge patch,
// JSON patch (RFC 6902) and strategic merge patch of a Deployment and a VirtualService by an
// arbitrary JSON document. The first byte picks the patch type; the rest is the patch.
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/model/safe_yaml.h"
#include "fakes/apiserver/patch.h"

namespace {
using gwsim::model::Json;

const Json& deployment() {
  static const Json d = Json::parse(R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web",
    "labels":{"app":"web"}},"spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":
    {"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"web:1","ports":[{"containerPort":8080}],
    "env":[{"name":"A","value":"1"}]}]}}}})");
  return d;
}
const Json& virtual_service() {
  static const Json v = Json::parse(R"({"apiVersion":"networking.istio.io/v1","kind":"VirtualService","metadata":
    {"name":"shop"},"spec":{"hosts":["shop.example.com"],"http":[{"route":[{"destination":{"host":"web"}}]}]}})");
  return v;
}
}  // namespace

// As the API server writes its answers: invalid UTF-8 replaced, never thrown (nlohmann's default
// throws type_error 316, which only a harness that forgot the handler would hit).
constexpr auto kReplaceInvalidUtf8 = nlohmann::json::error_handler_t::replace;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  gwsim::model::JsonDocument patch =
      gwsim::model::parse_json(std::string_view(reinterpret_cast<const char*>(data + 1), size - 1));
  if (patch.error) return 0;
  const bool on_deployment = data[0] & 4;
  const Json& original = on_deployment ? deployment() : virtual_service();
  switch (data[0] % 3) {
    case 0:
      (void)gwsim::fakes::json_merge_patch(original, patch.value).dump(-1, ' ', false, kReplaceInvalidUtf8);
      break;
    case 1: {
      auto patched = gwsim::fakes::json_patch(original, patch.value);
      if (patched) (void)patched->dump(-1, ' ', false, kReplaceInvalidUtf8);
      break;
    }
    default: {
      auto patched = on_deployment ? gwsim::fakes::strategic_merge_patch(original, patch.value, "apps", "Deployment")
                                   : gwsim::fakes::strategic_merge_patch(original, patch.value, "networking.istio.io",
                                                                         "VirtualService");
      if (patched) (void)patched->dump(-1, ' ', false, kReplaceInvalidUtf8);
      break;
    }
  }
  return 0;
}
