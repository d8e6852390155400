// YAML -> JSON with field positions, shared by the manifest loader and the scenario loader.
// Plain scalars are typed as YAML 1.2's core schema does (null, bool, int, float, string);
// quoted scalars stay strings, so `appId: "12345"` is the string Kubernetes expects.
#pragma once

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "engine/model/object.h"
#include "engine/model/yaml_tree.h"

namespace gwsim::model {

// Convert `node`; record the position of every value under `pointer` (JSON pointer of node).
// `node` must come from engine/model/safe_yaml.h's loaders: they refuse recursive aliases (which
// this conversion would follow forever) and alias bombs (which it would expand).
Json yaml_to_json(const YAML::Node& node, const std::string& file, PositionMap& positions,
                  const std::string& pointer = "");

// Position of a yaml-cpp node (1-based line and column).
SourcePos position_of(const YAML::Node& node, const std::string& file);

// The same for the event-built tree (engine/model/safe_yaml.h's load_yaml_tree): the same JSON
// and the same positions as for the YAML::Node that YAML::Load gives for the same text.
Json yaml_to_json(const YamlNode& node, const std::string& file, PositionMap& positions,
                  const std::string& pointer = "");
SourcePos position_of(const YamlNode& node, const std::string& file);

}  // namespace gwsim::model

namespace gwsim::model {

// A problem found while converting that Kubernetes' YAML reader would refuse (a key written twice
// in one mapping, a key that is not a scalar). The converted JSON is still returned.
struct YamlIssue {
  SourcePos where;
  std::string message;
};

// As yaml_to_json, also reporting issues.
Json yaml_to_json(const YAML::Node& node, const std::string& file, PositionMap& positions,
                  const std::string& pointer, std::vector<YamlIssue>& issues);
Json yaml_to_json(const YamlNode& node, const std::string& file, PositionMap& positions,
                  const std::string& pointer, std::vector<YamlIssue>& issues);

// The JSON value of one scalar as YAML 1.2's core schema types it (plain scalars), or as a
// string (quoted, block, or !!str). `tag` is yaml-cpp's Node::Tag().
Json yaml_scalar_to_json(const std::string& text, const std::string& tag);

}  // namespace gwsim::model
