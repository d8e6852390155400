// libFuzzer target: the manifest loader (engine/model/manifest.h), text to Objects with
// positions, then admission (the CRD schema and Istio's webhook, engine/validation/admission.h)
// of every object that loaded, as `gwsim route` does. Errors are expected; crashes are bugs.
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/model/manifest.h"
#include "engine/validation/admission.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  gwsim::model::ManifestLoad load = gwsim::model::load_manifest_text(text, "fuzz.yaml");
  for (const auto& diagnostic : load.diagnostics) (void)diagnostic.to_string();
  for (const auto& object : load.objects) (void)gwsim::validation::admit(object);
  return 0;
}
