#include "fakes/apiserver/selectors.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "engine/text/ascii.h"

namespace gwsim::fakes {

namespace {

// Splits on commas outside parentheses ("a in (x,y),b" -> "a in (x,y)", "b").
std::vector<std::string> split_terms(const std::string& text, bool& balanced) {
  std::vector<std::string> terms;
  std::string cur;
  int depth = 0;
  balanced = true;
  for (char c : text) {
    if (c == '(') ++depth;
    if (c == ')') {
      if (--depth < 0) balanced = false;
    }
    if (c == ',' && depth == 0) {
      terms.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (depth != 0) balanced = false;
  terms.push_back(cur);
  return terms;
}

// Label keys: an optional DNS subdomain prefix and "/", then a name of [A-Za-z0-9._-]; values
// likewise (possibly empty). Kubernetes is stricter about where dots and dashes go; this is enough
// to refuse garbage.
bool valid_label_token(const std::string& s, bool allow_empty, bool allow_slash) {
  if (s.empty()) return allow_empty;
  if (s.size() > 316) return false;
  for (char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_') continue;
    if (c == '/' && allow_slash) continue;
    return false;
  }
  return true;
}

std::string label_value(const Json& labels, const std::string& key, bool& present) {
  present = false;
  if (!labels.is_object()) return {};
  auto it = labels.find(key);
  if (it == labels.end()) return {};
  present = true;
  return it->is_string() ? it->get<std::string>() : it->dump();
}

const Json* at_path(const Json& object, const std::string& dotted) {
  const Json* cur = &object;
  std::size_t start = 0;
  while (start <= dotted.size()) {
    std::size_t dot = dotted.find('.', start);
    std::string part = dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(part);
    if (it == cur->end()) return nullptr;
    cur = &*it;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return cur;
}

// The fields each kind's real registry offers to field selectors (pkg/registry/*/strategy.go).
bool field_supported(const std::string& group, const std::string& kind, const std::string& field) {
  if (field == "metadata.name" || field == "metadata.namespace") return true;
  if (group.empty() && kind == "Pod") {
    static const std::set<std::string> pod = {"spec.nodeName",      "spec.restartPolicy", "spec.schedulerName",
                                              "spec.serviceAccountName", "spec.hostNetwork", "status.phase",
                                              "status.podIP",       "status.nominatedNodeName"};
    return pod.count(field) > 0;
  }
  if (group.empty() && kind == "Secret") return field == "type";
  if (group.empty() && kind == "Event")
    return field.rfind("involvedObject.", 0) == 0 || field == "reason" || field == "reportingComponent" ||
           field == "source" || field == "type";
  if (group.empty() && kind == "Namespace") return field == "status.phase";
  if (group == "apps" && kind == "ReplicaSet") return field == "status.replicas";
  return false;
}

// The value a field selector compares against: missing fields compare as "" (a pod without
// spec.nodeName matches spec.nodeName=), booleans as "true"/"false", numbers as written.
std::string field_value(const Json& object, const std::string& field) {
  const Json* v = at_path(object, field);
  if (!v || v->is_null()) {
    if (field == "spec.hostNetwork") return "false";
    return {};
  }
  if (v->is_string()) return v->get<std::string>();
  return v->dump();
}

}  // namespace

Result<LabelSelector> LabelSelector::parse(const std::string& raw) {
  LabelSelector selector;
  const std::string text = std::string(text::trim(raw));
  if (text.empty()) return selector;
  bool balanced = true;
  auto bad = [&](const std::string& why) {
    return make_error("unable to parse requirement: " + why + " in label selector \"" + raw + "\"");
  };
  std::vector<std::string> terms = split_terms(text, balanced);
  if (!balanced) return bad("unbalanced parentheses");
  for (const std::string& raw_term : terms) {
    std::string term = std::string(text::trim(raw_term));
    if (term.empty()) return bad("empty requirement");
    Requirement req;
    if (term[0] == '!') {
      req.key = std::string(text::trim(term.substr(1)));
      req.op = Op::kNotExists;
      if (!valid_label_token(req.key, false, true)) return bad("invalid label key \"" + req.key + "\"");
      selector.requirements_.push_back(std::move(req));
      continue;
    }
    // Set-based: "key in (a,b)" / "key notin (a)".
    auto open = term.find('(');
    if (open != std::string::npos) {
      if (term.back() != ')') return bad("expected ')'");
      std::string head = std::string(text::trim(term.substr(0, open)));
      std::string inner = term.substr(open + 1, term.size() - open - 2);
      auto space = head.find_last_of(" \t");
      if (space == std::string::npos) return bad("expected 'in' or 'notin'");
      std::string op = std::string(text::trim(head.substr(space + 1)));
      req.key = std::string(text::trim(head.substr(0, space)));
      if (op == "in")
        req.op = Op::kIn;
      else if (op == "notin")
        req.op = Op::kNotIn;
      else
        return bad("unknown operator \"" + op + "\"");
      if (!valid_label_token(req.key, false, true)) return bad("invalid label key \"" + req.key + "\"");
      bool inner_balanced = true;
      for (const auto& v : split_terms(inner, inner_balanced)) {
        std::string value = std::string(text::trim(v));
        if (!valid_label_token(value, true, false)) return bad("invalid label value \"" + value + "\"");
        req.values.push_back(value);
      }
      selector.requirements_.push_back(std::move(req));
      continue;
    }
    std::size_t pos;
    std::size_t op_len = 0;
    if ((pos = term.find("!=")) != std::string::npos) {
      req.op = Op::kNotEquals;
      op_len = 2;
    } else if ((pos = term.find("==")) != std::string::npos) {
      req.op = Op::kEquals;
      op_len = 2;
    } else if ((pos = term.find('=')) != std::string::npos) {
      req.op = Op::kEquals;
      op_len = 1;
    }
    if (op_len == 0) {
      req.key = term;
      req.op = Op::kExists;
    } else {
      req.key = std::string(text::trim(term.substr(0, pos)));
      req.values.push_back(std::string(text::trim(term.substr(pos + op_len))));
      if (!valid_label_token(req.values[0], true, false))
        return bad("invalid label value \"" + req.values[0] + "\"");
    }
    if (!valid_label_token(req.key, false, true)) return bad("invalid label key \"" + req.key + "\"");
    selector.requirements_.push_back(std::move(req));
  }
  return selector;
}

bool LabelSelector::matches(const Json& labels) const {
  for (const auto& req : requirements_) {
    bool present = false;
    const std::string value = label_value(labels, req.key, present);
    const bool in_values = std::find(req.values.begin(), req.values.end(), value) != req.values.end();
    switch (req.op) {
      case Op::kEquals:
      case Op::kIn:
        if (!present || !in_values) return false;
        break;
      case Op::kNotEquals:
      case Op::kNotIn:
        // As in Kubernetes: a missing label satisfies "!=" and "notin".
        if (present && in_values) return false;
        break;
      case Op::kExists:
        if (!present) return false;
        break;
      case Op::kNotExists:
        if (present) return false;
        break;
    }
  }
  return true;
}

Result<FieldSelector> FieldSelector::parse(const std::string& raw, const std::string& group, const std::string& kind) {
  FieldSelector selector;
  const std::string text = std::string(text::trim(raw));
  if (text.empty()) return selector;
  bool balanced = true;
  for (const std::string& raw_term : split_terms(text, balanced)) {
    std::string term = std::string(text::trim(raw_term));
    Requirement req;
    std::size_t pos, len;
    if ((pos = term.find("!=")) != std::string::npos) {
      req.equals = false;
      len = 2;
    } else if ((pos = term.find("==")) != std::string::npos) {
      len = 2;
    } else if ((pos = term.find('=')) != std::string::npos) {
      len = 1;
    } else {
      return make_error("invalid selector: '" + raw + "'; can't understand '" + term + "'");
    }
    req.field = std::string(text::trim(term.substr(0, pos)));
    req.value = std::string(text::trim(term.substr(pos + len)));
    if (!field_supported(group, kind, req.field)) return make_error("field label not supported: " + req.field);
    selector.requirements_.push_back(std::move(req));
  }
  return selector;
}

bool FieldSelector::matches(const Json& object) const {
  for (const auto& req : requirements_) {
    const bool equal = field_value(object, req.field) == req.value;
    if (equal != req.equals) return false;
  }
  return true;
}

bool Selectors::matches(const Json& object) const {
  static const Json no_labels = nullptr;
  const Json* object_labels = &no_labels;
  if (object.is_object()) {
    auto meta = object.find("metadata");
    if (meta != object.end() && meta->is_object()) {
      auto l = meta->find("labels");
      if (l != meta->end()) object_labels = &*l;
    }
  }
  return labels.matches(*object_labels) && fields.matches(object);
}

}  // namespace gwsim::fakes
