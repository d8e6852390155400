// Analysis messages as istioctl analyze prints them (pkg/config/analysis/diag/message.go): a type
// (code, level, template from pkg/config/analysis/msg/messages.yaml, or one of gwsim's own GWS
// codes), the object it is about ("<Kind> <namespace>/<name>") and where that object was written.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/text/go_quote.h"

namespace gwsim::analysis {

enum class Level { kInfo = 0, kWarning = 1, kError = 2 };

std::string_view level_name(Level level);  // "Info", "Warning", "Error"
// "Error", "error", "ERROR", ...; nullopt for anything else.
std::optional<Level> parse_level(std::string_view text);

struct MessageType {
  std::string_view code;      // "IST0101", "GWS0001"
  std::string_view name;      // "ReferencedResourceNotFound"
  Level level;
  std::string_view template_;  // Go format verbs: %s %v %d %t take the argument as given, %q quotes it
};

// Istio's message types in messages.yaml order, then gwsim's own (GWS codes, docs/analysis.md).
const std::vector<MessageType>& message_types();
// The type of that name; throws std::out_of_range for an unknown name (a programming error).
const MessageType& message_type(std::string_view name);

// Istio's URL form for its codes (https://istio.io/latest/docs/reference/config/analysis/ist0101/),
// the repository's own document for gwsim's codes (docs/analysis.md#gws0001).
std::string documentation_url(const MessageType& type);

struct Message {
  const MessageType* type = nullptr;
  std::string origin;     // "VirtualService default/x"; "Namespace foo" for cluster-scoped kinds
  std::string reference;  // "shop.yaml:12" ("" when the object came from no file)
  std::string text;       // the template with its arguments
  // istioctl's line: `Error [IST0101] (VirtualService default/x shop.yaml:12) Referenced host not found: "y"`
  std::string to_string() const;
  bool operator==(const Message& o) const {
    return type == o.type && origin == o.origin && reference == o.reference && text == o.text;
  }
};

// As istioctl analyze -o json prints it (Istio's Message.Unstructured, keys in Go's sorted
// order): code, documentationUrl, level, message, origin, and reference when known.
nlohmann::json message_json(const Message& message);

// Go's fmt.Sprintf over the template with string arguments (see MessageType::template_).
std::string format_message(const MessageType& type, const std::vector<std::string>& args);
using text::go_quote;  // Go's %q of a string
// Go's %v of a []string: "[a b c]".
std::string go_list(const std::vector<std::string>& items);

}  // namespace gwsim::analysis
