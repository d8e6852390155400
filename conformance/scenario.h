// Scenario files (apiVersion gwsim.io/v1alpha1, kind Scenario): the typed form of the contract
// in SCENARIO_FORMAT.md (our reference: docs/scenario-format.md) and its strict loader.
//
// Strict on purpose: an unknown field anywhere is an error naming file:line:col, with a
// "did you mean ...?" hint, because a typo must never turn into a step that silently passes.
// The loader also loads every manifest the scenario references (setup and apply steps), so a
// missing file or a YAML error is "bad input" before anything runs.
#pragma once

#include <string>
#include <vector>

#include "conformance/scenario_spec.h"

namespace gwsim::conformance {

// Load a scenario file, and every manifest it references.
ScenarioLoad load_scenario(const std::string& path);
// Same from text; `file` names it in messages and anchors relative manifest paths.
ScenarioLoad load_scenario_text(const std::string& text, const std::string& file);

// Whether a YAML text looks like a scenario (a top-level `kind: Scenario` line). Textual on
// purpose: a scenario with a YAML error is still found, so it fails instead of vanishing.
bool looks_like_scenario(const std::string& text);

// Scenario files under `paths`: files are taken as given; directories are searched
// recursively for *.yaml / *.yml that look like scenarios, sorted. Missing paths are errors.
struct ScenarioFiles {
  std::vector<std::string> files;
  std::vector<Error> errors;
  std::vector<Error> warnings;  // skipped entries: symlink loops, FIFOs, unreadable or oversized files
};
ScenarioFiles find_scenario_files(const std::vector<std::string>& paths);

namespace detail {
// The kinds a scenario may name without apiVersion (resources, delete targets), the order its
// "did you mean" hints try them.
const std::vector<std::string>& shorthand_kinds();
// apiVersion for a kind gwsim knows ("Service" -> "v1", "VirtualService" ->
// "networking.istio.io/v1"), "" when unknown.
std::string api_version_for_kind(const std::string& kind);
}  // namespace detail

}  // namespace gwsim::conformance
