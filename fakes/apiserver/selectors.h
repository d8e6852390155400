// Label and field selectors as the Kubernetes API server reads them from `labelSelector=` and
// `fieldSelector=` (k8s.io/apimachinery/pkg/labels and pkg/fields).
//   labels: "a=b", "a==b", "a!=b", "a", "!a", "a in (x,y)", "a notin (x)", comma = AND
//   fields: "metadata.name=x", "metadata.namespace!=y", comma = AND; the fields a kind supports
//           are those the real server supports for it (every kind: metadata.name and
//           metadata.namespace; pods also spec.nodeName, status.phase, ...; secrets: type)
#pragma once

#include <string>
#include <vector>

#include "engine/model/object.h"
#include "engine/model/result.h"

namespace gwsim::fakes {

using model::Json;

class LabelSelector {
 public:
  enum class Op { kEquals, kNotEquals, kIn, kNotIn, kExists, kNotExists };
  struct Requirement {
    std::string key;
    Op op = Op::kEquals;
    std::vector<std::string> values;
  };

  // An empty text selects everything. Error: the server's 400 message.
  static Result<LabelSelector> parse(const std::string& text);

  // `labels`: the object's metadata.labels (null or a map).
  bool matches(const Json& labels) const;
  bool empty() const { return requirements_.empty(); }
  const std::vector<Requirement>& requirements() const { return requirements_; }

 private:
  std::vector<Requirement> requirements_;
};

class FieldSelector {
 public:
  struct Requirement {
    std::string field;
    bool equals = true;  // "=" / "==" vs "!="
    std::string value;
  };

  // Error: the server's 400 message, also for a field the kind does not support
  // ("field label not supported: spec.foo").
  static Result<FieldSelector> parse(const std::string& text, const std::string& group, const std::string& kind);

  // `object`: the whole object.
  bool matches(const Json& object) const;
  bool empty() const { return requirements_.empty(); }
  const std::vector<Requirement>& requirements() const { return requirements_; }

 private:
  std::vector<Requirement> requirements_;
};

// Both selectors of one list or watch request.
struct Selectors {
  LabelSelector labels;
  FieldSelector fields;
  bool matches(const Json& object) const;
};

}  // namespace gwsim::fakes
