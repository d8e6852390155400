#include "engine/analysis/table_routes.h"

#include "engine/analysis/message.h"

namespace gwsim::analysis {

std::string describe_route(const route::Route& route, size_t index) {
  std::string out = "#";
  out += std::to_string(index);
  if (!route.name.empty()) {
    out += ' ';
    out += go_quote(route.name);
  }
  if (!route.virtual_service.empty())
    out += " (VirtualService " + route.virtual_service + " http[" + std::to_string(route.http_index) + "])";
  return out;
}

void report_on_route(const Context& context, Report& report, const MessageType& type, const route::Route& route,
                     const std::vector<std::string>& args) {
  auto slash = route.virtual_service.find('/');
  if (slash == std::string::npos) return;
  std::string ns = route.virtual_service.substr(0, slash), name = route.virtual_service.substr(slash + 1);
  const model::Object* object = context.find("VirtualService", ns, name);
  if (!object) return;
  std::string where = route.source.known() ? file_line(route.source) : file_line(object->source);
  report.add_at(type, "VirtualService", ns, name, where, args);
}

}  // namespace gwsim::analysis
