#include "engine/route/virtual_host_table.h"

#include "engine/http/request.h"
#include "engine/text/ascii.h"

namespace gwsim::route {

namespace detail {
std::string_view normalize_host(std::string_view host, char* buf, std::size_t cap) {
  // Domains match without the port, case-insensitively.
  host = http::host_without_port(host);
  if (host.size() > cap) return {};
  for (std::size_t i = 0; i < host.size(); ++i) {
    buf[i] = text::ascii_lower(host[i]);
  }
  return {buf, host.size()};
}
}  // namespace detail

void VirtualHostTable::add(std::string_view domain, int index) {
  if (!data_) data_ = std::make_shared<Data>();
  else if (data_.use_count() > 1) data_ = std::make_shared<Data>(*data_);
  Data& d = *data_;
  std::string name = text::to_lower(domain);
  ++d.count;
  if (name == "*") {
    if (d.fallback == kNone) d.fallback = index;
  } else if (name.front() == '*') {
    std::string suffix = name.substr(1);
    d.suffix[suffix.size()].emplace(std::move(suffix), index);
  } else if (name.back() == '*') {
    std::string prefix = name.substr(0, name.size() - 1);
    d.prefix[prefix.size()].emplace(std::move(prefix), index);
  } else {
    d.exact.emplace(std::move(name), index);
  }
}

int VirtualHostTable::find(std::string_view host_header) const {
  if (!data_) return kNone;
  const Data& d = *data_;
  char buf[256];
  std::string heap;
  std::string_view host = detail::normalize_host(host_header, buf, sizeof(buf));
  if (host.empty() && !host_header.empty()) {
    heap.resize(host_header.size());
    host = detail::normalize_host(host_header, heap.data(), heap.size());
  }
  if (auto it = d.exact.find(host); it != d.exact.end()) return it->second;
  // A wildcard never matches the empty string: the host must be strictly longer.
  for (const auto& [len, map] : d.suffix) {
    if (host.size() <= len) continue;
    if (auto it = map.find(host.substr(host.size() - len)); it != map.end()) return it->second;
  }
  for (const auto& [len, map] : d.prefix) {
    if (host.size() <= len) continue;
    if (auto it = map.find(host.substr(0, len)); it != map.end()) return it->second;
  }
  return d.fallback;
}

}  // namespace gwsim::route
