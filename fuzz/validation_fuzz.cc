// libFuzzer target: Istio's validation (engine/validation) on objects whose spec is arbitrary
// JSON. The first byte picks the kind; the rest is the spec as JSON text. This reaches the
// webhook's checks with values the YAML loader would rarely produce (any types, any nesting).
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/model/manifest.h"
#include "engine/model/safe_yaml.h"
#include "engine/validation/admission.h"
#include "engine/validation/validate.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  static const char* const kinds[] = {"VirtualService", "Gateway", "DestinationRule", "ServiceEntry",
                                      "AuthorizationPolicy", "RequestAuthentication"};
  const std::string kind = kinds[data[0] % (sizeof kinds / sizeof kinds[0])];
  const std::string group = data[0] % 6 >= 4 ? "security.istio.io/v1" : "networking.istio.io/v1";
  gwsim::model::JsonDocument spec =
      gwsim::model::parse_json(std::string_view(reinterpret_cast<const char*>(data + 1), size - 1));
  if (spec.error) return 0;
  gwsim::model::Json doc = {{"apiVersion", group}, {"kind", kind}, {"metadata", {{"name", "fuzz"}}}};
  doc["spec"] = std::move(spec.value);
  auto object = gwsim::model::object_from_json(std::move(doc), gwsim::model::SourcePos{"fuzz.json", 1, 1});
  if (!object) return 0;
  (void)gwsim::validation::admit(*object);
  (void)gwsim::validation::validate(*object);
  return 0;
}
