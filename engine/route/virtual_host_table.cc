#include "engine/route/virtual_host_table.h"

#include <cctype>

namespace gwsim::route {

namespace detail {
std::string_view normalize_host(std::string_view host, char* buf, std::size_t cap) {
  // Strip ":port": for "[v6]:port" after the bracket, otherwise the last colon when there is
  // exactly one (a bare IPv6 address without brackets keeps its colons).
  if (!host.empty() && host.front() == '[') {
    auto close = host.find(']');
    if (close != std::string_view::npos) host = host.substr(0, close + 1);
  } else {
    auto colon = host.rfind(':');
    if (colon != std::string_view::npos && host.find(':') == colon) host = host.substr(0, colon);
  }
  if (host.size() > cap) return {};
  for (std::size_t i = 0; i < host.size(); ++i) {
    buf[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(host[i])));
  }
  return {buf, host.size()};
}
}  // namespace detail

void VirtualHostTable::add(std::string_view domain, int index) {
  if (!data_) data_ = std::make_shared<Data>();
  else if (data_.use_count() > 1) data_ = std::make_shared<Data>(*data_);
  Data& d = *data_;
  std::string name(domain);
  for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
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
