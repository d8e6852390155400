// The findings of `gwsim analyze` (engine/analysis) over what a ControlPlane holds now, for the
// commands that load or change configuration and should say when it looks wrong: `gwsim route`
// and `gwsim run` print them beside the outcome, `gwsim serve` on its line per change, and its
// API server answers writes with them as Warning headers (kubectl prints them, as it prints
// Istio's webhook warnings). Analyzes the stored objects (each with the file:line it was read
// from, when it came from a file) over the control plane's snapshot and the tables it keeps
// compiled, so a change costs the analyzers, not a second compile.
#pragma once

#include <string>
#include <vector>

#include "engine/analysis/message.h"
#include "runtime/control_plane.h"

namespace gwsim::runtime {

// Every finding at Warning level or above (Info is what `gwsim analyze` is for), in istioctl's
// order, each once.
std::vector<analysis::Message> config_warnings(ControlPlane& cluster);

// The findings about one object ("<Kind> <namespace>/<name>", a Message's origin).
std::vector<analysis::Message> about(const std::vector<analysis::Message>& messages, const std::string& origin);

// The text of a Warning header (and of kubectl's "Warning: ..." line): istioctl's line without
// the level when it is a warning, e.g.
//   [IST0101] (VirtualService default/x) Referenced gateway not found: "nope"
std::string warning_text(const analysis::Message& message);

}  // namespace gwsim::runtime
