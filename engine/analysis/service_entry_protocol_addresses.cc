// Follows Istio's serviceentry.ProtocolAddressesAnalyzer
// (pkg/config/analysis/analyzers/serviceentry/protocoladdresses.go): a ServiceEntry without
// addresses (written, or allocated in its status) needs them for each port of protocol TCP or
// none (IST0134), unless the mesh config's proxy metadata turns on DNS capture with address
// auto-allocation.
#include "engine/analysis/analyzers.h"
#include "engine/model/json_fields.h"
#include "engine/text/ascii.h"

namespace gwsim::analysis {

void analyze_service_entry_addresses(const Context& context, Report& report) {
  const auto& metadata = context.mesh().proxy_metadata;
  auto is_true = [&](const char* key) {
    auto it = metadata.find(key);
    return it != metadata.end() && it->second == "true";
  };
  bool auto_allocated = is_true("ISTIO_META_DNS_CAPTURE") &&
                        (is_true("ISTIO_META_DNS_AUTO_ALLOCATE") || is_true("PILOT_ENABLE_IP_AUTOALLOCATE"));
  if (auto_allocated) return;
  for (const auto& se : context.snapshot().service_entries) {
    const std::string& ns = se.meta.namespace_;
    const model::Object* object = context.find("ServiceEntry", ns, se.meta.name);
    if (!object || !se.addresses.empty()) continue;
    // Written addresses, even an empty list, count as set (Istio: Addresses == nil).
    if (model::member(model::member(object->doc, "spec"), "addresses").is_array()) continue;
    const model::Json& allocated = model::member(model::member(object->doc, "status"), "addresses");
    if (allocated.is_array() && !allocated.empty()) continue;
    for (size_t i = 0; i < se.ports.size(); ++i)
      if (se.ports[i].protocol.empty() || text::iequals(se.ports[i].protocol, "TCP"))
        report.add(message_type("ServiceEntryAddressesRequired"), "ServiceEntry", ns, se.meta.name,
                   "/spec/ports/" + std::to_string(i), {});
  }
}

}  // namespace gwsim::analysis
