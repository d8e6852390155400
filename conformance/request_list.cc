#include "conformance/request_list.h"

#include "conformance/scenario_parser.h"
#include "engine/model/bounded_read.h"
#include "engine/model/safe_yaml.h"

namespace gwsim::conformance {

RequestListLoad load_request_list_text(const std::string& text, const std::string& file) {
  RequestListLoad load;
  model::YamlDocument loaded = model::load_yaml_document(text);  // bounded: engine/model/safe_yaml.h
  if (loaded.error) {
    load.errors.push_back(make_error("YAML error: " + loaded.error->message, loaded.error->where(file).to_string()));
    return load;
  }
  detail::StrictYamlReader reader(file);
  detail::ScenarioParser parser(reader, file);
  try {
    YAML::Node list = loaded.root;
    if (list.IsMap() && reader.mapping(list, "", {"requests"})) list = list["requests"];
    if (!list.IsSequence() || list.size() == 0) {
      reader.error(list,
                   "expected a non-empty list of requests (`requests:` with entries such as "
                   "{host: www.example.com, path: /})" +
                       detail::StrictYamlReader::kind_suffix(list));
    } else {
      for (std::size_t i = 0; i < list.size(); ++i) {
        const YAML::Node entry = list[i];
        const std::string path = "requests[" + std::to_string(i) + "]";
        if (entry.IsMap()) {
          for (const char* refused : {"count", "jwt"})
            if (entry[refused].IsDefined())
              reader.error(entry[refused],
                           path + "." + refused + ": not in a request list (each request is sent once)");
        }
        if (auto r = parser.parse_request(entry, path))
          load.requests.push_back({std::move(*r), model::position_of(entry, file)});
      }
    }
  } catch (const YAML::Exception& e) {  // defensive: yaml-cpp throws on odd node shapes
    reader.errors.push_back(make_error(std::string("YAML error: ") + e.what(), file));
  }
  load.errors = std::move(reader.errors);
  if (!load.errors.empty()) load.requests.clear();
  return load;
}

RequestListLoad load_request_list(const std::string& path) {
  auto text = model::read_regular_file(path);  // regular files only, bounded
  if (!text.ok()) {
    RequestListLoad load;
    load.errors.push_back(make_error("cannot read request file: " + text.error().message, path));
    return load;
  }
  return load_request_list_text(*text, path);
}

}  // namespace gwsim::conformance
